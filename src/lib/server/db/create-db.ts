/**
 * Opens the store: SQLite (better-sqlite3, WAL) embedded by default, PostgreSQL
 * (pg) when configured. Both speak the same schema and the same queries.
 * Migrating is migrate.ts, bulk-load tuning bulk-load.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Driver } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config';
import type { Logger } from '../log';
import { reasonOf, withUnavailableErrors } from './database-unavailable';
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

/** PostgreSQL through pg, with connection failures surfacing as ServiceUnavailableError. */
class PostgresDialectWithUnavailable extends PostgresDialect {
	createDriver(): Driver {
		return withUnavailableErrors(super.createDriver());
	}
}

/** How long a request waits for a PostgreSQL connection before it fails (503) instead of hanging. */
const PG_CONNECTION_TIMEOUT_MS = 3000;
/** At most one "connections closed" warning this often. */
const POOL_WARNING_INTERVAL_MS = 10_000;
/** The `application_name` of the app's sessions unless DATABASE_URL names one. */
const PG_APPLICATION_NAME = 'dailypapers';

export interface CreateDbOptions {
	/** Where lost PostgreSQL connections are reported (without one they are dropped silently). */
	log?: Logger;
}

/** Opens a connection (pool) to the configured database; nothing is migrated here. */
export function createDb(config: DatabaseConfig, options: CreateDbOptions = {}): Store {
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
		// Fail fast while the database is away; the request answers 503 rather than hanging.
		connectionTimeoutMillis: PG_CONNECTION_TIMEOUT_MS,
		idleTimeoutMillis: 30_000,
		// Sessions show up as ours in pg_stat_activity (a `?application_name=` in the URL wins).
		application_name: PG_APPLICATION_NAME,
		...(config.schema ? { options: `-c search_path=${config.schema}` } : {})
	});
	// A restart or pg_terminate_backend kills idle clients: the pool emits 'error', and an
	// 'error' event without a listener ends the process. The pool drops the dead client itself.
	// A restart kills every idle client at once: one line for the lot, not one per client.
	let lastWarnedAt = -Infinity;
	pool.on('error', (error) => {
		if (Date.now() - lastWarnedAt < POOL_WARNING_INTERVAL_MS) return;
		lastWarnedAt = Date.now();
		options.log?.warn(
			{ reason: reasonOf(error) },
			'pooled database connections were closed by the server; they will be replaced'
		);
	});
	// A client checked out when its backend dies emits 'error' too (the pool listens only to
	// idle ones); its query fails and the pool discards it on release.
	pool.on('connect', (client) => client.on('error', () => undefined));
	const db = new Kysely<Database>({ dialect: new PostgresDialectWithUnavailable({ pool }) });
	return { db, kind: 'postgres', close: () => db.destroy() };
}
