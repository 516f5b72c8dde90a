/**
 * Runs a test suite against every dialect: a fresh SQLite file and a fresh
 * PostgreSQL schema per suite, migrated, and removed afterwards.
 *
 * PostgreSQL is expected at DP_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test).
 * When it is unreachable outside CI, its suites skip with a visible message; in CI they fail.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { createDb, type Store } from '../../src/lib/server/db/create-db';
import { migrateToLatest } from '../../src/lib/server/db/migrate';

export const testPgUrl = process.env.DP_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let pgReachable: Promise<boolean> | undefined;

/** Whether the test PostgreSQL answers (checked once per process). */
export function postgresAvailable(): Promise<boolean> {
	pgReachable ??= (async () => {
		const client = new pg.Client({ connectionString: testPgUrl, connectionTimeoutMillis: 3000 });
		try {
			await client.connect();
			await client.query('select 1');
			return true;
		} catch (error) {
			if (process.env.CI === 'true')
				throw new Error(`PostgreSQL at ${testPgUrl} is required in CI`, { cause: error });
			console.warn(
				`[skip] PostgreSQL at ${testPgUrl} is unreachable: PostgreSQL suites are skipped`
			);
			return false;
		} finally {
			await client.end().catch(() => undefined);
		}
	})();
	return pgReachable;
}

export interface TestDatabase {
	kind: 'sqlite' | 'postgres';
	/** The DatabaseConfig-compatible description, to hand to a child process. */
	env: Record<string, string>;
	store: Store;
}

/**
 * Creates a fresh database of the given kind, migrated unless `migrate` is false
 * (for tests of a migration on a store left at an earlier one).
 */
export async function createTestDatabase(
	kind: 'sqlite' | 'postgres',
	{ migrate = true }: { migrate?: boolean } = {}
): Promise<TestDatabase & { drop(): Promise<void> }> {
	const unique = `${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
	if (kind === 'sqlite') {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-test-'));
		const file = path.join(dir, 'test.db');
		const store = createDb({ kind: 'sqlite', path: file });
		if (migrate) await migrateToLatest(store.db);
		return {
			kind,
			env: { DP_DB_PATH: file },
			store,
			async drop() {
				await store.close();
				fs.rmSync(dir, { recursive: true, force: true });
			}
		};
	}
	const schema = `dp_test_${unique}`;
	const admin = new pg.Client({ connectionString: testPgUrl });
	await admin.connect();
	await admin.query(`create schema "${schema}"`);
	await admin.end();
	const store = createDb({ kind: 'postgres', url: testPgUrl, schema });
	if (migrate) await migrateToLatest(store.db);
	const url = new URL(testPgUrl);
	url.searchParams.set('options', `-c search_path=${schema}`);
	return {
		kind,
		env: { DATABASE_URL: url.href },
		store,
		async drop() {
			await store.close();
			const cleanup = new pg.Client({ connectionString: testPgUrl });
			await cleanup.connect();
			await cleanup.query(`drop schema "${schema}" cascade`);
			await cleanup.end();
		}
	};
}

// Checked once at collection time, so unavailable dialects show as skipped suites.
const postgresUp = await postgresAvailable();

/**
 * Declares the suite once per dialect, for tests that make their own databases
 * (`createTestDatabase(kind)`), e.g. one empty database per test.
 */
export function describeEachDialectKind(
	name: string,
	body: (kind: TestDatabase['kind']) => void
): void {
	for (const kind of ['sqlite', 'postgres'] as const) {
		describe.skipIf(kind === 'postgres' && !postgresUp)(`${name} [${kind}]`, () => body(kind));
	}
}

/** Creates the suite's database before its tests and drops it after them; returns `get()`. */
function suiteDatabase(kind: TestDatabase['kind']): () => TestDatabase {
	let database: (TestDatabase & { drop(): Promise<void> }) | undefined;
	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(async () => {
		await database?.drop();
	});
	return () => {
		if (!database) throw new Error('database not ready');
		return database;
	};
}

/**
 * Declares the suite once per dialect. `get()` returns the suite's database,
 * created before its tests and dropped after them.
 */
export function describeEachDialect(name: string, body: (get: () => TestDatabase) => void): void {
	describeEachDialectKind(name, (kind) => body(suiteDatabase(kind)));
}

/**
 * Declares a suite that only PostgreSQL can host (several app processes sharing one
 * database server), with a fresh schema as in describeEachDialect; skipped like its
 * PostgreSQL half when PostgreSQL is unreachable outside CI.
 */
export function describePostgres(name: string, body: (get: () => TestDatabase) => void): void {
	describe.skipIf(!postgresUp)(`${name} [postgres]`, () => body(suiteDatabase('postgres')));
}
