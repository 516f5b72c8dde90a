/**
 * Resume points of long imports and harvests (a snapshot's line and byte offset,
 * an OAI-PMH set's last datestamp). Written inside the transaction of the batch
 * they describe, so the point and the data never disagree after a crash.
 */
import type { Db } from '../db/create-db';

/** The stored value of a checkpoint, or undefined when there is none. */
export async function findCheckpoint(db: Db, name: string): Promise<string | undefined> {
	const row = await db
		.selectFrom('import_checkpoints')
		.select('value')
		.where('name', '=', name)
		.executeTakeFirst();
	return row?.value;
}

/** Creates or replaces a checkpoint. */
export async function saveCheckpoint(
	db: Db,
	name: string,
	value: string,
	now: Date
): Promise<void> {
	await db
		.insertInto('import_checkpoints')
		.values({ name, value, updated_at: now.toISOString() })
		.onConflict((oc) => oc.column('name').doUpdateSet({ value, updated_at: now.toISOString() }))
		.execute();
}

/** Forgets a checkpoint (the import it belonged to finished). */
export async function deleteCheckpoint(db: Db, name: string): Promise<void> {
	await db.deleteFrom('import_checkpoints').where('name', '=', name).execute();
}
