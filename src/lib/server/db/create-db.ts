/**
 * Opens the store: SQLite (better-sqlite3, WAL) embedded by default, PostgreSQL
 * (pg) when configured. Both speak the same schema and the same queries.
 * Migrating is migrate.ts, bulk-load tuning bulk-load.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config';
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
