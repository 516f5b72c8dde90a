/**
 * Comments benchmark (issue 12): the server-side render of a paper page whose thread
 * holds 500 comments at mixed depths, against the same page (an identical paper) with no
 * comments, on one app node over SQLite. Not a test: run it with
 * `node scripts/run-ts.mjs bench/comments.bench.ts [options]` after a build.
 *
 * The two papers are made alike (title, abstract, authors, picks) so only the thread
 * differs. Comments are posted through the discussion service (rendered on write, as the
 * site does): each one replies to an earlier comment with probability 0.6 (so depths run
 * past the collapse depth) and is a top-level comment otherwise; bodies of 80–600
 * characters with Markdown and math; 4 % then deleted and 2 % hidden. The reader is
 * signed in and wrote some of the comments, so the page carries Reply, Edit and Delete
 * forms too. Each page is measured sequentially (one request at a time) and
 * concurrently (`--concurrency` at once), with a warm-up first; client-side latency over
 * loopback HTTP.
 *
 * Prints one JSON object and an aligned table; writes the JSON to bench/results/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { SESSION_COOKIE } from '$lib/server/auth/identify';
import { startSession } from '$lib/server/auth/session.service';
import { createDb } from '$lib/server/db/create-db';
import { migrateToLatest } from '$lib/server/db/migrate';
import { setCommentHidden } from '$lib/server/discussion/comment-visibility';
import { deleteComment, postComment } from '$lib/server/discussion/comment.service';
import { savePapers } from '$lib/server/papers/paper.service';
import { spawnAppServer } from '../tests/support/app-server';
import { addMembers, makePaper } from '../tests/support/fixtures';
import { fmt, percentile, projectRoot, round, table } from './support';

const options = parseArgs({
	options: {
		comments: { type: 'string', default: '500' },
		requests: { type: 'string', default: '300' },
		concurrency: { type: 'string', default: '8' },
		help: { type: 'boolean', short: 'h', default: false }
	}
}).values;
if (options.help) {
	console.log(`Usage: node scripts/run-ts.mjs bench/comments.bench.ts [options]

  --comments N     comments in the busy thread (default 500)
  --requests N     requests per page and mode, after 30 warm-up requests (default 300)
  --concurrency N  requests at once in the concurrent mode (default 8)`);
	process.exit(0);
}
const COMMENTS = Number(options.comments);
const REQUESTS = Number(options.requests);
const CONCURRENCY = Number(options.concurrency);

/** A small deterministic PRNG (mulberry32), so every run builds the same thread. */
function prng(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
const random = prng(20261205);
const WORDS =
	'the model attention layer we show that loss scales with data and compute but the ablation in table three suggests otherwise'.split(
		' '
	);
function body(i: number): string {
	const length = 80 + Math.floor(random() * 520);
	let text = '';
	while (text.length < length) text += WORDS[Math.floor(random() * WORDS.length)] + ' ';
	const extras = ['', ' *really*', ' with $O(n \\log n)$ cost', '\n\n`code here`', ' **bold**'];
	return `${text.trim()}${extras[i % extras.length]} (#${i})`;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-comments-bench-'));
const file = path.join(dir, 'bench.db');
const store = createDb({ kind: 'sqlite', path: file });
await migrateToLatest(store.db);
const shape = {
	title: 'Scaling laws for attention, measured again',
	abstract: 'We measure '.repeat(120),
	authors: ['Grace Hopper', 'Edsger Dijkstra', 'Barbara Liskov', 'Donald Knuth'],
	publishedAt: '2024-06-02T00:00:00.000Z'
};
const quiet = makePaper({ id: '2406.90001', ...shape });
const busy = makePaper({ id: '2406.90002', ...shape });
await savePapers(store.db, [quiet, busy]);
const members = Array.from({ length: 40 }, (_, i) => `member-${i}`);
await addMembers(store.db, members);

const seedStart = performance.now();
const ids: string[] = [];
const authors: string[] = [];
// Posted over the last ~8 hours, the newest within the edit window.
const base = Date.now() - COMMENTS * 60_000;
for (let i = 0; i < COMMENTS; i++) {
	const memberId = members[Math.floor(random() * members.length)];
	const parentId = ids.length > 0 && random() < 0.6 ? ids[Math.floor(random() * ids.length)] : null;
	const { id } = await postComment(
		store.db,
		{ paperId: busy.id, memberId, body: body(i), parentId },
		new Date(base + i * 60_000)
	);
	ids.push(id);
	authors.push(memberId);
}
for (let i = 0; i < ids.length; i++) {
	const roll = random();
	if (roll < 0.04) await deleteComment(store.db, { commentId: ids[i], memberId: authors[i] });
	else if (roll < 0.06)
		await setCommentHidden(store.db, {
			commentId: ids[i],
			hidden: true,
			now: new Date().toISOString()
		});
}
const seedSeconds = (performance.now() - seedStart) / 1000;
const depths = await store.db
	.selectFrom('comments')
	.select(['id', 'parent_id'])
	.where('paper_id', '=', busy.id)
	.execute();
const parentOf = new Map(depths.map((r) => [r.id, r.parent_id]));
const depthOf = (id: string): number => {
	let depth = 0;
	for (let p = parentOf.get(id); p; p = parentOf.get(p)) depth += 1;
	return depth;
};
const maxDepth = Math.max(...ids.map(depthOf));
const { token } = await startSession(store.db, members[0]);
await store.close();

const server = await spawnAppServer({
	DP_DB_PATH: file,
	DP_INDEX_DIR: path.join(dir, 'index'),
	DP_LOG_LEVEL: 'error'
});
await server.waitUntilHealthy(60_000);
// As a browser asks: the page goes out brotli-compressed, and compressing it is part of the cost.
const headers = {
	cookie: `${SESSION_COOKIE}=${token}`,
	'accept-encoding': process.env.DP_BENCH_ENCODING ?? 'br, gzip'
};

async function timeOne(
	url: string
): Promise<{ ms: number; bytes: number; htmlBytes: number; status: number }> {
	const start = performance.now();
	const response = await fetch(url, { headers });
	// fetch decompresses; the transferred size is in Content-Length when the server sets it.
	const html = await response.arrayBuffer();
	const bytes = Number(response.headers.get('content-length') ?? html.byteLength);
	return {
		ms: performance.now() - start,
		bytes,
		htmlBytes: html.byteLength,
		status: response.status
	};
}

interface Run {
	page: string;
	mode: string;
	requests: number;
	failed: number;
	/** Sent (compressed) and rendered sizes of the page. */
	bytes: number;
	htmlBytes: number;
	p50Ms: number;
	p95Ms: number;
	p99Ms: number;
	perSecond: number;
}

async function measure(page: string, url: string, concurrency: number): Promise<Run> {
	for (let i = 0; i < 30; i++) await timeOne(url);
	const samples: number[] = [];
	let failed = 0;
	let bytes = 0;
	let htmlBytes = 0;
	let next = 0;
	const start = performance.now();
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < REQUESTS) {
				next += 1;
				const result = await timeOne(url);
				if (result.status !== 200) failed += 1;
				bytes = result.bytes;
				htmlBytes = result.htmlBytes;
				samples.push(result.ms);
			}
		})
	);
	const seconds = (performance.now() - start) / 1000;
	samples.sort((a, b) => a - b);
	return {
		page,
		mode: concurrency === 1 ? 'sequential' : `${concurrency} at once`,
		requests: samples.length,
		failed,
		bytes,
		htmlBytes,
		p50Ms: round(percentile(samples, 50), 2),
		p95Ms: round(percentile(samples, 95), 2),
		p99Ms: round(percentile(samples, 99), 2),
		perSecond: round(samples.length / seconds, 1)
	};
}

