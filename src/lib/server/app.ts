/**
 * Builds the server's parts explicitly from the configuration: the store and
 * the logger. Routes reach them through `event.locals.app`.
 */
import type { Config } from './config';
import { createDb, pendingMigrations, type Store } from './db/create-db';
import { createLogger, type Logger } from './log';
import { SearchNode } from './search/search-node';

export interface App {
	config: Readonly<Config>;
	store: Store;
	log: Logger;
	search: SearchNode;
	startedAt: Date;
	/** Stops background work, saves the search replica, closes the store (last). */
	close(): Promise<void>;
}

/** Opens the store and refuses to serve a schema with pending migrations. */
export async function createApp(config: Readonly<Config>): Promise<App> {
	const log = createLogger(config.logLevel);
	const store = createDb(config.database);
	const pending = await pendingMigrations(store.db);
	if (pending.length > 0) {
		await store.close();
		throw new Error(
			`The database has ${pending.length} pending migration(s) (${pending.join(', ')}); run "dailypapers migrate" or start with "npm start"`
		);
	}
	const search = await SearchNode.start(store.db, config.indexDir, log, {
		syncIntervalMs: config.indexSyncMs
	});
	return {
		config,
		store,
		log,
		search,
		startedAt: new Date(),
		async close() {
			await search.stop();
			await store.close();
		}
	};
}
