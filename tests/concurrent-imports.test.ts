/**
 * Two `dailypapers import` processes started at the same moment on one fresh store (a
 * SQLite file, a PostgreSQL schema): both migrate, both write, neither fails, and the
 * store holds every paper once. Before the migration lock and SQLite's immediate
 * transactions, one of two HF imports failed in every run ("database is locked", or
 * "Migration … failed: table papers already exists").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { migrations } from '../src/lib/server/db/migrations';
import { runCli } from './support/app-server';
import { createTestDatabase, describeEachDialectKind, type TestDatabase } from './support/databases';
import { makeHfEntry } from './support/fixtures';

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
	const result = await sql<{ n: number | string }>`select count(*) as n from kysely_migration`.execute(
		database.store.db
	);
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
});
