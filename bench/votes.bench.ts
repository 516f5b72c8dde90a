/**
 * Votes benchmark: many members voting at once through the JSON API
 * (`POST`/`DELETE /api/papers/{id}/upvote`), against one app node on SQLite and two
 * app nodes on one PostgreSQL schema, next to a read-only baseline measured the same
 * way in the same run: the feed page (`GET /`) for a signed-in member. Not a test:
 * run it with `node scripts/run-ts.mjs bench/votes.bench.ts [options]`.
 *
 * Each member has a session made directly in the store and runs one short script,
 * request after request: vote for paper a, vote for paper b, take a back — three
 * writes, far below the `vote` rate limit (120 a minute). All members start at once;
 * `--concurrency` caps how many scripts run at the same moment (default: all). After
 * the run every paper's stored count is compared with its `paper_votes` rows and with
 * the votes that should stand — those the server confirmed: each member's last 200
 * answer per paper (with no failures, each member's b). Lost (confirmed, not stored)
 * and doubled (stored, not confirmed) must be 0, and every count must equal its rows.
 *
 * Prints one JSON object and an aligned table; writes the JSON to bench/results/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { SESSION_COOKIE } from '$lib/server/auth/identify';
import { startSession } from '$lib/server/auth/session.service';
import { createDb, type Store } from '$lib/server/db/create-db';
import { migrateToLatest } from '$lib/server/db/migrate';
import { savePapers } from '$lib/server/papers/paper.service';
import { findPaper } from '$lib/server/papers/paper.repository';
import { countVoteRows } from '$lib/server/votes/vote.repository';
import { spawnAppServer, type AppProcess } from '../tests/support/app-server';
import { addMembers, makePaper } from '../tests/support/fixtures';
import { fmt, percentile, projectRoot, round, table } from './support';

const USAGE = `Usage: node scripts/run-ts.mjs bench/votes.bench.ts [options]

  --members N       members, each with a session and a 3-vote script (default 1000)
  --papers N        papers picked today, voted on and shown by the feed (default 50)
  --concurrency N   member scripts running at once (default: all members)
  --feed-requests N requests for the read-only baseline, GET / (default 1000)
  --skip-postgres   only the SQLite node
  --skip-sqlite     only the PostgreSQL nodes
  -h, --help        this text

PostgreSQL: $DP_BENCH_PG_URL, else $DP_TEST_PG_URL, else postgres://postgres@127.0.0.1:5432/test.`;

const options = parseArgs({
	options: {
		members: { type: 'string', default: '1000' },
		papers: { type: 'string', default: '50' },
		concurrency: { type: 'string' },
		'feed-requests': { type: 'string', default: '1000' },
		'skip-postgres': { type: 'boolean', default: false },
		'skip-sqlite': { type: 'boolean', default: false },
		help: { type: 'boolean', short: 'h', default: false }
	}
}).values;
if (options.help) {
	console.log(USAGE);
	process.exit(0);
}
const MEMBERS = Number(options.members);
const PAPERS = Number(options.papers);
const CONCURRENCY = Number(options.concurrency ?? MEMBERS);
const FEED_REQUESTS = Number(options['feed-requests']);
const pgUrl =
	process.env.DP_BENCH_PG_URL ??
	process.env.DP_TEST_PG_URL ??
	'postgres://postgres@127.0.0.1:5432/test';

interface Stats {
	requests: number;
	failed: number;
	/** How many answers of each status (0: no answer). */
	statuses: Record<string, number>;
	seconds: number;
	perSecond: number;
	p50Ms: number;
	p99Ms: number;
	maxMs: number;
}

interface Check {
	/** Votes the server confirmed (each member's last 200 answer per paper says voted). */
	expectedVotes: number;
	storedCount: number;
	rows: number;
	lost: number;
	doubled: number;
	papersWhereCountDiffersFromRows: number;
}

