/**
 * One app node's job scheduler in a process of its own, for tests that kill a
 * node (tests/jobs-nodes.test.ts). Run with `node scripts/run-ts.mjs`; reads the
 * store from the environment like the server, and NODE_NAME, LEASE_MS, POLL_MS.
 * Its one job, `process-node`, prints `started <node> <slot>` and, with
 * HANG=1, then never finishes (as a node that died mid-run never does).
 */
import { loadConfig } from '../../src/lib/server/config';
import { createDb } from '../../src/lib/server/db/create-db';
import { createLogger } from '../../src/lib/server/log';
import { startScheduler } from '../../src/lib/server/jobs/scheduler';
import { daily } from '../../src/lib/server/jobs/schedule';

const store = createDb(loadConfig().database);
const node = process.env.NODE_NAME ?? 'node';
const scheduler = startScheduler(
	store.db,
	[
		{
			name: 'process-node',
			schedule: daily(0),
			description: 'says which node runs it',
			async run({ node: runner }) {
				console.log(`started ${runner}`);
				if (process.env.HANG === '1') await new Promise(() => undefined);
				console.log(`finished ${runner}`);
			}
		}
	],
	{
		log: createLogger('silent'),
		node,
		leaseMs: Number(process.env.LEASE_MS ?? 60_000),
		pollMs: Number(process.env.POLL_MS ?? 1000)
	}
);
console.log(`ready ${node}`);
// The scheduler's timer does not keep the process alive; this does, until SIGTERM.
const alive = setInterval(() => undefined, 60_000);
process.once('SIGTERM', () => {
	clearInterval(alive);
	void scheduler.stop().then(() => store.close());
});
