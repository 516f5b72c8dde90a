/**
 * What the arXiv snapshot and OAI-PMH carry beyond the first schema (license,
 * submitter, report number, the byline as written), and the resume points of
 * long imports and harvests.
 */
import type { Kysely } from 'kysely';

const NEW_PAPER_COLUMNS = ['license', 'submitter', 'report_no', 'authors_text'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
	for (const column of NEW_PAPER_COLUMNS) {
		await db.schema.alterTable('papers').addColumn(column, 'text').execute();
	}
	await db.schema
		.createTable('import_checkpoints')
		.addColumn('name', 'text', (c) => c.primaryKey())
		.addColumn('value', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.dropTable('import_checkpoints').execute();
	for (const column of NEW_PAPER_COLUMNS) {
		await db.schema.alterTable('papers').dropColumn(column).execute();
	}
}
