import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
	createTestDatabase,
	describePostgres,
	postgresAvailable,
	testPgUrl
} from '$support/databases';
import { findPaper } from '../papers/paper.repository';
import { savePapers } from '../papers/paper.service';
import { addMembers, makePaper } from '$support/fixtures';
import { castVote } from '../votes/vote.service';
import { migrateTo, migrateToLatest, pendingMigrations } from './migrate';

const postgresUp = await postgresAvailable();

for (const kind of ['sqlite', 'postgres'] as const) {
	describe.skipIf(kind === 'postgres' && !postgresUp)(`migrations [${kind}]`, () => {
		it('keeps the source counts of existing papers when it separates community votes', async () => {
			const database = await createTestDatabase(kind, { migrate: false });
			const { db } = database.store;
			try {
				await migrateTo(db, '2026-11-27T01-arxiv-metadata');
				// Rows as the previous schema stored them, written without today's repositories.
				for (const [id, upvotes, seq] of [
					['2405.00001', 42, 1],
					['2405.00002', 0, 2]
				] as const) {
					await sql`insert into papers (id, title, abstract, categories, published_at, updated_at,
						ai_keywords, upvotes, num_comments, seq, created_at, modified_at)
						values (${id}, ${`Paper ${id}`}, 'An abstract.', '["cs.LG"]', '2024-05-01T00:00:00.000Z',
						'2024-05-01T00:00:00.000Z', '[]', ${upvotes}, 3, ${seq},
						'2024-05-02T00:00:00.000Z', '2024-05-02T00:00:00.000Z')`.execute(db);
				}
				await sql`update counters set value = 2 where name = 'papers'`.execute(db);

				expect(await pendingMigrations(db)).toContain('2026-12-04T01-community-votes');
				await migrateToLatest(db);
				expect(await pendingMigrations(db)).toEqual([]);

				expect(await findPaper(db, '2405.00001')).toMatchObject({
					sourceUpvotes: 42,
					memberUpvotes: 0,
					upvotes: 42,
					numComments: 3,
					seq: 1
				});
				expect(await findPaper(db, '2405.00002')).toMatchObject({ sourceUpvotes: 0, upvotes: 0 });

				// The migrated store takes votes, and a re-import keeps the larger source count.
				await addMembers(db, ['m1']);
				expect(await castVote(db, { paperId: '2405.00001', memberId: 'm1' })).toMatchObject({
					upvotes: 43,
					memberUpvotes: 1
				});
				const stored = await findPaper(db, '2405.00001');
				await savePapers(db, [{ ...stored!, sourceUpvotes: 40 }]);
				expect(await findPaper(db, '2405.00001')).toMatchObject({
					sourceUpvotes: 42,
					memberUpvotes: 1,
					upvotes: 43
				});
			} finally {
				await database.drop();
			}
		});

		it('runs down and up again', async () => {
			const database = await createTestDatabase(kind);
			const { db } = database.store;
			try {
				const paper = makePaper({ sourceUpvotes: 7 });
				await savePapers(db, [paper]);
				await migrateTo(db, '2026-11-27T01-arxiv-metadata');
				const row = await sql<{
					upvotes: number;
				}>`select upvotes from papers where id = ${paper.id}`.execute(db);
				expect(row.rows[0]?.upvotes).toBe(7);
				await migrateToLatest(db);
				expect(await findPaper(db, paper.id)).toMatchObject({ sourceUpvotes: 7, upvotes: 7 });
			} finally {
				await database.drop();
			}
		});
	});
}

describe.skipIf(!postgresUp)('migrations beside other schemas [postgres]', () => {
	it('migrates its own schema while another schema of the database has migration tables', async () => {
		const admin = new pg.Client({ connectionString: testPgUrl });
		await admin.connect();
		const other = `dp_test_other_${process.pid}_${Date.now().toString(36)}`;
		try {
			await admin.query(`create schema "${other}"`);
			await admin.query(`create table "${other}".kysely_migration (name text primary key)`);
			await admin.query(`create table "${other}".kysely_migration_lock (id text primary key)`);
			const database = await createTestDatabase('postgres');
			try {
				expect(await pendingMigrations(database.store.db)).toEqual([]);
			} finally {
				await database.drop();
			}
		} finally {
			await admin.query(`drop schema if exists "${other}" cascade`);
			await admin.end();
		}
	});
});

describePostgres('migrating one schema among several', (get) => {
	it('migrates a fresh schema while another schema of the database is already migrated', async () => {
		// get() is the migrated neighbour whose bookkeeping tables Kysely must not mistake for ours.
		expect(await pendingMigrations(get().store.db)).toEqual([]);
		const fresh = await createTestDatabase('postgres');
		try {
			expect(await pendingMigrations(fresh.store.db)).toEqual([]);
			const { rows } = await sql<{ tables: string }>`
				select count(*) as tables from information_schema.tables
				where table_schema = current_schema() and table_name like 'kysely_migration%'
			`.execute(fresh.store.db);
			expect(Number(rows[0].tables)).toBe(2);
		} finally {
			await fresh.drop();
		}
	});
});
