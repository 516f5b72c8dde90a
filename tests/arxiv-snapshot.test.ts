/**
 * `dailypapers import arxiv-snapshot` against real SQLite and PostgreSQL: the
 * shared sample twice, every kind of bad input, version rules, and kill -9 then
 * resume.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, sqliteConnection } from '../src/lib/server/db/create-db';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { importArxivSnapshot } from '../src/lib/server/ingest/arxiv-snapshot.import';
import { findCheckpoint } from '../src/lib/server/ingest/import-checkpoint.repository';
import { snapshotCheckpointName } from '../src/lib/server/ingest/arxiv-snapshot.import';
import { countRows, currentSeq, findPaper } from '../src/lib/server/papers/paper.repository';
import { killCliAfterFirstCommit, runCli } from './support/app-server';
import { describeEachDialect } from './support/databases';
import { sharedData } from './support/shared-data';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-snapshot-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let files = 0;
function writeSnapshot(lines: (string | Buffer)[], gzip = false): string {
	files += 1;
	const file = path.join(dir, `snapshot-${files}.jsonl${gzip ? '.gz' : ''}`);
	const body = Buffer.concat(lines.map((l) => Buffer.concat([Buffer.from(l), Buffer.from('\n')])));
	fs.writeFileSync(file, gzip ? zlib.gzipSync(body) : body);
	return file;
}

/**
 * One snapshot line; `n` makes the id and a byline of 1–7 distinct authors. Each
 * test uses its own `month` so that ids never collide in the shared database.
 */
function snapshotLine(n: number, month: string, overrides: Record<string, unknown> = {}): string {
	const id = `${month}.${String(n).padStart(5, '0')}`;
	const authors = Array.from({ length: 1 + (n % 7) }, (_, a) => [
		`Author${month}${n}x${a}`,
		'A.',
		''
	]);
	return JSON.stringify({
		id,
		submitter: 'A. Author',
		authors: authors.map(([last, first]) => `${first} ${last}`).join(', '),
		title: `Paper number ${n}`,
		comments: null,
		'journal-ref': null,
		doi: null,
		'report-no': null,
		categories: 'cs.LG stat.ML',
		license: 'http://creativecommons.org/licenses/by/4.0/',
		abstract: `  The abstract of paper ${n},\nwrapped at eighty columns.\n`,
		versions: [{ version: 'v1', created: 'Mon, 4 Jan 2021 10:00:00 GMT' }],
		update_date: '2021-01-05',
		authors_parsed: authors,
		...overrides
	});
}

const linksOf = (n: number) => 1 + (n % 7);

