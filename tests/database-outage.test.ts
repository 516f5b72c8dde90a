/**
 * The database going away under a running app (fault 1 of the reliability issue):
 * terminated sessions on the shared PostgreSQL, a real stop and start of a
 * throwaway cluster, and a start while that cluster is down. The process must
 * stay alive, answer 503 + Retry-After while the store is away, and recover by
 * itself within seconds of its return. Times to recovery are printed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../src/lib/server/db/create-db';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { everyMinutes } from '../src/lib/server/jobs/schedule';
import { startScheduler } from '../src/lib/server/jobs/scheduler';
import { createLogger } from '../src/lib/server/log';
import { currentSeq } from '../src/lib/server/papers/paper.repository';
import { savePapers } from '../src/lib/server/papers/paper.service';
import { SearchNode } from '../src/lib/server/search/search-node';
import { spawnAppServer, startAppServer, type RunningServer } from './support/app-server';
import { describePostgres, testPgUrl } from './support/databases';
import { writeFeedFixture } from './support/feed-fixture';
import { makePaper } from './support/fixtures';
import {
	createThrowawayPostgres,
	postgresBinaries,
	type ThrowawayPostgres
} from './support/throwaway-postgres';

/** What a visitor and an API client ask for: pages, the API, search and health. */
const PATHS = [
	'/',
	'/papers/2406.00001',
	'/api/daily_papers',
	'/api/papers/search?q=attention',
	'/healthz'
];
const RECOVERY_BOUND_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
	/** 0 when the request itself failed (connection refused: the process is gone). */
	status: number;
	retryAfter: string | null;
	body: string;
}

async function ask(url: string): Promise<Answer> {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
		return {
			status: response.status,
			retryAfter: response.headers.get('retry-after'),
			body: await response.text()
		};
	} catch {
		return { status: 0, retryAfter: null, body: '' };
	}
}

/** Polls every path until all answer 200; returns when (ms since epoch), or throws after `boundMs`. */
async function untilAllAnswer200(base: string, boundMs: number): Promise<number> {
	const giveUp = Date.now() + boundMs;
	for (;;) {
		const answers = await Promise.all(PATHS.map((p) => ask(base + p)));
		if (answers.every((a) => a.status === 200)) return Date.now();
		if (Date.now() > giveUp) {
			throw new Error(
				`not recovered after ${boundMs} ms: ${PATHS.map((p, i) => `${p} ${answers[i].status}`).join(', ')}`
			);
		}
		await sleep(100);
	}
}

/** Counts log lines (JSON or pretty) that contain `text`. */
const linesWith = (output: string, text: string) =>
	output.split('\n').filter((line) => line.includes(text)).length;

