/**
 * Two app nodes, each a process with its own job scheduler and connection
 * pool, on one PostgreSQL database: one runs a due job; killed mid-run (no
 * release, no goodbye), the other takes the slot over once the lease lapses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ensureJobRun, findJobRun } from '../src/lib/server/jobs/job-run.repository';
import { findLease } from '../src/lib/server/jobs/lease.repository';
import { createTestDatabase, postgresAvailable } from './support/databases';

const root = path.resolve(import.meta.dirname, '..');
const postgresUp = await postgresAvailable();
const LEASE_MS = 1500;

interface NodeProcess {
	child: ChildProcess;
	/** Resolves with the time the line was printed. */
	printed(line: string): Promise<number>;
	output(): string;
}

function startNode(name: string, env: Record<string, string>): NodeProcess {
	const child = spawn(process.execPath, ['scripts/run-ts.mjs', 'tests/support/scheduler-node.ts'], {
		cwd: root,
		env: {
			...process.env,
			...env,
			NODE_NAME: name,
			LEASE_MS: String(LEASE_MS),
			POLL_MS: '100',
			DP_LOG_LEVEL: 'silent'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	const seen = new Map<string, number>();
	const waiters: { line: string; resolve: (at: number) => void }[] = [];
	const onData = (chunk: Buffer) => {
		output += chunk;
		for (const line of output.split('\n')) if (!seen.has(line)) seen.set(line, Date.now());
		for (const waiter of waiters.splice(0)) {
			const at = seen.get(waiter.line);
			if (at === undefined) waiters.push(waiter);
			else waiter.resolve(at);
		}
	};
	child.stdout?.on('data', onData);
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk));
	return {
		child,
		output: () => output,
		printed(line) {
			const at = seen.get(line);
			if (at !== undefined) return Promise.resolve(at);
			return new Promise((resolve, reject) => {
				waiters.push({ line, resolve });
				setTimeout(() => reject(new Error(`${name} never printed "${line}":\n${output}`)), 30_000);
			});
		}
	};
}

const exited = (child: ChildProcess) =>
	child.exitCode !== null || child.signalCode !== null
		? Promise.resolve()
		: new Promise<void>((resolve) => child.once('exit', () => resolve()));

it.skipIf(!postgresUp)(
	'a killed node’s job slot is taken over by another node once its lease lapses',
	async () => {
		const database = await createTestDatabase('postgres');
		const nodes: NodeProcess[] = [];
		try {
			const { db } = database.store;
			// The job last ran long ago: today's 00:00 UTC slot is due.
			await ensureJobRun(db, 'process-node', '2000-01-01T00:00:00.000Z');
			const a = startNode('node-a', { ...database.env, HANG: '1' });
			nodes.push(a);
			await a.printed('started node-a');
			const b = startNode('node-b', database.env);
			nodes.push(b);
			await b.printed('ready node-b');
			// Node A is alive and renewing: node B keeps finding the lease taken.
			await new Promise((resolve) => setTimeout(resolve, LEASE_MS));
			expect(b.output()).not.toContain('started');
			expect(await findLease(db, 'process-node')).toMatchObject({ holder: 'node-a' });

			a.child.kill('SIGKILL');
			const killedAt = Date.now();
			const takenOverAt = await b.printed('started node-b');
			await b.printed('finished node-b');
			// A renewed every LEASE_MS / 3, so its lease outlived it by two thirds of that at least.
			expect(takenOverAt - killedAt).toBeGreaterThanOrEqual((2 * LEASE_MS) / 3 - 50);
			const today = `${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`;
			const deadline = Date.now() + 10_000;
			while ((await findJobRun(db, 'process-node'))?.status !== 'ok' && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
			expect(await findJobRun(db, 'process-node')).toMatchObject({
				node: 'node-b',
				status: 'ok',
				last_slot: today
			});
			// Once, not again on the polls after.
			await new Promise((resolve) => setTimeout(resolve, 500));
			expect(b.output().match(/started node-b/g)).toHaveLength(1);
			b.child.kill('SIGTERM');
			await exited(b.child);
			expect(await findLease(db, 'process-node')).toBeUndefined();
		} finally {
			for (const node of nodes) {
				node.child.kill('SIGKILL');
				await exited(node.child);
			}
			await database.drop();
		}
	},
	60_000
);