describeEachDialect('import arxiv-snapshot', (get) => {
	const sample = sharedData('arxiv-kaggle-sample');

	it.skipIf(!sample)('imports the shared sample; a second run changes nothing', async () => {
		const { store } = get();
		const file = path.join(sample!, 'arxiv-metadata-oai-snapshot.head200.jsonl');
		const first = await importArxivSnapshot(store.db, file);
		expect(first).toMatchObject({ records: 200, inserted: 200, skipped: 0 });
		const counts = await countRows(store.db);
		const seq = await currentSeq(store.db);
		const second = await importArxivSnapshot(store.db, file);
		expect(second).toMatchObject({ records: 200, inserted: 0, updated: 0, unchanged: 200 });
		expect(await countRows(store.db)).toEqual(counts);
		expect(await currentSeq(store.db)).toBe(seq);
		// A finished import leaves no resume point behind.
		expect(await findCheckpoint(store.db, await snapshotCheckpointName(file))).toBeUndefined();
		const paper = await findPaper(store.db, '0704.0001');
		expect(paper).toMatchObject({
			version: 2,
			authors: ['C. Balázs', 'E. L. Berger', 'P. M. Nadolsky', 'C.-P. Yuan']
		});
		expect(paper?.authorsText).toBe("C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan");
	});

	it('reports each bad line with its number and reason, and imports the rest', async () => {
		const { store } = get();
		const before = (await countRows(store.db)).papers;
		const file = writeSnapshot([
			snapshotLine(1, '2102'),
			'{"id": "2101.00002", "title": ',
			snapshotLine(3, '2102', { id: undefined }),
			snapshotLine(4, '2102', { id: 'foo/1234567' }),
			snapshotLine(5, '2102', { abstract: 'x'.repeat(10 << 20) }),
			Buffer.concat([
				Buffer.from(snapshotLine(6, '2102').slice(0, 40)),
				Buffer.from([0xc3, 0x28]),
				Buffer.from('"}')
			]),
			'',
			snapshotLine(8, '2102')
		]);
		const summary = await importArxivSnapshot(store.db, file);
		expect(summary).toMatchObject({ records: 7, inserted: 2, skipped: 5 });
		expect(summary.problems.map((p) => [p.record, p.reason.replace(/ \(.*/, '')])).toEqual([
			[2, 'not JSON'],
			[3, 'missing id'],
			[4, 'invalid arXiv id "foo/1234567"'],
			[5, 'line is 10.0 MiB'],
			[6, 'not valid UTF-8']
		]);
		expect((await countRows(store.db)).papers).toBe(before + 2);
	});

	it('imports what precedes the cut in a truncated gzip file and says so', async () => {
		const { store } = get();
		const before = (await countRows(store.db)).papers;
		const whole = writeSnapshot(
			Array.from({ length: 3000 }, (_, i) => snapshotLine(i, '2103')),
			true
		);
		const bytes = fs.readFileSync(whole);
		const cut = path.join(dir, 'cut.jsonl.gz');
		fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
		const summary = await importArxivSnapshot(store.db, cut);
		expect(summary.truncated).toBe(true);
		expect(summary.problems.at(-1)?.reason).toMatch(/^input is truncated/);
		const papers = (await countRows(store.db)).papers - before;
		expect(papers).toBe(summary.inserted);
		expect(papers).toBeGreaterThan(100);
		expect(papers).toBeLessThan(3000);
	});

	it('lets a newer version replace an older one, never the reverse', async () => {
		const { store } = get();
		const v2 = [
			{ version: 'v1', created: 'Mon, 4 Jan 2021 10:00:00 GMT' },
			{ version: 'v2', created: 'Mon, 1 Feb 2021 10:00:00 GMT' }
		];
		await importArxivSnapshot(
			store.db,
			writeSnapshot([snapshotLine(1, '2104', { versions: v2, title: 'Second' })])
		);
		const seq = await currentSeq(store.db);
		const older = await importArxivSnapshot(
			store.db,
			writeSnapshot([snapshotLine(1, '2104', { title: 'First' })])
		);
		expect(older).toMatchObject({ updated: 0, unchanged: 1 });
		expect(await currentSeq(store.db)).toBe(seq);
		const v3 = [...v2, { version: 'v3', created: 'Mon, 1 Mar 2021 10:00:00 GMT' }];
		await importArxivSnapshot(
			store.db,
			writeSnapshot([snapshotLine(1, '2104', { versions: v3, title: 'Third' })])
		);
		expect(await findPaper(store.db, '2104.00001')).toMatchObject({
			version: 3,
			title: 'Third',
			publishedAt: '2021-01-04T10:00:00.000Z',
			updatedAt: '2021-03-01T10:00:00.000Z'
		});
		expect(await currentSeq(store.db)).toBe(seq + 1);
	});

	it('exits non-zero only when nothing could be imported', async () => {
		const { env } = get();
		const bad = await runCli(['import', 'arxiv-snapshot', writeSnapshot(['nope', '[]'])], env);
		expect(bad.status).toBe(1);
		expect(bad.stderr).toContain('record 1: not JSON');
		const mixed = await runCli(
			['import', 'arxiv-snapshot', writeSnapshot(['nope', snapshotLine(9, '2105')])],
			env
		);
		expect(mixed.status, mixed.stderr).toBe(0);
		expect(mixed.stdout).toContain('1 new');
		const usage = await runCli(['import', 'arxiv-snapshot'], env);
		expect(usage.status).toBe(2);
	});

	it('resumes after kill -9 without duplicates or gaps, counted against the input', async () => {
		const { store, env } = get();
		const total = 40_000;
		const before = await countRows(store.db);
		const seqBefore = await currentSeq(store.db);
		const file = writeSnapshot(
			Array.from({ length: total }, (_, i) => snapshotLine(i, '2106')),
			true
		);
		const expectedLinks = Array.from({ length: total }, (_, i) => linksOf(i)).reduce(
			(a, b) => a + b,
			0
		);

		const signal = await killCliAfterFirstCommit(
			['import', 'arxiv-snapshot', file],
			env,
			async () => (await currentSeq(store.db)) > seqBefore
		);
		expect(signal).toBe('SIGKILL');
		const partial = (await countRows(store.db)).papers - before.papers;
		expect(partial).toBeGreaterThan(0);
		expect(partial).toBeLessThan(total);
		// Whole papers only: each stored paper has its whole byline.
		const links = await store.db
			.selectFrom('paper_authors')
			.select('paper_id')
			.where('paper_id', 'like', '2106.%')
			.execute();
		const byPaper = new Map<string, number>();
		for (const { paper_id } of links) byPaper.set(paper_id, (byPaper.get(paper_id) ?? 0) + 1);
		expect(byPaper.size).toBe(partial);
		for (const [id, count] of byPaper) expect(count, id).toBe(linksOf(Number(id.slice(5))));

		const resumed = await runCli(['import', 'arxiv-snapshot', file], env);
		expect(resumed.status, resumed.stderr).toBe(0);
		expect(resumed.stdout).toMatch(/resumed after line [1-9]\d*/);
		const complete = await countRows(store.db);
		expect(complete.papers - before.papers).toBe(total);
		expect(complete.paperAuthors - before.paperAuthors).toBe(expectedLinks);
		expect(await currentSeq(store.db)).toBe(seqBefore + total);

		const again = await runCli(['import', 'arxiv-snapshot', file], env);
		expect(again.stdout).toContain(`0 new, 0 updated, ${total} unchanged`);
		expect(await currentSeq(store.db)).toBe(seqBefore + total);
		expect(await countRows(store.db)).toEqual(complete);
	}, 240_000);
});

describe('import arxiv-snapshot on a locked SQLite database', () => {
	it('stops with a clear error, keeps what it saved, and resumes once the lock is gone', async () => {
		const file = path.join(dir, 'locked.db');
		const store = createDb({ kind: 'sqlite', path: file });
		try {
			await migrateToLatest(store.db);
			const connection = sqliteConnection(store.db)!;
			connection.pragma('busy_timeout = 100');
			const settings = () => ({
				foreignKeys: connection.pragma('foreign_keys', { simple: true }),
				cacheSize: connection.pragma('cache_size', { simple: true })
			});
			const before = settings();
			expect(before.foreignKeys).toBe(1);
			const lines = Array.from({ length: 30 }, (_, i) => snapshotLine(i, '2107'));
			const snapshot = writeSnapshot(lines);
			const other = new SQLite(file);
			other.exec('begin exclusive');
			await expect(importArxivSnapshot(store.db, snapshot, { batchSize: 10 })).rejects.toThrow(
				/could not save lines 1-30 of .*: the database is locked by another process\. That batch was rolled back; everything up to line 0 is stored/
			);
			other.exec('rollback');
			other.close();
			expect((await countRows(store.db)).papers).toBe(0);
			// The bulk-load settings are the connection's usual ones again, after a failure too.
			expect(settings()).toEqual(before);
			const retry = await importArxivSnapshot(store.db, snapshot, { batchSize: 10 });
			expect(retry).toMatchObject({ records: 30, inserted: 30 });
			expect(settings()).toEqual(before);
		} finally {
			await store.close();
		}
	});
});

describe('the indexes a bulk load into an empty SQLite store defers', () => {
	const indexNames = (file: string) => {
		const db = new SQLite(file, { readonly: true });
		try {
			return (
				db
					.prepare("select name from sqlite_master where type = 'index' and name in (?, ?)")
					.all('paper_authors_author', 'papers_published_at') as { name: string }[]
			)
				.map((row) => row.name)
				.sort();
		} finally {
			db.close();
		}
	};

	it('are back after the import, and after a kill -9 once the store is migrated again', async () => {
		const lines = Array.from({ length: 30_000 }, (_, i) => snapshotLine(i, '2108'));
		const snapshot = writeSnapshot(lines, true);
		const expected = ['paper_authors_author', 'papers_published_at'];

		const whole = path.join(dir, 'whole.db');
		const done = await runCli(['import', 'arxiv-snapshot', snapshot], { DP_DB_PATH: whole });
		expect(done.status, done.stderr).toBe(0);
		expect(indexNames(whole)).toEqual(expected);

		const killed = path.join(dir, 'killed.db');
		const store = createDb({ kind: 'sqlite', path: killed });
		try {
			await migrateToLatest(store.db);
			const signal = await killCliAfterFirstCommit(
				['import', 'arxiv-snapshot', snapshot],
				{ DP_DB_PATH: killed },
				async () => (await currentSeq(store.db)) > 0
			);
			expect(signal).toBe('SIGKILL');
			expect(indexNames(killed)).toEqual([]);
			await migrateToLatest(store.db);
			expect(indexNames(killed)).toEqual(expected);
		} finally {
			await store.close();
		}
	}, 120_000);
});
