/**
 * Two `dailypapers import` processes started at the same moment on one fresh store (a
 * SQLite file, a PostgreSQL schema): both migrate, both write, neither fails, and the
 * store holds every paper once. Before the migration lock and SQLite's immediate
 * transactions, one of two HF imports failed in every run ("database is locked", or
 * "Migration … failed: table papers already exists"), and on PostgreSQL one failed on
 * a duplicate author link. Two harvests: one runs, the other says who holds the lease.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { migrations } from '../src/lib/server/db/migrations';
import { runCli } from './support/app-server';
import {
	createTestDatabase,
	describeEachDialectKind,
	type TestDatabase
} from './support/databases';
import { makeHfEntry } from './support/fixtures';
import { startReplayServer } from './support/replay-server';

const ROUNDS = 3;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-concurrent-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Four days of 300 HF entries each: 1,200 papers, more than two 500-paper batches. */
function writeHfFolder(): { folder: string; papers: number } {
	const folder = path.join(dir, 'hf');
	fs.mkdirSync(folder, { recursive: true });
	const days = ['2033-02-01', '2033-02-02', '2033-02-03', '2033-02-04'];
	days.forEach((day, d) => {
		const entries = Array.from({ length: 300 }, (_, n) =>
			makeHfEntry(`3302.${String(d * 300 + n).padStart(5, '0')}`)
		);
		fs.writeFileSync(path.join(folder, `${day}.json`), JSON.stringify(entries));
	});
	return { folder, papers: days.length * 300 };
}

/** A snapshot file of `count` records with distinct ids and bylines. */
function writeSnapshot(count: number): string {
	const file = path.join(dir, 'snapshot.jsonl');
	const lines = Array.from({ length: count }, (_, n) =>
		JSON.stringify({
			id: `3303.${String(n).padStart(5, '0')}`,
			submitter: 'A. Author',
			authors: `A. Author${n}, B. Writer${n % 50}`,
			title: `Concurrent paper ${n}`,
			categories: 'cs.DB',
			abstract: `  Abstract ${n}.\n`,
			versions: [{ version: 'v1', created: 'Tue, 1 Feb 2033 10:00:00 GMT' }],
			update_date: '2033-02-02',
			authors_parsed: [
				[`Author${n}`, 'A.', ''],
				[`Writer${n % 50}`, 'B.', '']
			]
		})
	);
	fs.writeFileSync(file, lines.join('\n') + '\n');
	return file;
}

async function count(database: TestDatabase, table: 'papers' | 'daily_picks'): Promise<number> {
	const row = await database.store.db
		.selectFrom(table)
		.select((eb) => eb.fn.countAll<number | string>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

async function appliedMigrations(database: TestDatabase): Promise<number> {
	const result = await sql<{
		n: number | string;
	}>`select count(*) as n from kysely_migration`.execute(database.store.db);
	return Number(result.rows[0].n);
}

/** The "N new" of each summary line, summed: every paper is new to exactly one of them. */
function newPapers(...stdouts: string[]): number {
	return stdouts.reduce((sum, out) => sum + Number(/: (\d+) new, /.exec(out)?.[1] ?? NaN), 0);
}

/** Starts the same import twice at once on a fresh, unmigrated store, ROUNDS times. */
async function importTwiceAtOnce(
	kind: TestDatabase['kind'],
	args: string[],
	check: (database: TestDatabase, outputs: string[]) => Promise<void>
): Promise<void> {
	for (let round = 0; round < ROUNDS; round += 1) {
		const database = await createTestDatabase(kind, { migrate: false });
		try {
			const results = await Promise.all([runCli(args, database.env), runCli(args, database.env)]);
			for (const result of results) {
				expect(result.stderr, `round ${round + 1}`).not.toMatch(/locked|failed|already exists/);
				expect(result.status, `round ${round + 1}: ${result.stderr}`).toBe(0);
			}
			expect(await appliedMigrations(database)).toBe(Object.keys(migrations).length);
			await check(
				database,
				results.map((r) => r.stdout)
			);
		} finally {
			await database.drop();
		}
	}
}

describeEachDialectKind('two imports started together on a fresh store', (kind) => {
	it('hf-daily twice: both exit 0, the store is migrated once and holds every paper and pick once', async () => {
		const { folder, papers } = writeHfFolder();
		await importTwiceAtOnce(kind, ['import', 'hf-daily', folder], async (database, outputs) => {
			expect(await count(database, 'papers')).toBe(papers);
			expect(await count(database, 'daily_picks')).toBe(papers);
			expect(newPapers(...outputs)).toBe(papers);
		});
	}, 300_000);

	it('arxiv-snapshot of one file twice: both exit 0 and the store holds every record once', async () => {
		const records = 2_500;
		const file = writeSnapshot(records);
		await importTwiceAtOnce(kind, ['import', 'arxiv-snapshot', file], async (database, outputs) => {
			expect(await count(database, 'papers')).toBe(records);
			expect(newPapers(...outputs)).toBe(records);
		});
	}, 300_000);

	it('arxiv-oai twice: one harvests, the other exits 1 naming the holder of the lease', async () => {
		const page = fs.readFileSync(
			path.join(import.meta.dirname, 'fixtures/oai/arxivraw-cs-page3.xml'),
			'utf8'
		);
		// The answer is slow, so the first harvest still holds the lease when the second asks.
		const server = await startReplayServer(() => ({
			status: 200,
			body: page,
			headers: { 'content-type': 'text/xml; charset=utf-8' },
			delayMs: 1_500
		}));
		try {
			for (let round = 0; round < ROUNDS; round += 1) {
				const database = await createTestDatabase(kind, { migrate: false });
				try {
					const env = {
						...database.env,
						DP_ARXIV_OAI_URL: `${server.url}/oai2`,
						DP_ARXIV_OAI_DELAY_MS: '0'
					};
					const args = ['import', 'arxiv-oai', '--set', 'cs', '--from', '2024-01-01'];
					const results = await Promise.all([runCli(args, env), runCli(args, env)]);
					const statuses = results.map((r) => r.status).sort();
					expect(statuses, results.map((r) => r.stderr).join('\n')).toEqual([0, 1]);
					const busy = results.find((r) => r.status === 1)!;
					expect(busy.stderr).toMatch(
						/another process is harvesting \(.+:\d+:.+, lease until .+\); try again later/
					);
					expect(await appliedMigrations(database)).toBe(Object.keys(migrations).length);
					// The page holds two papers and a record without a title (reported, skipped).
					expect(await count(database, 'papers')).toBe(2);
				} finally {
					await database.drop();
				}
			}
		} finally {
			await server.close();
		}
	}, 300_000);
});
