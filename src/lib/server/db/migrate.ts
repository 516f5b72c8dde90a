/** Brings the store's schema up to date, and tells the server what is pending. */
import { Migrator, sql, type MigrationResult } from 'kysely';
import { ensureBulkIndexes } from './bulk-indexes';
import { sqliteConnection, type Db } from './create-db';
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

/**
 * Runs `work` while this process alone may migrate the store, so that two processes
 * started together (two imports, an import and the server) migrate it once, the second
 * after the first. Kysely's Migrator does not give that on SQLite: its SQLite adapter
 * takes no lock (it assumes one connection in one process) and runs migrations outside a
 * transaction, so both processes found no migration applied and both ran the first one
 * ("table papers already exists"). On SQLite the work runs in one `begin immediate`
 * transaction on the store's only connection — the write lock, waited for up to the busy
 * timeout —, which also makes a migration all or nothing. On PostgreSQL the Migrator's
 * own lock is taken only after it has created its tables (which races), so a session
 * advisory lock, keyed by the schema, is held around all of it on a connection of its own.
 */
async function whileMigrationLocked<T>(db: Db, work: () => Promise<T>): Promise<T> {
	const sqlite = sqliteConnection(db);
	if (sqlite) {
		sqlite.exec('begin immediate');
		try {
			const result = await work();
			sqlite.exec('commit');
			return result;
		} catch (error) {
			if (sqlite.inTransaction) sqlite.exec('rollback');
			throw error;
		}
	}
	return db.connection().execute(async (connection) => {
		const lockKey = sql`hashtext('dailypapers migrations ' || current_schema())`;
		await sql`select pg_advisory_lock(${lockKey})`.execute(connection);
		try {
			return await work();
		} finally {
			await sql`select pg_advisory_unlock(${lockKey})`.execute(connection);
		}
	});
}

/**
 * Applies every pending migration, one process at a time (a second one waits, then finds
 * nothing to do); returns the names applied.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
	return whileMigrationLocked(db, async () => {
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
	});
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
