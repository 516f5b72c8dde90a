/** Brings the store's schema up to date, and tells the server what is pending. */
import { Migrator, sql, type MigrationResult } from 'kysely';
import { ensureBulkIndexes } from './bulk-indexes';
import type { Db } from './create-db';
import { isSqlite } from './dialect';
import { migrations } from './migrations';

/**
 * Kysely's Migrator. On PostgreSQL it is told the schema it migrates: left
 * unset, it takes a `kysely_migration_lock` table in ANY schema of the database
 * for its own and then fails to find one in its search path (seen when test
 * suites or stores in other schemas of one database migrate at the same time).
 */
async function migrator(db: Db): Promise<Migrator> {
	const migrationTableSchema = isSqlite(db)
		? undefined
		: (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]
				?.schema;
	return new Migrator({
		db,
		provider: { getMigrations: async () => migrations },
		...(migrationTableSchema ? { migrationTableSchema } : {})
	});
}

export class MigrationError extends Error {
	constructor(message: string, options?: ErrorOptions) {
		super(message, options);
		this.name = 'MigrationError';
	}
}

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest(db: Db): Promise<string[]> {
	const { error, results } = await (await migrator(db)).migrateToLatest();
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
	const all = await (await migrator(db)).getMigrations();
	return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/**
 * Migrates up or down to the named migration (tests of a migration start from a
 * store left at the one before it).
 */
export async function migrateTo(db: Db, name: string): Promise<void> {
	const { error, results } = await (await migrator(db)).migrateTo(name);
	if (error) {
		const failed = results?.find((r: MigrationResult) => r.status === 'Error');
		throw new MigrationError(`Migration ${failed?.migrationName ?? name} failed`, {
			cause: error
		});
	}
}
