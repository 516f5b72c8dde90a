/**
 * Opens the store: SQLite (better-sqlite3, WAL) embedded by default, PostgreSQL
 * (pg) when configured. Both speak the same schema and the same queries.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
	Kysely,
	Migrator,
	PostgresDialect,
	sql,
	SqliteAdapter,
	SqliteDialect,
	type MigrationResult
} from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config';
import { CREATE_BULK_INDEXES_SQL, DROP_BULK_INDEXES_SQL, ensureBulkIndexes } from './bulk-indexes';
import { migrations } from './migrations';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export interface Store {
	db: Db;
	kind: DatabaseConfig['kind'];
	close(): Promise<void>;
}

const sqliteConnections = new WeakMap<Db, SQLite.Database>();

/**
 * The better-sqlite3 connection behind a SQLite store, for the few bulk paths that
 * run prepared statements synchronously; undefined on PostgreSQL.
 */
export function sqliteConnection(db: Db): SQLite.Database | undefined {
	return sqliteConnections.get(db);
}

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

/** Opens a connection (pool) to the configured database; nothing is migrated here. */
export function createDb(config: DatabaseConfig): Store {
	if (config.kind === 'sqlite') {
		fs.mkdirSync(path.dirname(config.path), { recursive: true });
		const sqlite = new SQLite(config.path);
		sqlite.pragma('journal_mode = WAL');
		sqlite.pragma('synchronous = NORMAL');
		sqlite.pragma('foreign_keys = ON');
		// Several processes (server, CLI import) may share the file: wait rather than fail.
		sqlite.pragma('busy_timeout = 5000');
		// 64 MiB page cache: imports and feed queries touch the same hot pages repeatedly.
		sqlite.pragma('cache_size = -65536');
		const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
		sqliteConnections.set(db, sqlite);
		return { db, kind: 'sqlite', close: () => db.destroy() };
	}
	const pool = new pg.Pool({
		connectionString: config.url,
		max: 10,
		...(config.schema ? { options: `-c search_path=${config.schema}` } : {})
	});
	const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
	return { db, kind: 'postgres', close: () => db.destroy() };
}

/**
 * On PostgreSQL the migration tables are named with the connection's schema:
 * unqualified, Kysely takes a `kysely_migration` table of any other schema in the
 * database (another site's, a parallel test's) for ours and never creates it.
 */
async function migrator(db: Db): Promise<Migrator> {
	const schema =
		db.getExecutor().adapter instanceof SqliteAdapter
			? undefined
			: (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]
					?.schema;
	return new Migrator({
		db,
		provider: { getMigrations: async () => migrations },
		...(schema ? { migrationTableSchema: schema } : {})
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
