/**
 * Member pages benchmark: time to answer a profile (`/u/{username}`, first and a deep
 * page of each list), an avatar and the settings page, next to the front page as the
 * read-only baseline, all through HTTP against the built site on SQLite. One member
 * holds 2,000 submissions and 2,000 upvotes among 4,000 papers, so the lists page
 * through the indexes rather than the whole table. Not a test:
 *
 *   node scripts/run-ts.mjs bench/profile.bench.ts [--requests 500]
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
import { changeProfile, findOrCreateMember } from '$lib/server/members/member.service';
import { savePapers } from '$lib/server/papers/paper.service';
import { castVote } from '$lib/server/votes/vote.service';
import { spawnAppServer } from '../tests/support/app-server';
import { makePaper } from '../tests/support/fixtures';
import { addSubmission } from '../tests/support/member-fixtures';
import { fmt, percentile, round, table } from './support';

const { values } = parseArgs({
	options: {
		requests: { type: 'string', default: '500' },
		warmup: { type: 'string', default: '30' }
	}
});
const REQUESTS = Number(values.requests);
const WARMUP = Number(values.warmup);
const PAPERS = 4000;
const SUBMITTED = 2000;
const UPVOTED = 2000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-bench-profile-'));
const dbPath = path.join(dir, 'bench.db');
const store = createDb({ kind: 'sqlite', path: dbPath });
await migrateToLatest(store.db);

const papers = Array.from({ length: PAPERS }, (_, i) =>
	makePaper({
		id: `2501.${String(i).padStart(5, '0')}`,
		publishedAt: new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString()
	})
);
const day = (i: number) =>
	new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
await savePapers(store.db, papers, {
	picks: papers.map((p, i) => ({
		paperId: p.id,
		date: day(i % 300),
		submittedBy: 'hf-import',
		submittedAt: `${day(i % 300)}T00:00:00.000Z`,
		source: 'hf'
	}))
});
const { member } = await findOrCreateMember(store.db, 'heavy@example.org');
await changeProfile(store.db, member.id, { username: 'heavy', displayName: 'Heavy User' });
for (let i = 0; i < SUBMITTED; i++) {
	await addSubmission(store.db, {
		paperId: papers[i].id,
		day: day(400 + i),
		memberId: member.id,
		username: 'heavy',
		at: `${day(400 + i)}T09:00:00.000Z`
	});
}
for (let i = 0; i < UPVOTED; i++) {
	await castVote(store.db, { paperId: papers[PAPERS - 1 - i].id, memberId: member.id });
}
const cookie = `dp_session=${(await startSession(store.db, member.id)).token}`;
await store.close();

const server = await spawnAppServer({ DP_DB_PATH: dbPath, DP_INDEX_DIR: path.join(dir, 'index') });
await server.waitUntilHealthy(60_000);

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
		p99: round(percentile(times, 99)),
		perSecond: round(1000 / (times.reduce((a, b) => a + b, 0) / times.length), 1)
	};
}

try {
	const results = [
		{ case: 'baseline: front page', ...(await measure('/')) },
		{ case: 'profile, submitted, first page', ...(await measure('/u/heavy')) },
		{ case: 'profile, submitted, page 90', ...(await measure('/u/heavy?p=90')) },
		{ case: 'profile, upvoted, page 90', ...(await measure('/u/heavy?list=upvoted&p=90')) },
		{ case: 'avatar SVG', ...(await measure(`/avatars/${member.id}.svg`)) },
		{ case: 'settings (signed in)', ...(await measure('/settings', { cookie })) }
	];
	console.log(JSON.stringify({ requests: REQUESTS, papers: PAPERS, results }));
	console.log(
		table(
			['case', 'p50 ms', 'p99 ms', 'req/s'],
			results.map((r) => [r.case, fmt(r.p50), fmt(r.p99), fmt(r.perSecond, 1)]),
			[false, true, true, true]
		)
	);
} finally {
	await server.stop();
	fs.rmSync(dir, { recursive: true, force: true });
}
