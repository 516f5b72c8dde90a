/**
 * The columns of the paper tables, written out once: every insert and upsert of
 * a paper save (the Kysely writer and the SQLite bulk writer) takes its column
 * list from here, so a new column is added in one place (plus the schema and a
 * migration).
 */
import type { Database, NewPaperRow } from '../db/schema';

/**
 * The `papers` columns a paper save writes. `member_upvotes` is deliberately
 * absent: members' votes are kept by server/votes, and a save never touches them.
 */
export const PAPER_COLUMNS = [
	'id',
	'version',
	'title',
	'abstract',
	'categories',
	'primary_category',
	'published_at',
	'updated_at',
	'pdf_url',
	'code_url',
	'code_stars',
	'project_page',
	'ai_summary',
	'ai_keywords',
	'doi',
	'journal_ref',
	'comment',
	'report_no',
	'license',
	'submitter',
	'authors_text',
	'source_upvotes',
	'num_comments',
	'observed_at',
	'seq',
	'created_at',
	'modified_at'
] as const satisfies readonly (keyof NewPaperRow)[];

export type PaperColumn = (typeof PAPER_COLUMNS)[number];

/**
 * The columns of `papers` that only their own modules write: members' votes (server/votes),
 * readable comments and thread locks (server/discussion), hiding (server/moderation).
 */
type KeptElsewhere = 'member_upvotes' | 'comment_count' | 'thread_locked_at' | 'hidden_at';

/**
 * Fails to compile when the schema gains a paper column that the list above
 * neither writes nor names as kept elsewhere.
 */
export const PAPER_COLUMNS_COMPLETE: Exclude<
	keyof NewPaperRow,
	PaperColumn | KeptElsewhere
> extends never
	? true
	: never = true;

/** The row a paper save writes: exactly the listed columns. */
export type PaperSaveRow = { [C in PaperColumn]: NewPaperRow[C] };

/** Columns a re-save replaces: all but the key and the creation time. */
export const PAPER_REPLACED_COLUMNS = PAPER_COLUMNS.filter(
	(column): column is Exclude<PaperColumn, 'id' | 'created_at'> =>
		column !== 'id' && column !== 'created_at'
);

/** The columns of `paper_authors`, in the order both writers bind them. */
export const PAPER_AUTHOR_COLUMNS = [
	'paper_id',
	'position',
	'author_id'
] as const satisfies readonly (keyof Database['paper_authors'])[];