describePostgres('terminated database sessions under requests', (database) => {
	// Only this test's app: other suites share the PostgreSQL server.
	const applicationName = `dp-outage-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
	let server: RunningServer;
	let admin: pg.Client;

	beforeAll(async () => {
		const url = new URL(database().env.DATABASE_URL);
		url.searchParams.set('application_name', applicationName);
		server = await startAppServer([writeFeedFixture()], {
			database: { DATABASE_URL: url.href }
		});
		admin = new pg.Client({ connectionString: testPgUrl });
		await admin.connect();
	});

	afterAll(async () => {
		await admin?.end();
		await server?.stop();
	});

	it('stays alive, answers every request with 200 or 503, and recovers by itself', async () => {
		const seen = new Map<number, number>();
		let polling = true;
		const poll = async () => {
			while (polling) {
				for (const p of PATHS) {
					const { status } = await ask(server.url + p);
					seen.set(status, (seen.get(status) ?? 0) + 1);
				}
			}
		};
		const pollers = [poll(), poll()];
		let terminated = 0;
		for (let round = 0; round < 10; round++) {
			const killed = await admin.query(
				`select pg_terminate_backend(pid) from pg_stat_activity
				 where datname = current_database() and pid <> pg_backend_pid() and application_name = $1`,
				[applicationName]
			);
			terminated += killed.rowCount ?? 0;
			await sleep(200);
		}
		const faultEnded = Date.now();
		const recoveredAt = await untilAllAnswer200(server.url, RECOVERY_BOUND_MS);
		polling = false;
		await Promise.all(pollers);
		console.log(
			`[outage] terminated ${terminated} app sessions in 10 rounds; statuses seen ${JSON.stringify(Object.fromEntries(seen))}; all paths 200 again ${recoveredAt - faultEnded} ms after the last termination`
		);

		expect(terminated).toBeGreaterThan(0);
		expect(server.alive()).toBe(true);
		expect(server.output()).not.toContain("Unhandled 'error' event");
		expect([...seen.keys()].filter((status) => status !== 200 && status !== 503)).toEqual([]);
		expect(recoveredAt - faultEnded).toBeLessThan(RECOVERY_BOUND_MS);
	});
});

const binaries = postgresBinaries();
if (!binaries) {
	if (process.env.CI === 'true') {
		throw new Error('initdb is required in CI for the PostgreSQL restart tests');
	}
	console.warn(
		'[skip] no initdb under /usr/lib/postgresql: the PostgreSQL restart tests are skipped'
	);
}

describe.skipIf(!binaries)('a real PostgreSQL restart (a throwaway cluster)', () => {
	let cluster: ThrowawayPostgres;

	beforeAll(async () => {
		cluster = await createThrowawayPostgres();
	});

	afterAll(async () => {
		await cluster?.destroy();
	});

	it('answers 503 with Retry-After while the database is stopped, and 200 within seconds of its return', async () => {
		const server = await startAppServer([writeFeedFixture()], {
			database: { DATABASE_URL: cluster.url }
		});
		try {
			for (const p of PATHS) expect((await ask(server.url + p)).status, p).toBe(200);

			await cluster.stop();
			for (const p of [
				'/',
				'/papers/2406.00001',
				'/api/daily_papers',
				'/api/papers/search?q=attention'
			]) {
				const answer = await ask(server.url + p);
				expect(answer.status, p).toBe(503);
				expect(Number(answer.retryAfter), p).toBeGreaterThan(0);
			}
			const api = await ask(`${server.url}/api/daily_papers`);
			expect(JSON.parse(api.body)).toEqual({
				error: expect.stringMatching(/database is unavailable/)
			});
			const page = await ask(server.url + '/');
			expect(page.body).toContain('database is unavailable');
			expect(page.body).toContain('Temporarily unavailable');

			const healthAsked = Date.now();
			const health = await ask(`${server.url}/healthz`);
			const healthMs = Date.now() - healthAsked;
			expect(health.status).toBe(503);
			expect(JSON.parse(health.body)).toMatchObject({
				status: 'degraded',
				database: { ok: false, error: 'database unreachable' }
			});
			expect(healthMs).toBeLessThan(3000);

			// Long enough for several sync ticks and a pool error per idle client.
			await sleep(3000);
			expect(server.alive()).toBe(true);

			await cluster.start();
			const back = Date.now();
			const recoveredAt = await untilAllAnswer200(server.url, RECOVERY_BOUND_MS);
			console.log(
				`[restart] /healthz answered degraded in ${healthMs} ms during the outage; all paths 200 again ${recoveredAt - back} ms after PostgreSQL was back`
			);
			expect(recoveredAt - back).toBeLessThan(RECOVERY_BOUND_MS);
			// One warning for the outage from the sync loop, not a stack trace per tick.
			expect(linesWith(server.output(), 'search serves from memory')).toBe(1);
			expect(linesWith(server.output(), 'search replica sync failed')).toBe(0);
		} finally {
			await server.stop();
		}
	});

	it('keeps the search sync loop and the job scheduler running through an outage: one warning each, resumed within seconds', async () => {
		const lines: string[] = [];
		const destination = new PassThrough();
		destination.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n')));
		const log = createLogger('info', { readable: false, destination });
		const store = createDb({ kind: 'postgres', url: cluster.url }, { log });
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-outage-'));
		await migrateToLatest(store.db);
		await savePapers(store.db, [makePaper()]);
		const node = await SearchNode.start(store.db, path.join(dir, 'index'), log, {
			syncIntervalMs: 100
		});
		const scheduler = startScheduler(
			store.db,
			[{ name: 'noop', schedule: everyMinutes(1), description: 'nothing', run: async () => {} }],
			{ log, pollMs: 100 }
		);
		const count = (text: string) => lines.filter((line) => line.includes(text)).length;
		try {
			await cluster.stop();
			// About 30 sync ticks and 30 scheduler polls against a stopped server.
			await sleep(3000);
			await cluster.start();
			const back = Date.now();
			const paper = makePaper({ title: 'Sunflower heliotropism after a restart' });
			await savePapers(store.db, [paper]);
			const target = await currentSeq(store.db);
			while (node.replica.seq < target && Date.now() - back < RECOVERY_BOUND_MS) await sleep(20);
			const caughtUpMs = Date.now() - back;
			console.log(
				`[background] the replica caught up with a write ${caughtUpMs} ms after PostgreSQL was back`
			);
			expect(node.replica.seq).toBe(target);
			expect(caughtUpMs).toBeLessThan(RECOVERY_BOUND_MS);
			await sleep(300); // the scheduler's next poll
			expect(count('search serves from memory')).toBe(1);
			expect(count('search replica sync resumed')).toBe(1);
			expect(count('jobs wait and the scheduler retries')).toBe(1);
			expect(count('the scheduler resumed')).toBe(1);
			expect(count('"level":50')).toBe(0);
			expect(count('pooled database connections were closed')).toBeLessThanOrEqual(1);
		} finally {
			await scheduler.stop();
			await node.stop();
			await store.close();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	/** The app started on the throwaway cluster while it is stopped, in a fresh index folder. */
	async function startWhileDown(startTimeoutSeconds: number) {
		await cluster.stop();
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-outage-'));
		const app = await spawnAppServer({
			DATABASE_URL: cluster.url,
			DP_INDEX_DIR: path.join(dir, 'index'),
			DP_DB_START_TIMEOUT_S: String(startTimeoutSeconds)
		});
		return { app, dir };
	}

	it('starts while the database is away, says it is waiting, and serves once it is back', async () => {
		const { app, dir } = await startWhileDown(60);
		try {
			const giveUp = Date.now() + 15_000;
			while (!app.output().includes('waiting for the database at') && Date.now() < giveUp) {
				await sleep(100);
			}
			expect(app.output()).toContain('waiting for the database at postgres://postgres@127.0.0.1');
			expect(app.output()).toMatch(/retrying in \d+s/);
			await sleep(1500);
			expect(app.alive()).toBe(true);

			await cluster.start();
			const back = Date.now();
			await app.waitUntilHealthy(30_000);
			const readyMs = Date.now() - back;
			console.log(`[cold start] the app served ${readyMs} ms after PostgreSQL came up`);
			expect((await ask(`${app.url}/api/daily_papers`)).status).toBe(200);
			expect(readyMs).toBeLessThan(15_000);
		} finally {
			await app.stop();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('gives up after DP_DB_START_TIMEOUT_S, saying where and why', async () => {
		const { app, dir } = await startWhileDown(2);
		try {
			const giveUp = Date.now() + 20_000;
			while (app.alive() && Date.now() < giveUp) await sleep(100);
			expect(app.alive()).toBe(false);
			expect(app.output()).toContain('did not answer within 2 s');
			expect(app.output()).toContain('ECONNREFUSED');
		} finally {
			await app.stop();
			fs.rmSync(dir, { recursive: true, force: true });
			await cluster.start();
		}
	});
});
