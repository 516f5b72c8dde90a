import { expect, it } from 'vitest';
import { describeEachDialect } from '$support/databases';
import { loadConfig } from '../config';
import { createDb, type Store } from '../db/create-db';
import { createLogger } from '../log';
import type { JobDefinition } from './job';
import { findJobRun, markJobStarted } from './job-run.repository';
import { findLease, releaseLease, tryAcquireLease } from './lease.repository';
import { runJob, startScheduler, type Scheduler } from './scheduler';
import { everyMinutes } from './schedule';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error('timed out waiting');
		await sleep(10);
	}
}

/** A clock the test moves by hand. */
function manualClock(start: string) {
	let now = new Date(start);
	return { now: () => now, set: (iso: string) => (now = new Date(iso)) };
}

interface Run {
	node: string;
	slotTime: string;
	startedAt: number;
}

const silent = createLogger('silent');

describeEachDialect('the job scheduler on several nodes', (get) => {
	/** A second connection pool on the suite's database: another node. */
	const openNode = (): Store => createDb(loadConfig(get().env).database);

	it('runs a due job on exactly one node per slot, and a missed run once', async () => {
		const clock = manualClock('2030-01-01T00:00:30Z');
		const runs: Run[] = [];
		const job: JobDefinition = {
			name: 'count-once',
			schedule: everyMinutes(1),
			description: 'records which node ran which slot',
			async run({ node, now }) {
				runs.push({ node, slotTime: now.toISOString(), startedAt: Date.now() });
				await sleep(80);
			}
		};
		const stores = [openNode(), openNode()];
		const schedulers = stores.map((store, i) =>
			startScheduler(store.db, [job], {
				log: silent,
				node: `node-${i}`,
				pollMs: 15,
				leaseMs: 600,
				now: clock.now
			})
		);
		try {
			// A job seen for the first time starts from its latest slot: nothing runs yet.
			await sleep(150);
			expect(runs).toEqual([]);

			clock.set('2030-01-01T00:01:05Z');
			await waitFor(() => runs.length > 0);
			await sleep(300);
			expect(runs).toHaveLength(1);
			await waitFor(async () => (await findJobRun(stores[0].db, job.name))?.status === 'ok');
			expect(await findJobRun(stores[0].db, job.name)).toMatchObject({
				last_slot: '2030-01-01T00:01:00.000Z',
				node: runs[0].node
			});

			// Down for an hour: the slots missed run once, for the latest one.
			clock.set('2030-01-01T01:00:10Z');
			await waitFor(() => runs.length > 1);
			await sleep(300);
			expect(runs).toHaveLength(2);
			await waitFor(
				async () =>
					(await findJobRun(stores[1].db, job.name))?.last_slot === '2030-01-01T01:00:00.000Z'
			);
		} finally {
			await Promise.all(schedulers.map((s) => s.stop()));
			await Promise.all(stores.map((s) => s.close()));
		}
	});

	it('hands the slot to another node once the holder dies and its lease lapses', async () => {
		const clock = manualClock('2030-02-01T00:00:30Z');
		const runs: Run[] = [];
		let releaseTheDead: () => void = () => undefined;
		const job: JobDefinition = {
			name: 'take-over',
			schedule: everyMinutes(1),
			description: 'hangs on its first node, as a process that died would',
			async run({ node, now }) {
				runs.push({ node, slotTime: now.toISOString(), startedAt: Date.now() });
				if (node === 'node-a') await new Promise<void>((resolve) => (releaseTheDead = resolve));
			}
		};
		const leaseMs = 400;
		const storeA = openNode();
		const storeB = openNode();
		const options = { log: silent, pollMs: 15, leaseMs, now: clock.now };
		const a: Scheduler = startScheduler(storeA.db, [job], { ...options, node: 'node-a' });
		let b: Scheduler | undefined;
		try {
			await sleep(100);
			clock.set('2030-02-01T00:01:05Z');
			await waitFor(() => runs.length === 1);
			expect(runs[0].node).toBe('node-a');
			b = startScheduler(storeB.db, [job], { ...options, node: 'node-b' });
			// While node A renews its lease, node B only finds it taken.
			await sleep(leaseMs);
			expect(runs).toHaveLength(1);
			expect(await findLease(storeB.db, job.name)).toMatchObject({ holder: 'node-a' });

			// Node A dies: its store goes away, so it renews nothing and records nothing.
			const died = Date.now();
			await storeA.close();
			await waitFor(() => runs.length === 2);
			expect(runs[1]).toMatchObject({ node: 'node-b' });
			// Not before A's last renewal had lapsed: renewed every leaseMs / 3, so at least
			// two thirds of a lease after it died (less a little for millisecond rounding).
			expect(runs[1].startedAt - died).toBeGreaterThanOrEqual((2 * leaseMs) / 3 - 20);
			await waitFor(async () => (await findJobRun(storeB.db, job.name))?.status === 'ok');
			expect(await findJobRun(storeB.db, job.name)).toMatchObject({
				node: 'node-b',
				last_slot: '2030-02-01T00:01:00.000Z'
			});
			await sleep(200);
			expect(runs).toHaveLength(2);
		} finally {
			releaseTheDead();
			await a.stop();
			await b?.stop();
			await storeB.close();
		}
	});

	it('records a run on demand without moving the slot, and a failure with its message', async () => {
		const { db } = get().store;
		let fail = false;
		let runs = 0;
		const job: JobDefinition = {
			name: 'on-demand',
			schedule: everyMinutes(5),
			description: 'fails when told to',
			async run() {
				runs += 1;
				if (fail) throw new Error('the source is down');
			}
		};
		expect(await runJob(db, job, { node: 'cli', log: silent })).toEqual({ status: 'ok' });
		expect(await findJobRun(db, job.name)).toMatchObject({
			status: 'ok',
			node: 'cli',
			last_slot: null,
			error: null
		});
		fail = true;
		expect(await runJob(db, job, { node: 'cli', log: silent })).toEqual({
			status: 'failed',
			error: 'the source is down'
		});
		expect(await findJobRun(db, job.name)).toMatchObject({
			status: 'failed',
			error: 'the source is down'
		});
		expect(await findLease(db, job.name)).toBeUndefined();

		expect(runs).toBe(2);

		// A scheduler that starts later does not take the CLI's runs for a missed slot.
		const scheduler = startScheduler(db, [job], { log: silent, node: 'node-a', pollMs: 15 });
		await sleep(100);
		await scheduler.stop();
		expect(runs).toBe(2);
		expect(await findJobRun(db, job.name)).toMatchObject({
			status: 'failed',
			last_slot: expect.stringMatching(/:[0-5]\d:00\.000Z$/)
		});
	});

	it('leaves the record of a node that took the lease over alone when the loser stops', async () => {
		const { db } = get().store;
		const job: JobDefinition = {
			name: 'taken-over',
			schedule: everyMinutes(5),
			description: 'loses its lease halfway',
			async run({ signal }) {
				// Node B's clock is far ahead: it sees the lease lapsed, takes it and starts the job.
				await tryAcquireLease(db, 'taken-over', 'node-b', 0, new Date('2999-01-01T00:00:00Z'));
				await markJobStarted(db, 'taken-over', 'node-b', new Date());
				while (!signal.aborted) await sleep(10);
			}
		};
		const result = await runJob(db, job, { node: 'node-a', log: silent, leaseMs: 60 });
		expect(result).toMatchObject({ status: 'stopped', reason: expect.stringContaining('node-b') });
		expect(await findJobRun(db, job.name)).toMatchObject({ node: 'node-b', status: 'running' });
		await releaseLease(db, job.name, 'node-b');
	});

	it('stops taking work on stop() and waits for the running job, which sees its signal', async () => {
		const clock = manualClock('2030-03-01T00:00:30Z');
		let sawAbort = false;
		let started = false;
		const job: JobDefinition = {
			name: 'graceful',
			schedule: everyMinutes(1),
			description: 'runs until told to stop',
			async run({ signal }) {
				started = true;
				while (!signal.aborted) await sleep(10);
				sawAbort = true;
			}
		};
		const { db } = get().store;
		const scheduler = startScheduler(db, [job], {
			log: silent,
			node: 'node-a',
			pollMs: 15,
			now: clock.now
		});
		await sleep(50);
		clock.set('2030-03-01T00:01:01Z');
		await waitFor(() => started);
		await scheduler.stop();
		expect(sawAbort).toBe(true);
		// Stopped before it finished: the slot stays due, the lease is released.
		expect(await findJobRun(db, job.name)).toMatchObject({
			status: 'stopped',
			last_slot: '2030-03-01T00:00:00.000Z'
		});
		expect(await findLease(db, job.name)).toBeUndefined();
	});
});
