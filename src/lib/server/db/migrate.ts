/** Brings the store's schema up to date, and tells the server what is pending. */
import { Migrator, type MigrationResult } from 'kysely';
import { ensureBulkIndexes } from './bulk-indexes';
import type { Db } from './create-db';
import { migrations } from './migrations';

function migrator(db: Db): Migrator {
	return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

export class MigrationError extends Error {
	constructor(message: string, options?: ErrorOptions) {
		super(message, options);
		this.name = 'MigrationError';
	}
}

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest(db: Db): Promise<string[]> {
	const { error, results } = await migrator(db).migrateToLatest();
	if (error) {
		const failed = results?.find((r: MigrationResult) => r.status === 'Error');
		throw new MigrationError(`Migration ${failed?.migrationName ?? '(unknown)'} failed`, {
			cause: error
		});
	}
	// A bulk load that died before rebuilding its deferred indexes left them missing.
	await ensureBulkIndexes(db);
	return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of migrations not yet applied, so the server can refuse to run on an old schema. */
export async function pendingMigrations(db: Db): Promise<string[]> {
	const all = await migrator(db).getMigrations();
	return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
