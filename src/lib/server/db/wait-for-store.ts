/** The start-up wait for a database that is not there yet, shared by `serve` and the app. */
import type { Config } from '../config';
import type { Logger } from '../log';
import type { Store } from './create-db';
import { describeDatabaseUrl, waitForDatabase } from './database-unavailable';

/**
 * Waits, retrying and logging, until the configured PostgreSQL answers, for at most
 * `config.databaseStartTimeoutS`; SQLite (a local file) needs no wait.
 */
export async function waitForStore(
	store: Store,
	config: Pick<Config, 'database' | 'databaseStartTimeoutS'>,
	log: Logger
): Promise<void> {
	if (config.database.kind !== 'postgres') return;
	await waitForDatabase(store.db, {
		timeoutMs: config.databaseStartTimeoutS * 1000,
		log,
		where: describeDatabaseUrl(config.database.url)
	});
}
