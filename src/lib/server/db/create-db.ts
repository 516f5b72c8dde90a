/**
 * Opens the store: SQLite (better-sqlite3, WAL) embedded by default, PostgreSQL
 * (pg) when configured. Both speak the same schema and the same queries.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type MigrationResult } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config';
import { migrations } from './migrations';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export interface Store {
	db: Db;
	kind: DatabaseConfig['kind'];
	close(): Promise<void>;
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
	return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of migrations not yet applied, so the server can refuse to run on an old schema. */
export async function pendingMigrations(db: Db): Promise<string[]> {
	const all = await migrator(db).getMigrations();
	return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
