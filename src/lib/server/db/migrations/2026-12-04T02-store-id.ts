/**
 * Gives the store an identity: `store_meta` holds named facts about the store
 * itself, first of them `store_id`, a random id made once here. A search replica
 * records the id of the store it was built from and is rebuilt when it finds
 * another (an index folder reused after DP_DB_PATH or DATABASE_URL changed).
 * A copy or restore of the store keeps its id, as it keeps its data.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.createTable('store_meta')
		.addColumn('name', 'text', (c) => c.primaryKey())
		.addColumn('value', 'text', (c) => c.notNull())
		.execute();
	await sql`insert into store_meta (name, value) values ('store_id', ${randomUUID()})`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.dropTable('store_meta').execute();
}
