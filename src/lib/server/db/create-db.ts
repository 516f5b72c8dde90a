/**
 * Opens the store: SQLite (better-sqlite3, WAL) embedded by default, PostgreSQL
 * (pg) when configured. Both speak the same schema and the same queries.
 * Migrating is migrate.ts, bulk-load tuning bulk-load.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
	CompiledQuery,
	Kysely,
	PostgresDialect,
	SqliteDialect,
	SqliteDriver,
	type DatabaseConnection,
	type Driver,
	type SqliteDialectConfig
} from 'kysely';
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
const postgresPools = new WeakMap<Db, pg.Pool>();

/** The pg pool behind a PostgreSQL store, for libraries that take one (the rate limiter); undefined on SQLite. */
export function postgresPool(db: Db): pg.Pool | undefined {
	return postgresPools.get(db);
}

/**
 * The better-sqlite3 connection behind a SQLite store, for the few bulk paths that
 * run prepared statements synchronously; undefined on PostgreSQL.
 */
export function sqliteConnection(db: Db): SQLite.Database | undefined {
	return sqliteConnections.get(db);
}

/**
 * How long a SQLite writer waits for another process's write lock (an import beside the
 * server, or two imports at once) before failing with "database is locked". A snapshot
 * batch of 10,000 papers holds the lock for about a second; this leaves a wide margin.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 30_000;

/**
 * Kysely's SQLite driver, except that a transaction takes the write lock when it begins
 * (`begin immediate`). With Kysely's plain `begin` a transaction reads first and asks for
 * the lock at its first write; if another process wrote in between, SQLite cannot wait
 * for it (the snapshot already read is stale) and fails at once with "database is
 * locked", whatever the busy timeout. Every transaction of ours writes, so none loses.
 */
class ImmediateTransactionSqliteDriver extends SqliteDriver {
	override async beginTransaction(connection: DatabaseConnection): Promise<void> {
		await connection.executeQuery(CompiledQuery.raw('begin immediate'));
	}
}

class ImmediateTransactionSqliteDialect extends SqliteDialect {
	readonly #config: SqliteDialectConfig;

	constructor(config: SqliteDialectConfig) {
		super(config);
		this.#config = config;
	}

	override createDriver(): SqliteDriver {
		return new ImmediateTransactionSqliteDriver(this.#config);
	}
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
		const sqlite = new SQLite(config.path, { timeout: SQLITE_BUSY_TIMEOUT_MS });
		// Several processes (server, CLI imports) may share the file: wait rather than fail.
		// Set first: switching a fresh file to WAL needs a lock that another process opening
		// it at the same moment may hold.
		sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
		sqlite.pragma('journal_mode = WAL');
		sqlite.pragma('synchronous = NORMAL');
		sqlite.pragma('foreign_keys = ON');
		// 64 MiB page cache: imports and feed queries touch the same hot pages repeatedly.
		sqlite.pragma('cache_size = -65536');
		const db = new Kysely<Database>({
			dialect: new ImmediateTransactionSqliteDialect({ database: sqlite })
		});
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
	postgresPools.set(db, pool);
	return { db, kind: 'postgres', close: () => db.destroy() };
}