interface TargetResult {
	target: string;
	nodes: number;
	feed: Stats;
	votes: Stats;
	check: Check;
}

function stats(
	latencies: number[],
	failed: number,
	statuses: Record<string, number>,
	ms: number
): Stats {
	const sorted = [...latencies].sort((a, b) => a - b);
	return {
		requests: latencies.length,
		failed,
		statuses,
		seconds: round(ms / 1000),
		perSecond: round(latencies.length / (ms / 1000), 1),
		p50Ms: round(percentile(sorted, 50), 2),
		p99Ms: round(percentile(sorted, 99), 2),
		maxMs: round(sorted[sorted.length - 1] ?? Number.NaN, 2)
	};
}

/** Runs `jobs` with at most `limit` at once; returns the wall time in ms. */
async function runPool(jobs: (() => Promise<void>)[], limit: number): Promise<number> {
	const started = performance.now();
	let next = 0;
	const worker = async () => {
		while (next < jobs.length) await jobs[next++]();
	};
	await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
	return performance.now() - started;
}

/** One timed request: its status (0: no answer) and body. */
async function timed(
	latencies: number[],
	statuses: Record<string, number>,
	url: string,
	init: RequestInit
): Promise<{ status: number; body: string }> {
	const t0 = performance.now();
	let status = 0;
	let body = '';
	try {
		const response = await fetch(url, init);
		body = await response.text();
		status = response.status;
	} catch {
		// no answer: counted as status 0
	}
	latencies.push(performance.now() - t0);
	statuses[status] = (statuses[status] ?? 0) + 1;
	return { status, body };
}

const paperIds = Array.from({ length: PAPERS }, (_, i) => `2612.${String(i + 1).padStart(5, '0')}`);
const memberIds = Array.from({ length: MEMBERS }, (_, i) => `bench-${String(i).padStart(5, '0')}`);
/** Member i votes for a, votes for b, then takes a back: b stands. */
const scriptOf = (i: number) => ({
	a: paperIds[i % PAPERS],
	// An offset of 1 … PAPERS-1 from a, so b is never a.
	b: paperIds[((i % PAPERS) + 1 + (Math.floor(i / PAPERS) % (PAPERS - 1))) % PAPERS]
});

async function seed(store: Store): Promise<Map<string, string>> {
	const today = new Date().toISOString().slice(0, 10);
	const papers = paperIds.map((id) =>
		makePaper({ id, title: `Bench paper ${id}`, sourceUpvotes: 1 })
	);
	await savePapers(store.db, papers, {
		picks: papers.map((paper) => ({
			paperId: paper.id,
			date: today,
			submittedBy: 'bench',
			submittedAt: `${today}T00:00:00.000Z`,
			source: 'hf' as const
		}))
	});
	await addMembers(store.db, memberIds);
	const sessions = new Map<string, string>();
	for (const id of memberIds) sessions.set(id, (await startSession(store.db, id)).token);
	return sessions;
}

