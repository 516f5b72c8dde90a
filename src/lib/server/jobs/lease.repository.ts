/**
 * Leases: "only one process does this job at a time", for app nodes that share
 * one store. A lease is a row of `leases` (job name, holder, expiry). It is
 * taken with an insert that does nothing on conflict, or by a conditional update
 * that only matches when the row is ours or has expired — one statement, a
 * compare-and-swap on SQLite and PostgreSQL alike (PostgreSQL re-checks the
 * condition on the row it waited for), so two nodes can never both hold it.
 */
import { sql } from 'kysely';
import type { Db } from '../db/create-db';

export interface LeaseValue {
	holder: string;
	/** ISO 8601: after this, anyone may take the lease. */
	until: string;
}

/**
 * Takes or renews the lease `name` for `holder` until `now + durationMs`. Returns
 * null when it is ours now, or the current holder's lease when someone else holds it.
 */
export async function tryAcquireLease(
	db: Db,
	name: string,
	holder: string,
	durationMs: number,
	now: Date = new Date()
): Promise<LeaseValue | null> {
	const at = now.toISOString();
	const until = new Date(now.getTime() + durationMs).toISOString();
	const inserted = await db
		.insertInto('leases')
		.values({ name, holder, expires_at: until, acquired_at: at })
		.onConflict((oc) => oc.column('name').doNothing())
		.executeTakeFirst();
	if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return null;
	const swapped = await db
		.updateTable('leases')
		.set({
			holder,
			expires_at: until,
			acquired_at: sql<string>`case when holder = ${holder} then acquired_at else ${at} end`
		})
		.where('name', '=', name)
		.where((eb) => eb.or([eb('holder', '=', holder), eb('expires_at', '<=', at)]))
		.executeTakeFirst();
	if (Number(swapped.numUpdatedRows) === 1) return null;
	const current = await findLease(db, name);
	// Released between our insert and the update: try once more from the top.
	return current ?? tryAcquireLease(db, name, holder, durationMs, now);
}

/** The lease `name` as stored (possibly expired), or undefined when nobody holds it. */
export async function findLease(db: Db, name: string): Promise<LeaseValue | undefined> {
	const row = await db
		.selectFrom('leases')
		.select(['holder', 'expires_at'])
		.where('name', '=', name)
		.executeTakeFirst();
	return row && { holder: row.holder, until: row.expires_at };
}

/** Gives the lease up if `holder` still holds it (an expired lease taken over stays with its taker). */
export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
	await db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
}
