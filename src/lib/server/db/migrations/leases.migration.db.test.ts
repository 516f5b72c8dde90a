/** The 2026-12-04 leases migration on stores that already hold lease rows, and migrating beside another schema. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Migrator } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresAvailable, testPgUrl } from '$support/databases';
import { createDb, type Store } from '../create-db';
import { migrateToLatest } from '../migrate';
import { migrations } from './index';

const postgresUp = await postgresAvailable();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function pgAdmin(query: string) {
	const client = new pg.Client({ connectionString: testPgUrl });
	await client.connect();
	try {
		await client.query(query);
	} finally {
		await client.end();
	}
}

/** An empty store of the given kind, removed after the test. */
async function emptyStore(kind: 'sqlite' | 'postgres'): Promise<Store & { schema?: string }> {
	if (kind === 'sqlite') {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-migration-'));
		const store = createDb({ kind: 'sqlite', path: path.join(dir, 'test.db') });
		cleanups.push(async () => {
			await store.close();
			fs.rmSync(dir, { recursive: true, force: true });
		});
		return store;
	}
	const schema = `dp_test_mig_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
	await pgAdmin(`create schema "${schema}"`);
	const store = createDb({ kind: 'postgres', url: testPgUrl, schema });
	cleanups.push(async () => {
		await store.close();
		await pgAdmin(`drop schema "${schema}" cascade`);
	});
	return { ...store, schema };
}

for (const kind of ['sqlite', 'postgres'] as const) {
	describe.skipIf(kind === 'postgres' && !postgresUp)(`the leases migration [${kind}]`, () => {
		it('moves lease rows out of import_checkpoints into leases, and keeps other checkpoints', async () => {
			const { db, schema } = await emptyStore(kind);
			const before = new Migrator({
				db,
				// As migrateToLatest does: this schema's migration tables, not another's.
				...(schema ? { migrationTableSchema: schema } : {}),
				provider: {
					getMigrations: async () =>
						Object.fromEntries(
							Object.entries(migrations).filter(([name]) => name < '2026-12-04T00-leases')
						)
				}
			});
			expect((await before.migrateToLatest()).error).toBeUndefined();
			await db
				.insertInto('import_checkpoints')
				.values([
					{
						name: 'lease:arxiv-oai',
						value: JSON.stringify({ holder: 'node-a', until: '2030-01-01T00:05:00.000Z' }),
						updated_at: '2030-01-01T00:00:00.000Z'
					},
					{
						name: 'lease:trending',
						value: JSON.stringify({ holder: 'node-b', until: '2030-01-01T00:07:00.000Z' }),
						updated_at: '2030-01-01T00:02:00.000Z'
					},
					{ name: 'lease:broken', value: 'not json', updated_at: '2030-01-01T00:00:00.000Z' },
					{
						name: 'arxiv-oai:arXivRaw:cs',
						value: '{"from":"2024-01-01"}',
						updated_at: '2030-01-01T00:00:00.000Z'
					}
				])
				.execute();

			expect(await migrateToLatest(db)).toContain('2026-12-04T00-leases');

			expect(await db.selectFrom('leases').selectAll().orderBy('name').execute()).toEqual([
				{
					name: 'arxiv-harvest',
					holder: 'node-a',
					expires_at: '2030-01-01T00:05:00.000Z',
					acquired_at: '2030-01-01T00:00:00.000Z'
				},
				{
					name: 'trending',
					holder: 'node-b',
					expires_at: '2030-01-01T00:07:00.000Z',
					acquired_at: '2030-01-01T00:02:00.000Z'
				}
			]);
			expect(
				(await db.selectFrom('import_checkpoints').select('name').execute()).map((r) => r.name)
			).toEqual(['arxiv-oai:arXivRaw:cs']);
			expect(await db.selectFrom('job_runs').selectAll().execute()).toEqual([]);
		});
	});
}

describe.skipIf(!postgresUp)('migrating a PostgreSQL schema beside another', () => {
	it("creates its own migration tables although another schema's exist", async () => {
		const first = await emptyStore('postgres');
		await migrateToLatest(first.db);
		const second = await emptyStore('postgres');
		const applied = await migrateToLatest(second.db);
		expect(applied).toContain('2026-11-27T00-initial');
		expect(await second.db.selectFrom('leases').selectAll().execute()).toEqual([]);
	});
});
