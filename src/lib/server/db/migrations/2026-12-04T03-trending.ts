/**
 * Trending scores, computed by the `trending` job (jobs/trending.job.ts) for each
 * window (day, week, month) and read by /trending and `?sort=trending`, so no
 * request scores papers itself. The job replaces a window's rows in one
 * transaction; `rank` is stored so a page is a range read on the key.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.createTable('trending_scores')
		.addColumn('window', 'text', (c) => c.notNull())
		.addColumn('rank', 'integer', (c) => c.notNull())
		.addColumn('paper_id', 'text', (c) => c.notNull().references('papers.id').onDelete('cascade'))
		.addColumn('score', 'double precision', (c) => c.notNull())
		.addColumn('computed_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('trending_scores_pk', ['window', 'rank'])
		.execute();
	await db.schema
		.createIndex('trending_scores_paper')
		.on('trending_scores')
		.column('paper_id')
		.execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.dropTable('trending_scores').execute();
}
