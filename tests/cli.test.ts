/** The `dailypapers` command as a user runs it: exit codes, messages, imports end to end. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPaper } from '../src/lib/server/papers/paper.repository';
import { savePapers } from '../src/lib/server/papers/paper.service';
import { loadTrendingPage } from '../src/lib/server/trending/trending.service';
import { runCli } from './support/app-server';
import { describeEachDialect } from './support/databases';
import { makeHfEntry, makePaper } from './support/fixtures';
import { startReplayServer, type ReplayServer } from './support/replay-server';
import { sharedData } from './support/shared-data';

const recordings = sharedData('arxiv-api-atom/recorded');

/** A scratch folder for input files and the index; the store is the suite's database. */
function tempDir(): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), 'dp-cli-'));
}

// A SQLite file only so that nothing touches ./data: usage and configuration errors exit
// before the store is opened, so they do not depend on the dialect.
function tempDb(): { env: Record<string, string> } {
	return { env: { DP_DB_PATH: path.join(tempDir(), 'cli.db') } };
}

describe('dailypapers usage', () => {
	it('prints help and exits 0', async () => {
		const result = await runCli(['--help'], tempDb().env);
		expect(result.status).toBe(0);
		expect(result.stdout).toContain('import hf-daily');
	});

	it('exits 2 with the usage for an unknown command or a missing argument', async () => {
		const unknown = await runCli(['frobnicate'], tempDb().env);
		expect(unknown.status).toBe(2);
		expect(unknown.stderr).toContain('unknown command "frobnicate"');
		const missing = await runCli(['import', 'hf-daily'], tempDb().env);
		expect(missing.status).toBe(2);
		expect(missing.stderr).toContain('needs at least one file');
	});

	it('exits 2 listing every configuration problem', async () => {
		const result = await runCli(['migrate'], { DATABASE_URL: 'mysql://x', PORT: 'eighty' });
		expect(result.status).toBe(2);
		expect(result.stderr).toContain('DATABASE_URL');
		expect(result.stderr).toContain('PORT');
	});
});

describeEachDialect('dailypapers import hf-daily', (database) => {
	it('names the file, record and reason of each skipped record, and imports the rest', async () => {
		const { env } = database();
		const input = path.join(tempDir(), 'in');
		fs.mkdirSync(input);
		fs.writeFileSync(
			path.join(input, '2032-01-05.json'),
			JSON.stringify([
				makeHfEntry('3201.00001'),
				makeHfEntry('3201.00002', { publishedAt: 'not a date' })
			])
		);
		fs.writeFileSync(path.join(input, '2032-01-06.json'), '[{"paper": {"id": ');
		const result = await runCli(['import', 'hf-daily', input], env);
		expect(result.status).toBe(0);
		expect(result.stderr).toMatch(
			/2032-01-05\.json record 1 \(3201\.00002\): bad date paper\.publishedAt/
		);
		expect(result.stderr).toMatch(/2032-01-06\.json: not JSON/);
		expect(result.stdout).toContain('imported 1 of 2 records from 2 source(s): 1 new');
	});

	it('exits 1 when nothing at all could be imported', async () => {
		const { env } = database();
		const file = path.join(tempDir(), 'broken.json');
		fs.writeFileSync(file, '{"not": "a list"}');
		const result = await runCli(['import', 'hf-daily', file], env);
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('not a daily-papers response');
	});

	it('exits 1 for a path that does not exist', async () => {
		const result = await runCli(['import', 'hf-daily', '/nonexistent/daily'], database().env);
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('/nonexistent/daily: no such file, folder or URL');
	});
});

