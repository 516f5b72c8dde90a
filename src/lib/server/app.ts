/**
 * Builds the server's parts explicitly from the configuration: the store, the
 * logger, the embedding model (if any), the search node and the mailer. Routes reach them
 * through `event.locals.app`.
 */
import type { Config } from './config';
import { createDb, type Store } from './db/create-db';
import { waitForStore } from './db/wait-for-store';
import { pendingMigrations } from './db/migrate';
import { createLogger, type Logger } from './log';
import { loadEmbeddingModel } from './search/embeddings/load-embedding-model';
import type { EmbeddingStatus } from './search/embeddings/provider';
import { SearchNode } from './search/search-node';
import { createJobs } from './jobs/registry';
import { startScheduler, type Scheduler } from './jobs/scheduler';
import { createRateLimits, type RateLimits } from './http/rate-limit';
import { HuggingFaceSignIn } from './auth/huggingface-oidc';
import { createMailer, type Mailer } from './mail/mailer';

export interface App {
	config: Readonly<Config>;
	store: Store;
	log: Logger;
	search: SearchNode;
	/** Whether an embedding model is in use, and if not, why (for `/healthz`). */
	embeddings: EmbeddingStatus;
	/** Background jobs (jobs/registry.ts), such as the daily arXiv harvest. */
	jobs: Scheduler;
	/** Limits on sign-in and writes, shared by every node through the store. */
	rateLimits: RateLimits;
	/** "Sign in with Hugging Face", when DP_HF_OAUTH_CLIENT_ID/SECRET are set (no I/O until first used). */
	huggingFaceSignIn: HuggingFaceSignIn | undefined;
	/** Outgoing mail (sign-in links): pooled SMTP, or the log when no SMTP is configured. */
	mailer: Mailer;
	startedAt: Date;
	/** Stops background work, saves the search replica, closes the store (last). */
	close(): Promise<void>;
}

/**
 * Opens the store (waiting for it while it does not answer, up to
 * DP_DB_START_TIMEOUT_S) and refuses to serve a schema with pending migrations.
 */
export async function createApp(config: Readonly<Config>): Promise<App> {
	const log = createLogger(config.logLevel);
	const store = createDb(config.database, { log });
	try {
		await waitForStore(store, config, log);
	} catch (error) {
		await store.close();
		throw error;
	}
	const pending = await pendingMigrations(store.db);
	if (pending.length > 0) {
		await store.close();
		throw new Error(
			`The database has ${pending.length} pending migration(s) (${pending.join(', ')}); run "dailypapers migrate" or start with "npm start"`
		);
	}
	// Never throws: without a usable model, search is lexical + LSA and the status says why.
	const { provider, status } = await loadEmbeddingModel(config.embeddings, log);
	let search: SearchNode;
	try {
		search = await SearchNode.start(store.db, config.indexDir, log, {
			syncIntervalMs: config.indexSyncMs,
			saveIntervalMs: config.indexSaveMs,
			embeddings: provider
		});
	} catch (error) {
		await provider?.dispose?.();
		await store.close();
		throw error;
	}
	const jobs = startScheduler(store.db, createJobs(config), { log });
	const mailer = createMailer(config.auth, log);
	return {
		config,
		store,
		log,
		search,
		embeddings: status,
		jobs,
		rateLimits: createRateLimits(store),
		huggingFaceSignIn:
			config.auth.huggingFace &&
			new HuggingFaceSignIn(config.auth.huggingFace, config.publicUrl, log),
		mailer,
		startedAt: new Date(),
		async close() {
			await jobs.stop();
			await mailer.close();
			await search.stop();
			await provider?.dispose?.();
			await store.close();
		}
	};
}
