/**
 * Fault injection on the search replica's folder, for an operator to rerun against the built
 * site (`build/`): a read-only index folder while papers keep arriving, and a corrupted index
 * file at start. Prints, per fault, the HTTP status codes a polling client saw during it, the
 * time to recovery, and the row counts after (papers in the store, papers in the replica).
 *
 *   node scripts/run-ts.mjs bench/replica-faults.bench.ts [--papers 2000]
 *
 * The read-only case needs root (a read-only bind mount); without it that case is skipped.
 * Recovery from read-only waits for the next save attempt: 2 min after the first failure.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { countPapers, savePapers } from '$lib/server/papers/paper.service';
import { startAppServer, type RunningServer } from '../tests/support/app-server';
import { createTestDatabase } from '../tests/support/databases';
import { makePaper } from '../tests/support/fixtures';

const { values } = parseArgs({ options: { papers: { type: 'string', default: '2000' } } });
const paperCount = Number(values.papers);

interface Health {
	status: string;
	search: { docs: number; seq: number; persisted?: boolean; lag?: number };
}

/** Polls `/`, a search and `/healthz` every 100 ms until stopped; counts status codes per route. */
function poll(server: RunningServer) {
	const seen: Record<string, Record<string, number>> = {};
	let running = true;
	const routes = ['/', '/api/papers/search?q=paper', '/healthz'];
	const loop = (async () => {
		while (running) {
			for (const route of routes) {
				let code: string;
				try {
					code = String((await fetch(server.url + route)).status);
				} catch {
					code = 'refused';
				}
				seen[route] ??= {};
				seen[route][code] = (seen[route][code] ?? 0) + 1;
			}
			await new Promise((r) => setTimeout(r, 100));
		}
	})();
	return {
		async stop() {
			running = false;
			await loop;
			return seen;
		}
	};
}

async function health(server: RunningServer): Promise<Health> {
	return (await (await fetch(`${server.url}/healthz`)).json()) as Health;
}

async function waitFor(check: () => Promise<boolean>, limitMs: number): Promise<number | null> {
	const started = Date.now();
	while (Date.now() - started < limitMs) {
		if (await check()) return Date.now() - started;
		await new Promise((r) => setTimeout(r, 250));
	}
	return null;
}

function warnings(server: RunningServer): string[] {
	return server
		.output()
		.split('\n')
		.filter((line) => line.startsWith('{'))
		.map((line) => JSON.parse(line) as { level: number; msg: string; reason?: string })
		.filter((line) => line.level >= 40)
		.map((line) => (line.reason ? `${line.msg}: ${line.reason}` : line.msg));
}

const db = await createTestDatabase('sqlite');
await savePapers(
	db.store.db,
	Array.from({ length: paperCount }, (_, i) =>
		makePaper({ id: `2601.${String(i).padStart(5, '0')}`, title: `Fault paper ${i}` })
	)
);
const first = await startAppServer([], { database: db.env });
await first.stop({ keepFiles: true });
const { dir, indexDir } = first;

// 1. Read-only index folder while papers keep arriving.
if (process.getuid?.() === 0) {
	execFileSync('mount', ['--bind', indexDir, indexDir]);
	try {
		execFileSync('mount', ['-o', 'remount,ro,bind', indexDir]);
		const server = await startAppServer([], {
			dir,
			database: db.env,
			env: { DP_INDEX_SAVE_MS: '500' }
		});
		const client = poll(server);
		for (let i = 0; i < 5; i++) {
			await savePapers(db.store.db, [makePaper({ id: `2602.${String(i).padStart(5, '0')}` })]);
			await new Promise((r) => setTimeout(r, 1000));
		}
		const during = await health(server);
		execFileSync('mount', ['-o', 'remount,rw,bind', indexDir]);
		const recoveryMs = await waitFor(
			async () => (await health(server)).search.persisted === true,
			150_000
		);
		const seen = await client.stop();
		const after = await health(server);
		console.log(
			JSON.stringify({
				fault: 'read-only index folder, 5 writes',
				statusCodes: seen,
				healthDuring: { status: during.status, persisted: during.search.persisted },
				recoverySecondsAfterRemountRw: recoveryMs === null ? 'not within 150 s' : recoveryMs / 1000,
				rows: { store: await countPapers(db.store.db), replica: after.search.docs },
				warnings: warnings(server)
			})
		);
		await server.stop({ keepFiles: true });
	} finally {
		execFileSync('umount', [indexDir]);
	}
} else {
	console.log(
		JSON.stringify({ fault: 'read-only index folder', skipped: 'needs root to bind-mount' })
	);
}

// 2. Random bytes in the middle of lexical.bin, then a start.
const lexical = path.join(indexDir, 'lexical.bin');
const bytes = fs.readFileSync(lexical);
randomBytes(64).copy(bytes, Math.floor(bytes.length / 2));
fs.writeFileSync(lexical, bytes);
const started = Date.now();
const server = await startAppServer([], { dir, database: db.env });
const healthyMs = Date.now() - started;
const client = poll(server);
await new Promise((r) => setTimeout(r, 1000));
const seen = await client.stop();
const after = await health(server);
console.log(
	JSON.stringify({
		fault: 'random bytes in the middle of lexical.bin',
		statusCodes: seen,
		secondsToHealthyStart: healthyMs / 1000,
		rows: { store: await countPapers(db.store.db), replica: after.search.docs },
		warnings: warnings(server)
	})
);
await server.stop();
await db.drop();