if (process.env.DP_BENCH_DUMP)
	fs.writeFileSync(
		process.env.DP_BENCH_DUMP,
		await (await fetch(`${server.url}/papers/${busy.id}`, { headers })).text()
	);
const runs: Run[] = [];
try {
	for (const concurrency of [1, CONCURRENCY]) {
		// Alternate the pages so drift in the shared machine's load hits both.
		runs.push(await measure('no comments', `${server.url}/papers/${quiet.id}`, concurrency));
		runs.push(
			await measure(`${COMMENTS} comments`, `${server.url}/papers/${busy.id}`, concurrency)
		);
	}
} finally {
	await server.stop();
}

const ratios = [1, CONCURRENCY].map((c) => {
	const mode = c === 1 ? 'sequential' : `${c} at once`;
	const [a, b] = runs.filter((r) => r.mode === mode);
	return { mode, p50: round(b.p50Ms / a.p50Ms, 2), p95: round(b.p95Ms / a.p95Ms, 2) };
});
const result = {
	benchmark: 'comments',
	at: new Date().toISOString(),
	node: process.version,
	cpus: os.cpus().length,
	load: os.loadavg().map((l) => round(l, 2)),
	thread: { comments: COMMENTS, maxDepth, seedSeconds: round(seedSeconds, 1) },
	runs,
	ratios,
	goalMet: ratios.every((r) => r.p50 <= 2 && r.p95 <= 2)
};
console.log(JSON.stringify(result, null, 2));
console.log(
	table(
		[
			'page',
			'mode',
			'requests',
			'failed',
			'KiB HTML',
			'KiB sent',
			'req/s',
			'p50 ms',
			'p95 ms',
			'p99 ms'
		],
		runs.map((r) => [
			r.page,
			r.mode,
			String(r.requests),
			String(r.failed),
			fmt(r.htmlBytes / 1024, 0),
			fmt(r.bytes / 1024, 0),
			fmt(r.perSecond, 1),
			fmt(r.p50Ms),
			fmt(r.p95Ms),
			fmt(r.p99Ms)
		]),
		[false, false, true, true, true, true, true, true, true, true]
	)
);
for (const r of ratios)
	console.log(`${r.mode}: ${COMMENTS} comments / none = ${r.p50}× at p50, ${r.p95}× at p95`);
const out = path.join(projectRoot(), 'bench', 'results');
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(
	path.join(out, `comments-${result.at.replace(/[:.]/g, '-')}.json`),
	JSON.stringify(result, null, 2)
);
if (process.env.DP_BENCH_KEEP) console.log(`kept ${file}`);
else fs.rmSync(dir, { recursive: true, force: true });
