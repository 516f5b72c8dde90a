/**
 * Builds the server's parts explicitly from the configuration: the store and
 * the logger. Routes reach them through `event.locals.app`.
 */
import type { Config } from './config';
import { createDb, pendingMigrations, type Store } from './db/create-db';
import { createLogger, type Logger } from './log';

export interface App {
	config: Readonly<Config>;
	store: Store;
	log: Logger;
	startedAt: Date;
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
	return { config, store, log, startedAt: new Date() };
}