async function measure(
	target: string,
	store: Store,
	nodes: AppProcess[],
	sessions: Map<string, string>
): Promise<TargetResult> {
	const cookie = (member: string) => `${SESSION_COOKIE}=${sessions.get(member)}`;
	// Warm-up: a few requests per node, so neither phase pays for the first compile.
	for (const node of nodes) {
		for (let i = 0; i < 20; i++)
			await timed([], {}, `${node.url}/`, { headers: { cookie: cookie(memberIds[0]) } });
	}

	const feedLatencies: number[] = [];
	const feedStatuses: Record<string, number> = {};
	let feedFailed = 0;
	const feedMs = await runPool(
		Array.from({ length: FEED_REQUESTS }, (_, i) => async () => {
			const { status } = await timed(
				feedLatencies,
				feedStatuses,
				`${nodes[i % nodes.length].url}/`,
				{
					headers: { cookie: cookie(memberIds[i % MEMBERS]), 'accept-encoding': 'identity' }
				}
			);
			if (status !== 200) feedFailed++;
		}),
		Math.min(CONCURRENCY, FEED_REQUESTS)
	);

	const voteLatencies: number[] = [];
	const voteStatuses: Record<string, number> = {};
	let voteFailed = 0;
	// What the server confirmed: member → paper → voted, from each 200 answer in order.
	const confirmed = new Map<string, Map<string, boolean>>();
	const vote = async (node: AppProcess, member: string, paper: string, method: string) => {
		const { status, body } = await timed(
			voteLatencies,
			voteStatuses,
			`${node.url}/api/papers/${paper}/upvote`,
			{ method, headers: { cookie: cookie(member) } }
		);
		if (status !== 200) {
			voteFailed++;
			return;
		}
		const answer = JSON.parse(body) as { voted: boolean };
		const mine = confirmed.get(member) ?? new Map<string, boolean>();
		mine.set(paper, answer.voted);
		confirmed.set(member, mine);
	};
	const votesMs = await runPool(
		memberIds.map((member, i) => async () => {
			const node = nodes[i % nodes.length];
			const { a, b } = scriptOf(i);
			await vote(node, member, a, 'POST');
			await vote(node, member, b, 'POST');
			await vote(node, member, a, 'DELETE');
		}),
		CONCURRENCY
	);

	// With every request answered 200, each member's b stands and nothing else.
	const expected = new Map<string, number>(paperIds.map((id) => [id, 0]));
	let expectedVotes = 0;
	for (const papers of confirmed.values()) {
		for (const [paper, voted] of papers) {
			if (!voted) continue;
			expected.set(paper, (expected.get(paper) ?? 0) + 1);
			expectedVotes++;
		}
	}
	const check: Check = {
		expectedVotes,
		storedCount: 0,
		rows: 0,
		lost: 0,
		doubled: 0,
		papersWhereCountDiffersFromRows: 0
	};
	for (const id of paperIds) {
		const stored = (await findPaper(store.db, id))?.memberUpvotes ?? 0;
		const rows = await countVoteRows(store.db, id);
		const want = expected.get(id) ?? 0;
		check.storedCount += stored;
		check.rows += rows;
		check.lost += Math.max(0, want - rows);
		check.doubled += Math.max(0, rows - want);
		if (stored !== rows) check.papersWhereCountDiffersFromRows++;
	}
	// A 500 is a bug, not load: show what the servers logged about it.
	if ((voteStatuses['500'] ?? 0) + (feedStatuses['500'] ?? 0) > 0) {
		for (const node of nodes) {
			const errors = node
				.output()
				.split('\n')
				.filter((line) => line.includes('"level":50'));
			console.error(`${target}: ${errors.length} error lines, first: ${errors[0] ?? 'none'}`);
		}
	}
	return {
		target,
		nodes: nodes.length,
		feed: stats(feedLatencies, feedFailed, feedStatuses, feedMs),
		votes: stats(voteLatencies, voteFailed, voteStatuses, votesMs),
		check
	};
}

async function startNodes(env: Record<string, string>, count: number, dir: string) {
	const nodes: AppProcess[] = [];
	for (let i = 0; i < count; i++) {
		const node = await spawnAppServer({
			...env,
			DP_INDEX_DIR: path.join(dir, `index-${i}`),
			DP_LOG_LEVEL: 'error'
		});
		await node.waitUntilHealthy(60_000);
		nodes.push(node);
	}
	return nodes;
}

