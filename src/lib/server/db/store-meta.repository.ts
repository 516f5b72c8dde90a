/** Named facts about the store itself (`store_meta`), such as its identity. */
import type { Db } from './create-db';

/** The store's random identity, made by its migration; null if the row is gone. */
export async function findStoreId(db: Db): Promise<string | null> {
	const row = await db
		.selectFrom('store_meta')
		.select('value')
		.where('name', '=', 'store_id')
		.executeTakeFirst();
	return row?.value ?? null;
}
