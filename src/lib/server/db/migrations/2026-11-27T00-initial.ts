/** The first schema: papers, authors, daily picks and the change-feed counter. */
import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { isSqlite } from '../dialect';

/**
 * Link tables are read by their primary key only: on SQLite, WITHOUT ROWID stores
 * each row once, in key order, instead of a table plus a separate key index.
 */
function clusteredOnSqlite(db: Kysely<unknown>) {
	return (builder: CreateTableBuilder<string, string>) =>
		isSqlite(db) ? builder.modifyEnd(sql`without rowid`) : builder;
}

export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.createTable('papers')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('version', 'integer')
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('abstract', 'text', (c) => c.notNull())
		.addColumn('categories', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('primary_category', 'text')
		.addColumn('published_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addColumn('pdf_url', 'text')
		.addColumn('code_url', 'text')
		.addColumn('code_stars', 'integer')
		.addColumn('project_page', 'text')
		.addColumn('ai_summary', 'text')
		.addColumn('ai_keywords', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('doi', 'text')
		.addColumn('journal_ref', 'text')
		.addColumn('comment', 'text')
		.addColumn('upvotes', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('num_comments', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('observed_at', 'text')
		.addColumn('seq', 'integer', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('modified_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('papers_seq').unique().on('papers').column('seq').execute();
	await db.schema.createIndex('papers_published_at').on('papers').column('published_at').execute();

	await db.schema
		.createTable('authors')
		.addColumn('id', 'integer', (c) => {
			const key = c.primaryKey();
			// SQLite's INTEGER PRIMARY KEY is already the auto-assigned rowid alias.
			return isSqlite(db) ? key : key.generatedByDefaultAsIdentity();
		})
		.addColumn('name', 'text', (c) => c.notNull().unique())
		.execute();

	await db.schema
		.createTable('paper_authors')
		.addColumn('paper_id', 'text', (c) => c.notNull().references('papers.id').onDelete('cascade'))
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('author_id', 'integer', (c) => c.notNull().references('authors.id'))
		.addPrimaryKeyConstraint('paper_authors_pk', ['paper_id', 'position'])
		.$call(clusteredOnSqlite(db))
		.execute();
	await db.schema
		.createIndex('paper_authors_author')
		.on('paper_authors')
		.column('author_id')
		.execute();

	await db.schema
		.createTable('daily_picks')
		.addColumn('day', 'text', (c) => c.notNull())
		.addColumn('paper_id', 'text', (c) => c.notNull().references('papers.id').onDelete('cascade'))
		.addColumn('source', 'text', (c) => c.notNull())
		.addColumn('submitted_by', 'text', (c) => c.notNull())
		.addColumn('submitted_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('daily_picks_pk', ['day', 'paper_id'])
		.$call(clusteredOnSqlite(db))
		.execute();
	await db.schema.createIndex('daily_picks_paper').on('daily_picks').column('paper_id').execute();

	await db.schema
		.createTable('counters')
		.addColumn('name', 'text', (c) => c.primaryKey())
		.addColumn('value', 'integer', (c) => c.notNull())
		.execute();
	await sql`insert into counters (name, value) values ('papers', 0)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	for (const table of ['counters', 'daily_picks', 'paper_authors', 'authors', 'papers']) {
		await db.schema.dropTable(table).execute();
	}
}
