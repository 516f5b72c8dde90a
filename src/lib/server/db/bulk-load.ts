/** Settings for long imports: how a bulk load runs, and how the store is left afterwards. */
import type SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { CREATE_BULK_INDEXES_SQL, DROP_BULK_INDEXES_SQL } from './bulk-indexes';
import { sqliteConnection, type Db } from './create-db';

/**
 * Runs a long import with settings for bulk writes, and leaves the database ready
 * for queries afterwards. SQLite: into an empty store, two secondary indexes are
 * built after the rows instead of during them (bulk-indexes.ts); the WAL is
 * copied back into the database every 64k pages (256 MiB) instead of every 1000
 * pages, the page cache is larger (128 MiB) and foreign keys are not re-checked
 * row by row; all are restored and the WAL checkpointed at the end (frequent
 * checkpoints were the largest single cost of a snapshot import,
 * docs/benchmarks.md). Both: the planner statistics are refreshed at the end —
 * after a bulk load PostgreSQL's are stale, and a re-import then joined authors
 * by scanning the whole table (~1,000 papers/s at 1M papers).
 */
export async function duringBulkLoad<T>(db: Db, work: () => Promise<T>): Promise<T> {
	const connection = sqliteConnection(db);
	if (!connection) {
		try {
			return await work();
		} finally {
			await sql`analyze papers, authors, paper_authors`.execute(db).catch(() => undefined);
		}
	}
	const autocheckpoint = connection.pragma('wal_autocheckpoint', { simple: true });
	const cacheSize = connection.pragma('cache_size', { simple: true });
	const foreignKeys = connection.pragma('foreign_keys', { simple: true });
	connection.pragma('wal_autocheckpoint = 65536');
	connection.pragma('cache_size = -131072');
	// Every link a bulk load writes points at a paper and an author it has just
	// written or looked up in the same transaction, and nothing deletes authors:
	// the per-row checks only repeat lookups (they were ~20 % of an import).
	connection.pragma('foreign_keys = OFF');
	const deferred = deferBulkIndexes(connection);
	let loaded = false;
	try {
		const result = await work();
		loaded = true;
		// The indexes are part of the schema: a successful load leaves them built.
		if (deferred) connection.exec(CREATE_BULK_INDEXES_SQL);
		return result;
	} finally {
		// After a failed load its own error matters more than the indexes:
		// migrateToLatest rebuilds them on the next start or import.
		if (deferred && !loaded) tidyUp(() => connection.exec(CREATE_BULK_INDEXES_SQL));
		connection.pragma(`wal_autocheckpoint = ${Number(autocheckpoint)}`);
		connection.pragma(`cache_size = ${Number(cacheSize)}`);
		connection.pragma(`foreign_keys = ${Number(foreignKeys)}`);
		tidyUp(() => {
			connection.pragma('wal_checkpoint(TRUNCATE)');
			connection.pragma('optimize');
		});
	}
}

/** Drops the deferrable indexes when the store has no papers yet; whether it did. */
function deferBulkIndexes(connection: SQLite.Database): boolean {
	try {
		const { empty } = connection
			.prepare('select not exists (select 1 from papers) as empty')
			.get() as { empty: number };
		if (!empty) return false;
		// Both or neither: the finally of duringBulkLoad re-creates them only when this succeeded.
		connection.transaction(() => connection.exec(DROP_BULK_INDEXES_SQL))();
		return true;
	} catch {
		// Locked by another process: load with the indexes in place.
		return false;
	}
}

/**
 * Maintenance after a bulk load is an optimisation: when it cannot run (another
 * process holds a lock), the import's own result or error is what matters.
 */
function tidyUp(maintain: () => void): void {
	try {
		maintain();
	} catch {
		// The next bulk load, or SQLite's own auto-checkpoint, does it later.
	}
}
