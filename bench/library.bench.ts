/**
 * Library pages benchmark: time to answer an author page, a category page (a common one,
 * and a rare one whose few papers are the oldest: the worst walk down the date index),
 * /me for a member following 20 authors, 5 categories and 5 members, and /me/saved with
 * 200 saved papers, next to the front page as the baseline, through HTTP against the built
 * site on SQLite. 20,000 papers over the last 60 days. Not a test:
 *
 *   node scripts/run-ts.mjs bench/library.bench.ts [--requests 200] [--papers 20000]
 *
 * Prints one JSON object and an aligned table (ms per request, sequential, uncompressed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startSession } from '$lib/server/auth/session.service';
import { createDb } from '$lib/server/db/create-db';
import { migrateToLatest } from '$lib/server/db/migrate';
import { follow } from '$lib/server/library/follow.service';
import { savePaper } from '$lib/server/library/saved.service';
import { savePapers } from '$lib/server/papers/paper.service';
import { castVote } from '$lib/server/votes/vote.service';
import { spawnAppServer } from '../tests/support/app-server';
import { addMembers, makePaper } from '../tests/support/fixtures';
import { fmt, percentile, round, table } from './support';

const { values } = parseArgs({
	options: {
		requests: { type: 'string', default: '200' },
		warmup: { type: 'string', default: '20' },
		papers: { type: 'string', default: '20000' }
	}
});
const REQUESTS = Number(values.requests);
const WARMUP = Number(values.warmup);
const PAPERS = Number(values.papers);
const NAMES = 3000;
const HEAVY = 'Heavy Author';
const CATEGORIES = [
	'cs.LG',
	'cs.CL',
	'cs.CV',
	'cs.AI',
	'stat.ML',
	'math.OC',
	'eess.SP',
	'q-bio.NC'
];
const RARE = 'astro-ph.EP';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-bench-library-'));
const dbPath = path.join(dir, 'bench.db');
const store = createDb({ kind: 'sqlite', path: dbPath });
await migrateToLatest(store.db);

const now = Date.now();
const papers = Array.from({ length: PAPERS }, (_, i) => {
	// Paper i is i × (60 days / PAPERS) old: the last ones are the oldest.
	const age = (i * 60 * 86_400_000) / PAPERS;
	const authors = Array.from({ length: 5 }, (_, k) => `Author ${(i * 7 + k * 613) % NAMES}`);
	if (i % 60 === 0) authors[0] = HEAVY;
	return makePaper({
		id: `2501.${String(i).padStart(5, '0')}`,
		authors,
		categories:
			i >= PAPERS - 5
				? [RARE]
				: [CATEGORIES[i % CATEGORIES.length], CATEGORIES[(i * 3 + 1) % CATEGORIES.length]],
		publishedAt: new Date(now - age).toISOString()
	});
});
for (let i = 0; i < papers.length; i += 2000) await savePapers(store.db, papers.slice(i, i + 2000));

const followed = Array.from({ length: 5 }, (_, i) => `followed-${i}`);
await addMembers(store.db, ['reader', ...followed]);
for (const [m, member] of followed.entries()) {
	for (let i = 0; i < 100; i++) {
		await castVote(store.db, { paperId: papers[(m * 997 + i * 31) % PAPERS].id, memberId: member });
	}
	await follow(store.db, { memberId: 'reader', kind: 'member', target: member });
}
for (let i = 0; i < 20; i++) {
	await follow(store.db, { memberId: 'reader', kind: 'author', target: `Author ${i * 37}` });
}
for (const category of CATEGORIES.slice(3, 8)) {
	await follow(store.db, { memberId: 'reader', kind: 'category', target: category });
}
for (let i = 0; i < 200; i++) {
	await savePaper(store.db, 'reader', papers[(i * 89) % PAPERS].id, new Date(now - i * 60_000));
}
const cookie = `dp_session=${(await startSession(store.db, 'reader')).token}`;
await store.close();

const server = await spawnAppServer({ DP_DB_PATH: dbPath, DP_INDEX_DIR: path.join(dir, 'index') });
await server.waitUntilHealthy(120_000);

async function measure(pathname: string, headers: Record<string, string> = {}) {
	const send = async () => {
		const started = performance.now();
		const response = await fetch(`${server.url}${pathname}`, {
			headers: { 'accept-encoding': 'identity', ...headers }
		});
		await response.arrayBuffer();
		if (response.status !== 200) throw new Error(`${pathname}: ${response.status}`);
		return performance.now() - started;
	};
	for (let i = 0; i < WARMUP; i++) await send();
	const times: number[] = [];
	for (let i = 0; i < REQUESTS; i++) times.push(await send());
	times.sort((a, b) => a - b);
	return {
		path: pathname,
		p50: round(percentile(times, 50)),
		p95: round(percentile(times, 95)),
		perSecond: round(1000 / (times.reduce((a, b) => a + b, 0) / times.length), 1)
	};
}

try {
	const heavy = `/authors/${encodeURIComponent(HEAVY)}`;
	const results = [
		{ case: 'baseline: front page', ...(await measure('/')) },
		{ case: `author page (${Math.ceil(PAPERS / 60)} papers)`, ...(await measure(heavy)) },
		{ case: 'author page, page 10', ...(await measure(`${heavy}?p=10`)) },
		{ case: 'category page, common', ...(await measure('/categories/cs.LG')) },
		{ case: 'category page, common, page 50', ...(await measure('/categories/cs.LG?p=50')) },
		{ case: 'category page, rare (oldest 5)', ...(await measure(`/categories/${RARE}`)) },
		{ case: '/me (30 follows)', ...(await measure('/me', { cookie })) },
		{ case: '/me/saved (200 saved)', ...(await measure('/me/saved', { cookie })) }
	];
	console.log(JSON.stringify({ requests: REQUESTS, papers: PAPERS, results }));
	console.log(
		table(
			['case', 'p50 ms', 'p95 ms', 'req/s'],
			results.map((r) => [r.case, fmt(r.p50), fmt(r.p95), fmt(r.perSecond, 1)]),
			[false, true, true, true]
		)
	);
} finally {
	await server.stop();
	fs.rmSync(dir, { recursive: true, force: true });
}
