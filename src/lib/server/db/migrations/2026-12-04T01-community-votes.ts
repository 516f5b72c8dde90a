/**
 * Votes apart from imported counts. `papers.upvotes` held the count Hugging Face
 * reported, which only rises, so a member's vote could never be taken back:
 * it becomes `source_upvotes` (data kept: a rename, not a copy), and members'
 * votes get their own table, `paper_votes`, with their count kept next to the
 * paper in `papers.member_upvotes` (written by server/votes, never by savePapers).
 *
 * `member_id` is text without a foreign key: there is no members table yet (the
 * sign-in issue adds it). Text takes whatever id that table chooses (an opaque
 * random id, or an integer written as text) with no change here. When it
 * arrives, PostgreSQL gains the foreign key with `alter table ... add
 * constraint` and SQLite, which cannot add one to an existing table without a
 * rebuild, enforces it with a trigger: neither rebuilds this table.
 */
import { sql, type Kysely } from 'kysely';
import { isSqlite } from '../dialect';

export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema.alterTable('papers').renameColumn('upvotes', 'source_upvotes').execute();
	await db.schema
		.alterTable('papers')
		.addColumn('member_upvotes', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	await db.schema
		.createTable('paper_votes')
		.addColumn('paper_id', 'text', (c) => c.notNull().references('papers.id').onDelete('cascade'))
		.addColumn('member_id', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		// One vote per member per paper: the key makes a second vote a no-op.
		.addPrimaryKeyConstraint('paper_votes_pk', ['paper_id', 'member_id'])
		// Read by its key only (like the link tables of the first migration).
		.$call((builder) => (isSqlite(db) ? builder.modifyEnd(sql`without rowid`) : builder))
		.execute();
	// "What did this member vote for", newest first: the members issue's profile and feed marks.
	await db.schema
		.createIndex('paper_votes_member')
		.on('paper_votes')
		.columns(['member_id', 'created_at'])
		.execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await db.schema.dropTable('paper_votes').execute();
	await db.schema.alterTable('papers').dropColumn('member_upvotes').execute();
	await db.schema.alterTable('papers').renameColumn('source_upvotes', 'upvotes').execute();
}
