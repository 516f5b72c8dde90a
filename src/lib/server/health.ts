/**
 * What `/healthz` reports: the store answers, and its change-feed position. `degraded` means the
 * site serves but this node's search replica needs attention (see `problems`): it is not saved
 * on disk, or its lag is negative or unknown (it does not match the store).
 */
import type { App } from './app';
import { isDatabaseUnreachable, reasonOf } from './db/database-unavailable';
import type { Logger } from './log';
import type { EmbeddingStatus } from './search/embeddings/provider';
import { currentSeq } from './papers/paper.repository';

export interface Health {
	/**
	 * `degraded`: the site serves but something needs attention — the database is unreachable
	 * (search still serves from memory), or this node's replica is unsaved or does not match
	 * the store (see `problems`); `failing`: the database answers with an error.
	 */
	status: 'ok' | 'degraded' | 'failing';
	/** Why the status is degraded, one sentence each (absent when ok). */
	problems?: string[];
	database: { kind: string; ok: boolean; seq?: number; error?: string };
	/** This node's search replica: its documents and how far behind the store it is. */
	search: SearchHealth;
	uptimeSeconds: number;
}

/** This node's search replica: its documents and how far behind the store it is. */
interface SearchHealth {
	docs: number;
	seq: number;
	/** The corpus-learned layer (`lsa-128`, or `off` below 500 papers). */
	semantic: string;
	/** The embedding model: none / loaded (with the papers it has embedded) / failed and why. */
	embeddings: EmbeddingStatus & { docs?: number };
	lag?: number;
	/** False when the replica could not be saved in its folder: it lives in memory only. */
	persisted: boolean;
	/** The last save failure, when not persisted. */
	persistError?: string;
}

/** Checks the store with a cheap query; never throws (a failure is logged on `log`, the request's logger from a route). */
export async function checkHealth(app: App, log: Logger = app.log): Promise<Health> {
	const uptimeSeconds = Math.round((Date.now() - app.startedAt.getTime()) / 1000);
	try {
		// One indexed row, not a count(*): health is polled often and the store may hold millions.
		// Bounded: a health check must answer while the database hangs, too.
		const seq = await withinHealthBudget(currentSeq(app.store.db));
		const search = { ...searchFigures(app), lag: seq - app.search.replica.seq };
		const problems = replicaProblems(search);
		return {
			status: problems.length > 0 ? 'degraded' : 'ok',
			...(problems.length > 0 ? { problems } : {}),
			database: { kind: app.store.kind, ok: true, seq },
			search,
			uptimeSeconds
		};
	} catch (error) {
		if (isDatabaseUnreachable(error)) {
			// Expected during a restart, and health is polled: one line, no stack trace.
			log.warn({ reason: reasonOf(error) }, 'health check: the database is unreachable');
			return {
				status: 'degraded',
				problems: ['the database is unreachable'],
				database: { kind: app.store.kind, ok: false, error: 'database unreachable' },
				search: searchFigures(app),
				uptimeSeconds
			};
		}
		log.error({ err: error }, 'health check failed');
		return {
			status: 'failing',
			database: { kind: app.store.kind, ok: false, error: 'database query failed' },
			search: searchFigures(app),
			uptimeSeconds
		};
	}
}

/** How long `/healthz` waits for the database before calling it unreachable. */
const HEALTH_DATABASE_BUDGET_MS = 2000;

/** `work`, or a rejection that reads as "unreachable" once the health budget is spent. */
async function withinHealthBudget<T>(work: Promise<T>): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<never>((_, reject) => {
		timer = setTimeout(
			() =>
				reject(
					Object.assign(new Error('the database did not answer within the health budget'), {
						code: 'ETIMEDOUT'
					})
				),
			HEALTH_DATABASE_BUDGET_MS
		);
	});
	try {
		return await Promise.race([work, late]);
	} finally {
		clearTimeout(timer);
	}
}

/** What is wrong with this node's replica, if anything. */
function replicaProblems(search: SearchHealth): string[] {
	const problems: string[] = [];
	if (search.lag === undefined || !Number.isSafeInteger(search.lag)) {
		problems.push('the search replica lag is unknown');
	} else if (search.lag < 0) {
		problems.push(
			`the search replica is ${-search.lag} changes ahead of the store: it does not belong to this store`
		);
	}
	if (!search.persisted) {
		problems.push(`the search replica cannot be saved in its folder (${search.persistError})`);
	}
	return problems;
}

function searchFigures(app: App): SearchHealth {
	const replica = app.search.replica;
	const embedded = replica.embeddings?.size;
	// A model that loaded but later failed to embed was dropped by the replica (see the log).
	const embeddings: EmbeddingStatus =
		app.embeddings.status === 'loaded' && embedded === undefined
			? {
					status: 'failed',
					model: app.embeddings.model,
					reason: 'embedding papers failed after start; search runs without the model until restart'
				}
			: app.embeddings;
	const { persisted, error } = app.search.persistence;
	return {
		docs: replica.index.size,
		seq: replica.seq,
		semantic: replica.semantic,
		embeddings: embedded === undefined ? embeddings : { ...embeddings, docs: embedded },
		persisted,
		...(error ? { persistError: error } : {})
	};
}
