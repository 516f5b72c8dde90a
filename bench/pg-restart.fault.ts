/**
 * Fault injection: the database going away under the running site, for an
 * operator to rerun. On a throwaway PostgreSQL cluster (initdb into a temporary
 * folder, a free port; the shared server is never touched) it runs:
 *
 *   restart      the built site serving, a client polling `/`, the API, search and
 *                `/healthz` every 100 ms; `pg_ctl stop -m fast`, down for --down-s,
 *                `pg_ctl start`
 *   terminate    the same client while every app session is killed with
 *                pg_terminate_backend, 10 rounds 200 ms apart
 *   cold-start   the site started while the cluster is down, the cluster started
 *                --down-s later
 *
 * For each it prints the status codes seen during the fault, the time from the
 * database's return (or the last kill) until every polled path answers 200, and
 * the row counts after. Not a test: `node scripts/run-ts.mjs bench/pg-restart.fault.ts`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
	spawnAppServer,
	startAppServer,
	type AppProcess,
	type RunningServer
} from '../tests/support/app-server';
import { writeFeedFixture } from '../tests/support/feed-fixture';
import {
	createThrowawayPostgres,
	type ThrowawayPostgres
} from '../tests/support/throwaway-postgres';

const { values: options } = parseArgs({
	options: {
		'down-s': { type: 'string', default: '5' },
		seed: { type: 'string' },
		help: { type: 'boolean', default: false }
	}
});
if (options.help) {
	console.log(
		'usage: node scripts/run-ts.mjs bench/pg-restart.fault.ts [--down-s 5] [--seed <hf-daily dir>]\n' +
			'Needs build/ (npm test or node scripts/build.mjs) and PostgreSQL server binaries (initdb).'
	);
	process.exit(0);
}
const downMs = Number(options['down-s']) * 1000;
const PATHS = ['/', '/api/daily_papers', '/api/papers/search?q=attention', '/healthz'];
const RECOVERY_LIMIT_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ScenarioResult {
	scenario: string;
	/** Status → count during the fault (0: no answer at all). */
	duringFault: Record<string, number>;
	recoveryMs: number | null;
	rowsAfter: { papers: number; healthDocs: number | null };
	alive: boolean;
}

async function statusOf(url: string): Promise<number> {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
		await response.arrayBuffer();
		return response.status;
	} catch {
		return 0;
	}
}

/** Polls every path in a loop and tallies the statuses until `stop()`. */
function pollingClient(base: string) {
	const tally = new Map<number, number>();
	let polling = true;
	const loop = (async () => {
		while (polling) {
			for (const p of PATHS) {
				const status = await statusOf(base + p);
				tally.set(status, (tally.get(status) ?? 0) + 1);
			}
			await sleep(100);
		}
	})();
	return {
		async stop(): Promise<Record<string, number>> {
			polling = false;
			await loop;
			return Object.fromEntries([...tally].sort(([a], [b]) => a - b));
		}
	};
}

/** Ms from `since` until every path answers 200, or null past the limit. */
async function recoveryFrom(base: string, since: number): Promise<number | null> {
	while (Date.now() - since < RECOVERY_LIMIT_MS) {
		const statuses = await Promise.all(PATHS.map((p) => statusOf(base + p)));
		if (statuses.every((s) => s === 200)) return Date.now() - since;
		await sleep(50);
	}
	return null;
}

async function rowsAfter(cluster: ThrowawayPostgres, base: string) {
	const client = new pg.Client({ connectionString: cluster.url });
	await client.connect();
	const { rows } = await client.query<{ n: string }>('select count(*) as n from papers');
	await client.end();
	const health = (await fetch(`${base}/healthz`)
		.then((r) => r.json())
		.catch(() => null)) as { search?: { docs?: number } } | null;
	return { papers: Number(rows[0].n), healthDocs: health?.search?.docs ?? null };
}

async function restart(cluster: ThrowawayPostgres, server: RunningServer): Promise<ScenarioResult> {
	await cluster.stop();
	const client = pollingClient(server.url);
	await sleep(downMs);
	const duringFault = await client.stop();
	await cluster.start();
	const recoveryMs = await recoveryFrom(server.url, Date.now());
	return {
		scenario: `restart (down ${downMs / 1000} s)`,
		duringFault,
		recoveryMs,
		rowsAfter: await rowsAfter(cluster, server.url),
		alive: server.alive()
	};
}

async function terminate(
	cluster: ThrowawayPostgres,
	server: RunningServer
): Promise<ScenarioResult> {
	const admin = new pg.Client({ connectionString: cluster.url });
	await admin.connect();
	const client = pollingClient(server.url);
	for (let round = 0; round < 10; round++) {
		await admin.query(
			`select pg_terminate_backend(pid) from pg_stat_activity
			 where datname = current_database() and pid <> pg_backend_pid() and application_name = 'dailypapers'`
		);
		await sleep(200);
	}
	const duringFault = await client.stop();
	await admin.end();
	const recoveryMs = await recoveryFrom(server.url, Date.now());
	return {
		scenario: 'terminate sessions (10 rounds)',
		duringFault,
		recoveryMs,
		rowsAfter: await rowsAfter(cluster, server.url),
		alive: server.alive()
	};
}

async function coldStart(cluster: ThrowawayPostgres): Promise<ScenarioResult> {
	await cluster.stop();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-fault-'));
	let app: AppProcess | undefined;
	try {
		app = await spawnAppServer({
			DATABASE_URL: cluster.url,
			DP_INDEX_DIR: path.join(dir, 'index')
		});
		const client = pollingClient(app.url);
		await sleep(downMs);
		const duringFault = await client.stop();
		await cluster.start();
		const recoveryMs = await recoveryFrom(app.url, Date.now());
		return {
			scenario: `cold start (database up ${downMs / 1000} s later)`,
			duringFault,
			recoveryMs,
			rowsAfter: await rowsAfter(cluster, app.url),
			alive: app.alive()
		};
	} finally {
		await app?.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

const cluster = await createThrowawayPostgres();
const results: ScenarioResult[] = [];
try {
	const server = await startAppServer([options.seed ?? writeFeedFixture()], {
		database: { DATABASE_URL: cluster.url }
	});
	try {
		results.push(await restart(cluster, server));
		results.push(await terminate(cluster, server));
	} finally {
		await server.stop();
	}
	results.push(await coldStart(cluster));
} finally {
	await cluster.destroy();
}

console.log(JSON.stringify(results, null, 2));
console.log(
	'\nfault                                      statuses during the fault      recovery   papers  index docs  alive'
);
for (const r of results) {
	const statuses = Object.entries(r.duringFault)
		.map(([status, n]) => `${status === '0' ? 'none' : status}×${n}`)
		.join(' ');
	console.log(
		`${r.scenario.padEnd(42)} ${statuses.padEnd(30)} ${(r.recoveryMs === null ? 'never' : `${r.recoveryMs} ms`).padStart(8)}   ${String(r.rowsAfter.papers).padStart(6)}  ${String(r.rowsAfter.healthDocs ?? '—').padStart(10)}  ${r.alive}`
	);
}