describe.skipIf(!recordings)('dailypapers import arxiv-id (recorded arXiv responses)', () => {
	let replay: ReplayServer;

	beforeAll(async () => {
		const byIdList = new Map<string, string>();
		for (const name of fs.readdirSync(recordings!)) {
			const recording = JSON.parse(fs.readFileSync(path.join(recordings!, name), 'utf8')) as {
				url: string;
				body: string;
			};
			const idList = new URL(recording.url).searchParams.get('id_list');
			if (idList) byIdList.set(idList, recording.body);
		}
		replay = await startReplayServer((url) => {
			const body = byIdList.get(url.searchParams.get('id_list') ?? '');
			return body === undefined ? undefined : { status: 200, body };
		});
	});

	afterAll(async () => {
		await replay?.close();
	});

	describeEachDialect('against the store', (database) => {
		it('fetches papers by id, including versioned and old-style ids, and stores them', async () => {
			const { env, store } = database();
			const apiEnv = { ...env, DP_ARXIV_API_URL: `${replay.url}/api/query` };
			// One invocation per id: the recordings hold single-id lookups.
			for (const id of ['1707.08567', '2104.12255v1', 'astro-ph/0601001']) {
				const result = await runCli(['import', 'arxiv-id', id], apiEnv);
				expect(result.status, result.stderr).toBe(0);
				expect(result.stdout).toContain('1 new');
			}
			const paper = await findPaper(store.db, '2104.12255');
			expect(paper?.version).toBe(1);
			expect(paper?.title.length).toBeGreaterThan(0);
			expect(paper?.categories.length).toBeGreaterThan(0);
			expect((await findPaper(store.db, 'astro-ph/0601001'))?.authors.length).toBeGreaterThan(0);
			const again = await runCli(['import', 'arxiv-id', '1707.08567'], apiEnv);
			expect(again.stdout).toContain('0 new, 0 updated, 1 unchanged');
		});

		it('rejects a malformed id before asking arXiv', async () => {
			const before = replay.requests.length;
			const result = await runCli(['import', 'arxiv-id', '0808.05394'], {
				...database().env,
				DP_ARXIV_API_URL: `${replay.url}/api/query`
			});
			expect(result.status).toBe(1);
			expect(result.stderr).toContain('Not an arXiv id: "0808.05394"');
			expect(replay.requests.length).toBe(before);
		});

		it('reports an id arXiv does not know and exits 1 when nothing was found', async () => {
			const { env } = database();
			const result = await runCli(['import', 'arxiv-id', '0000.0000'], {
				...env,
				DP_ARXIV_API_URL: `${replay.url}/api/query`
			});
			expect(result.stderr).toMatch(/0000\.0000|not an arXiv id|no such paper/);
			expect(result.status).not.toBe(0);
		});
	});
});

describeEachDialect('dailypapers index', (database) => {
	it('builds, syncs and reports the search replica', async () => {
		const dir = tempDir();
		const indexEnv = { ...database().env, DP_INDEX_DIR: path.join(dir, 'index') };
		const input = path.join(dir, 'in');
		fs.mkdirSync(input);
		fs.writeFileSync(
			path.join(input, '2032-02-01.json'),
			JSON.stringify([makeHfEntry('3202.00001'), makeHfEntry('3202.00002')])
		);
		expect((await runCli(['import', 'hf-daily', input], indexEnv)).status).toBe(0);
		expect((await runCli(['index', 'stats'], indexEnv)).status).toBe(1);
		const built = await runCli(['index', 'build'], indexEnv);
		expect(built.status, built.stderr).toBe(0);
		expect(JSON.parse(built.stdout.trim().split('\n').at(-1)!)).toMatchObject({
			docs: 2,
			seq: 2,
			storeSeq: 2
		});
		fs.writeFileSync(
			path.join(input, '2032-02-02.json'),
			JSON.stringify([makeHfEntry('3202.00003')])
		);
		expect((await runCli(['import', 'hf-daily', input], indexEnv)).status).toBe(0);
		expect((await runCli(['index', 'sync'], indexEnv)).stdout).toContain(
			'indexed 1 changed paper(s); the replica is at seq 3'
		);
		const stats = await runCli(['index', 'stats'], indexEnv);
		expect(JSON.parse(stats.stdout)).toMatchObject({ docs: 3, seq: 3 });
		expect((await runCli(['index', 'rebuild'], indexEnv)).status).toBe(2);
	});
});

// Evaluation reads a BEIR folder and builds its own in-memory indexes: it never opens the store.
describe('dailypapers eval', () => {
	it('prints nDCG@10, Recall@100 and MRR@10 per configuration and writes a TREC run', async () => {
		const dir = tempDir();
		const beir = path.join(dir, 'beir');
		fs.mkdirSync(path.join(beir, 'qrels'), { recursive: true });
		const docs = [
			['d1', 'Boundary layer flow', 'Laminar boundary layer flow over a flat plate.'],
			['d2', 'Heat transfer', 'Heat transfer in turbulent pipe flow.'],
			['d3', 'Library catalogues', 'Indexing and cataloguing in research libraries.']
		];
		fs.writeFileSync(
			path.join(beir, 'corpus.jsonl'),
			docs.map(([id, title, text]) => JSON.stringify({ _id: id, title, text })).join('\n')
		);
		fs.writeFileSync(
			path.join(beir, 'queries.jsonl'),
			[
				{ _id: 'q1', text: 'boundary layer over a plate' },
				{ _id: 'q2', text: 'library indexing' }
			]
				.map((q) => JSON.stringify(q))
				.join('\n')
		);
		fs.writeFileSync(
			path.join(beir, 'qrels', 'test.tsv'),
			'query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td3\t2\n'
		);
		const runFile = path.join(dir, 'hybrid.run');
		const result = await runCli(['eval', '--beir', beir, '--run', runFile], {});
		expect(result.status, result.stderr).toBe(0);
		expect(result.stdout).toMatch(/nDCG@10/);
		expect(result.stdout).toMatch(/lexical \(BM25F\)\s+1\.0000/);
		const lines = fs.readFileSync(runFile, 'utf8').trim().split('\n');
		expect(lines[0]).toMatch(/^q1 Q0 d1 1 [\d.]+ dailypapers-hybrid$/);
	});

	it('exits 2 without --beir', async () => {
		expect((await runCli(['eval'], {})).status).toBe(2);
	});
});

