import { expect, it } from 'vitest';
import { describeEachDialect } from '$support/databases';
import { findLease, releaseLease, tryAcquireLease } from './lease.repository';
import { runWithLease } from './lease.service';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A far-ahead clock: a node that sees every lease expired and takes it over. */
const takeOver = (db: Parameters<typeof findLease>[0], name: string, holder: string) =>
	tryAcquireLease(db, name, holder, 0, new Date('2999-01-01T00:00:00Z'));

describeEachDialect('runWithLease', (get) => {
	it('holds the lease while the work runs, renews it, and releases it after', async () => {
		const { db } = get().store;
		const seen: (string | undefined)[] = [];
		const result = await runWithLease(
			db,
			'renewed',
			async () => {
				seen.push((await findLease(db, 'renewed'))?.until);
				await sleep(250);
				seen.push((await findLease(db, 'renewed'))?.until);
				return 42;
			},
			{ holder: 'node-a', leaseMs: 150 }
		);
		expect(result).toEqual({ status: 'done', value: 42, holder: 'node-a' });
		// Renewed every 50 ms: the expiry moved on while the work ran.
		expect(Date.parse(seen[1]!)).toBeGreaterThan(Date.parse(seen[0]!));
		expect(await findLease(db, 'renewed')).toBeUndefined();
	});

	it('releases the lease when the work throws', async () => {
		const { db } = get().store;
		await expect(
			runWithLease(
				db,
				'failing',
				async () => {
					expect(await findLease(db, 'failing')).toMatchObject({ holder: 'node-a' });
					throw new Error('boom');
				},
				{ holder: 'node-a' }
			)
		).rejects.toThrow('boom');
		expect(await findLease(db, 'failing')).toBeUndefined();
	});

	it('does not run the work while another holder has the lease', async () => {
		const { db } = get().store;
		expect(await tryAcquireLease(db, 'taken', 'node-b', 60_000)).toBeNull();
		let ran = false;
		const result = await runWithLease(db, 'taken', async () => (ran = true), { holder: 'node-a' });
		expect(result).toMatchObject({ status: 'busy', lease: { holder: 'node-b' } });
		expect(ran).toBe(false);
		// The busy caller leaves the other holder's lease alone.
		expect(await findLease(db, 'taken')).toMatchObject({ holder: 'node-b' });
		await releaseLease(db, 'taken', 'node-b');
	});

	it('takes over a lease that has lapsed', async () => {
		const { db } = get().store;
		await tryAcquireLease(db, 'lapsed', 'dead-node', 0, new Date('2000-01-01T00:00:00Z'));
		const result = await runWithLease(
			db,
			'lapsed',
			async () => (await findLease(db, 'lapsed'))?.holder,
			{ holder: 'node-a' }
		);
		expect(result).toMatchObject({ status: 'done', value: 'node-a' });
	});

	it('aborts the work when the lease is lost, and leaves the lease to its taker', async () => {
		const { db } = get().store;
		const result = await runWithLease(
			db,
			'lost',
			async (signal) => {
				await takeOver(db, 'lost', 'thief');
				const deadline = Date.now() + 5000;
				while (!signal.aborted && Date.now() < deadline) await sleep(10);
				return String(signal.reason);
			},
			{ holder: 'node-a', leaseMs: 60 }
		);
		expect(result).toMatchObject({
			status: 'done',
			value: expect.stringContaining('taken by thief')
		});
		expect(await findLease(db, 'lost')).toMatchObject({ holder: 'thief' });
		await releaseLease(db, 'lost', 'thief');
	});

	it("aborts the work when the caller's signal aborts, and releases the lease", async () => {
		const { db } = get().store;
		const caller = new AbortController();
		const result = await runWithLease(
			db,
			'cancelled',
			async (signal) => {
				caller.abort(new Error('shutting down'));
				return signal.aborted;
			},
			{ holder: 'node-a', signal: caller.signal }
		);
		expect(result).toMatchObject({ status: 'done', value: true });
		expect(await findLease(db, 'cancelled')).toBeUndefined();
	});

	it('gives the lease to exactly one of many concurrent takers', async () => {
		const { db } = get().store;
		const holders = Array.from({ length: 8 }, (_, i) => `node-${i}`);
		const results = await Promise.all(
			holders.map((holder) => tryAcquireLease(db, 'contended', holder, 60_000))
		);
		expect(results.filter((r) => r === null)).toHaveLength(1);
		const winner = holders[results.indexOf(null)];
		expect(await findLease(db, 'contended')).toMatchObject({ holder: winner });
		// Of the same contest for a lapsed lease, again exactly one wins.
		const later = new Date(Date.now() + 120_000);
		const retaken = await Promise.all(
			holders.map((holder) => tryAcquireLease(db, 'contended', `${holder}-again`, 60_000, later))
		);
		expect(retaken.filter((r) => r === null)).toHaveLength(1);
		await db.deleteFrom('leases').where('name', '=', 'contended').execute();
	});
});
