/**
 * Leases: "only one process does this job at a time", for app nodes that share
 * one store. A lease is a row of import_checkpoints named `lease:<job>` whose
 * value is `{holder, until}`; it is taken with an insert that does nothing on
 * conflict, or by replacing an expired (or our own) value with a conditional
 * update on the exact value read — a compare-and-swap that works the same on
 * SQLite and PostgreSQL, so two nodes can never both believe they hold it.
 */
import type { Db } from '../db/create-db';

export interface LeaseValue {
	holder: string;
	/** ISO 8601: after this, anyone may take the lease. */
	until: string;
}

function parseLease(value: string): LeaseValue | null {
	try {
		const parsed = JSON.parse(value) as Partial<LeaseValue>;
		return typeof parsed.holder === 'string' && typeof parsed.until === 'string'
			? { holder: parsed.holder, until: parsed.until }
			: null;
	} catch {
		return null;
	}
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
	const value = JSON.stringify({
		holder,
		until: new Date(now.getTime() + durationMs).toISOString()
	});
	const updatedAt = now.toISOString();
	const inserted = await db
		.insertInto('import_checkpoints')
		.values({ name, value, updated_at: updatedAt })
		.onConflict((oc) => oc.column('name').doNothing())
		.executeTakeFirst();
	if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return null;
	const row = await db
		.selectFrom('import_checkpoints')
		.select('value')
		.where('name', '=', name)
		.executeTakeFirst();
	// Released between our insert and this read: try once more from the top.
	if (!row) return tryAcquireLease(db, name, holder, durationMs, now);
	const current = parseLease(row.value);
	if (current && current.holder !== holder && Date.parse(current.until) > now.getTime()) {
		return current;
	}
	const swapped = await db
		.updateTable('import_checkpoints')
		.set({ value, updated_at: updatedAt })
		.where('name', '=', name)
		.where('value', '=', row.value)
		.executeTakeFirst();
	if (Number(swapped.numUpdatedRows) === 1) return null;
	// Someone else swapped first: report whoever holds it now.
	const winner = await db
		.selectFrom('import_checkpoints')
		.select('value')
		.where('name', '=', name)
		.executeTakeFirst();
	return (winner && parseLease(winner.value)) ?? { holder: 'unknown', until: updatedAt };
}

/** Gives the lease up if `holder` still holds it (an expired lease taken over stays with its taker). */
export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
	const row = await db
		.selectFrom('import_checkpoints')
		.select('value')
		.where('name', '=', name)
		.executeTakeFirst();
	if (!row || parseLease(row.value)?.holder !== holder) return;
	await db
		.deleteFrom('import_checkpoints')
		.where('name', '=', name)
		.where('value', '=', row.value)
		.execute();
}