describe('dailypapers jobs', () => {
	it('lists each job with its schedule, last run and next due time', async () => {
		const { env } = tempDb();
		const off = await runCli(['jobs', 'list'], env);
		expect(off.status, off.stderr).toBe(0);
		expect(off.stdout).toMatch(/^NAME\s+SCHEDULE\s+LAST RUN\s+NEXT DUE$/m);
		expect(off.stdout).toMatch(
			/^arxiv-harvest\s+daily at 03:00 UTC\s+never\s+off: DP_HARVEST_SETS is empty$/m
		);
		expect(off.stdout).toContain('arxiv-harvest: harvest arXiv over OAI-PMH');

		const on = await runCli(['jobs', 'list'], {
			...env,
			DP_HARVEST_SETS: 'cs,math',
			DP_HARVEST_HOUR_UTC: '5'
		});
		expect(on.status, on.stderr).toBe(0);
		expect(on.stdout).toMatch(
			/^arxiv-harvest\s+daily at 05:00 UTC\s+never\s+\d{4}-\d\d-\d\dT05:00:00\.000Z$/m
		);
		expect(on.stdout).toContain('sets: cs, math');
	});

	it('exits 2 with the usage for an unknown job or action, or a missing name', async () => {
		const { env } = tempDb();
		const unknown = await runCli(['jobs', 'run', 'nope'], env);
		expect(unknown.status).toBe(2);
		expect(unknown.stderr).toContain('unknown job "nope" (use arxiv-harvest, trending)');
		const missing = await runCli(['jobs', 'run'], env);
		expect(missing.status).toBe(2);
		expect(missing.stderr).toContain("jobs run needs a job's name");
		const action = await runCli(['jobs', 'frobnicate'], env);
		expect(action.status).toBe(2);
		expect(action.stderr).toContain('unknown jobs action "frobnicate"');
	});

	it('runs a job that is off from the command line, saying it is not scheduled', async () => {
		const { env } = tempDb();
		const result = await runCli(['jobs', 'run', 'arxiv-harvest'], env);
		expect(result.status, result.stderr).toBe(0);
		expect(result.stdout).toContain(
			'note: arxiv-harvest is not scheduled (DP_HARVEST_SETS is empty)'
		);
		expect(result.stdout).toContain('job arxiv-harvest done');
		const listed = await runCli(['jobs', 'list'], env);
		expect(listed.stdout).toMatch(/^arxiv-harvest\s+daily at 03:00 UTC\s+ok \S+ on \S+/m);
	});

	it('lists the trending job and runs it', async () => {
		const { env } = tempDb();
		const listed = await runCli(['jobs', 'list'], env);
		expect(listed.stdout).toContain('trending: rank the last month of papers by trending score');
		expect(listed.stdout).toMatch(/^trending\s+every 10 minute\(s\)\s+never\s+\S+$/m);
		const result = await runCli(['jobs', 'run', 'trending'], env);
		expect(result.status, result.stderr).toBe(0);
		expect(result.stdout).toContain('job trending done');
		const after = await runCli(['jobs', 'list'], env);
		expect(after.stdout).toMatch(/^trending\s+every 10 minute\(s\)\s+ok \S+ on \S+/m);
	});
});

describeEachDialect('dailypapers jobs run trending', (database) => {
	it('fills the trending windows of the store', async () => {
		const { db } = database().store;
		const publishedAt = new Date(Date.now() - 3 * 3_600_000).toISOString();
		await savePapers(db, [makePaper({ id: '2612.00001', sourceUpvotes: 7, publishedAt })]);
		expect((await loadTrendingPage(db, 'day', 0, 10)).computedAt).toBeNull();
		const result = await runCli(['jobs', 'run', 'trending'], {
			...database().env,
			DP_INDEX_DIR: tempDir()
		});
		expect(result.status, result.stderr).toBe(0);
		const day = await loadTrendingPage(db, 'day', 0, 10);
		expect(day.papers.map((p) => p.id)).toEqual(['2612.00001']);
		expect(day.computedAt).not.toBeNull();
	});
});