async function sqliteTarget(): Promise<TargetResult> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-bench-votes-'));
	const file = path.join(dir, 'bench.db');
	const store = createDb({ kind: 'sqlite', path: file });
	let nodes: AppProcess[] = [];
	try {
		await migrateToLatest(store.db);
		const sessions = await seed(store);
		nodes = await startNodes({ DP_DB_PATH: file }, 1, dir);
		return await measure('SQLite, 1 node', store, nodes, sessions);
	} finally {
		await Promise.all(nodes.map((node) => node.stop()));
		await store.close();
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

async function postgresTarget(): Promise<TargetResult | string> {
	const schema = `dp_bench_votes_${process.pid}_${Date.now().toString(36)}`;
	const admin = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
	try {
		await admin.connect();
	} catch (error) {
		return `skipped: PostgreSQL at ${pgUrl} is unreachable (${(error as Error).message})`;
	}
	await admin.query(`create schema "${schema}"`);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-bench-votes-'));
	const store = createDb({ kind: 'postgres', url: pgUrl, schema });
	let nodes: AppProcess[] = [];
	try {
		await migrateToLatest(store.db);
		const sessions = await seed(store);
		const url = new URL(pgUrl);
		url.searchParams.set('options', `-c search_path=${schema}`);
		nodes = await startNodes({ DATABASE_URL: url.href }, 2, dir);
		return await measure('PostgreSQL, 2 nodes', store, nodes, sessions);
	} finally {
		await Promise.all(nodes.map((node) => node.stop()));
		await store.close();
		await admin.query(`drop schema "${schema}" cascade`);
		await admin.end();
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

const results: (TargetResult | { target: string; skipped: string })[] = [];
if (options['skip-sqlite']) results.push({ target: 'SQLite, 1 node', skipped: '--skip-sqlite' });
else results.push(await sqliteTarget());
if (options['skip-postgres'])
	results.push({ target: 'PostgreSQL, 2 nodes', skipped: '--skip-postgres' });
else {
	const outcome = await postgresTarget();
	results.push(
		typeof outcome === 'string' ? { target: 'PostgreSQL, 2 nodes', skipped: outcome } : outcome
	);
}

const report = {
	benchmark: 'votes',
	at: new Date().toISOString(),
	machine: {
		cpus: os.cpus().length,
		node: process.version,
		load: os.loadavg().map((l) => round(l, 2))
	},
	settings: {
		members: MEMBERS,
		papers: PAPERS,
		concurrency: CONCURRENCY,
		feedRequests: FEED_REQUESTS
	},
	results
};
console.log(JSON.stringify(report, null, 2));

const rows: string[][] = [];
for (const result of results) {
	if ('skipped' in result) {
		rows.push([result.target, 'skipped', '—', '—', '—', '—', '—', '—']);
		continue;
	}
	const ok =
		result.check.lost === 0 &&
		result.check.doubled === 0 &&
		result.check.papersWhereCountDiffersFromRows === 0;
	for (const [name, s] of [
		['votes (POST/DELETE)', result.votes],
		['baseline: GET / (read-only)', result.feed]
	] as const) {
		rows.push([
			result.target,
			name,
			String(s.requests),
			s.failed === 0
				? '0'
				: `${s.failed} (${Object.entries(s.statuses)
						.filter(([status]) => status !== '200')
						.map(([status, n]) => `${n}×${status}`)
						.join(', ')})`,
			fmt(s.perSecond, 1),
			fmt(s.p50Ms),
			fmt(s.p99Ms),
			name.startsWith('votes')
				? `${ok ? 'exact' : 'WRONG'}: ${result.check.expectedVotes} confirmed, ${result.check.rows} rows, ${result.check.storedCount} counted, ${result.check.lost} lost, ${result.check.doubled} doubled`
				: ''
		]);
	}
}
console.log(
	'\n' +
		table(['target', 'requests of', 'n', 'failed', 'req/s', 'p50 ms', 'p99 ms', 'check'], rows, [
			false,
			false,
			true,
			true,
			true,
			true,
			true,
			false
		])
);
const outDir = path.join(projectRoot(), 'bench', 'results');
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(
	path.join(outDir, `votes-${report.at.replace(/[:.]/g, '-')}.json`),
	JSON.stringify(report, null, 2)
);
