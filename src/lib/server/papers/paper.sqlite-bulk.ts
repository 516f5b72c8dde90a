/**
 * The reads and writes of a paper save (paper.repository.ts) as prepared
 * better-sqlite3 statements, run synchronously inside one transaction: the path
 * saves take on SQLite. Building one large multi-row statement per batch through
 * the query builder cost about as much as SQLite's own work (docs/benchmarks.md,
 * "arXiv snapshot import"); a prepared statement is compiled once per connection.
 */
import type SQLite from 'better-sqlite3';
import type { PaperRecord } from '$lib/core/paper';
import type { NewPaperRow, PaperRow } from '../db/schema';
import {
	toPaperRow,
	toStoredPaper,
	type AuthorIdCache,
	type StoredPaper
} from './paper.repository';

const PAPER_COLUMNS = [
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
	'upvotes',
	'num_comments',
	'observed_at',
	'seq',
	'created_at',
	'modified_at'
] as const satisfies readonly (keyof NewPaperRow)[];

/** Columns a re-save replaces: all but the key and the creation time. */
const REPLACED = PAPER_COLUMNS.filter((c) => c !== 'id' && c !== 'created_at');

export interface PaperWrite {
	paper: PaperRecord;
	seq: number;
	isNew: boolean;
}

/** Prepared statements of one SQLite connection. */
export class SqlitePaperStatements {
	private readonly selectPapers: SQLite.Statement<[string], PaperRow>;
	private readonly selectAuthors: SQLite.Statement<[string], { paper_id: string; name: string }>;
	private readonly upsertPaper: SQLite.Statement<unknown[]>;
	private readonly bumpSeq: SQLite.Statement<[number], { value: number }>;
	private readonly insertAuthor: SQLite.Statement<[string]>;
	private readonly selectAuthorId: SQLite.Statement<[string], { id: number }>;
	private readonly deleteLinks: SQLite.Statement<[string]>;
	private readonly insertLink: SQLite.Statement<[string, number, number]>;
	private readonly upsertCheckpoint: SQLite.Statement<[string, string, string]>;

	constructor(readonly connection: SQLite.Database) {
		// Ids travel as one JSON array: one statement whatever the batch size.
		this.selectPapers = connection.prepare(
			'select * from papers where id in (select value from json_each(?))'
		);
		this.selectAuthors = connection.prepare(
			`select pa.paper_id, a.name from paper_authors pa join authors a on a.id = pa.author_id
			 where pa.paper_id in (select value from json_each(?)) order by pa.paper_id, pa.position`
		);
		this.upsertPaper = connection.prepare(
			`insert into papers (${PAPER_COLUMNS.join(', ')}) values (${PAPER_COLUMNS.map(() => '?').join(', ')})
			 on conflict (id) do update set ${REPLACED.map((c) => `${c} = excluded.${c}`).join(', ')}`
		);
		this.bumpSeq = connection.prepare(
			"update counters set value = value + ? where name = 'papers' returning value"
		);
		this.insertAuthor = connection.prepare('insert into authors (name) values (?)');
		this.selectAuthorId = connection.prepare('select id from authors where name = ?');
		this.deleteLinks = connection.prepare('delete from paper_authors where paper_id = ?');
		this.insertLink = connection.prepare(
			'insert into paper_authors (paper_id, position, author_id) values (?, ?, ?)'
		);
		this.upsertCheckpoint = connection.prepare(
			`insert into import_checkpoints (name, value, updated_at) values (?, ?, ?)
			 on conflict (name) do update set value = excluded.value, updated_at = excluded.updated_at`
		);
	}

	findPapers(ids: string[]): Map<string, StoredPaper> {
		const found = new Map<string, StoredPaper>();
		if (ids.length === 0) return found;
		const json = JSON.stringify(ids);
		const rows = this.selectPapers.all(json);
		if (rows.length === 0) return found;
		const authors = new Map<string, string[]>();
		for (const { paper_id, name } of this.selectAuthors.all(json)) {
			const list = authors.get(paper_id);
			if (list) list.push(name);
			else authors.set(paper_id, [name]);
		}
		for (const row of rows) found.set(row.id, toStoredPaper(row, authors.get(row.id) ?? []));
		return found;
	}

	reserveSeq(count: number): number {
		return this.bumpSeq.get(count)!.value - count + 1;
	}

	writePapers(papers: PaperWrite[], now: string, authorIds: AuthorIdCache): void {
		for (const { paper, seq, isNew } of papers) {
			const row = toPaperRow(paper, seq, now);
			this.upsertPaper.run(PAPER_COLUMNS.map((column) => row[column]));
			if (!isNew) this.deleteLinks.run(paper.id);
			paper.authors.forEach((name, position) => {
				this.insertLink.run(paper.id, position, this.authorId(name, authorIds));
			});
		}
	}

	saveCheckpoint(name: string, value: string, now: string): void {
		this.upsertCheckpoint.run(name, value, now);
	}

	private authorId(name: string, cache: AuthorIdCache): number {
		const known = cache.get(name);
		if (known !== undefined) return known;
		// Look up before inserting: within a transaction nobody else can add the name
		// in between, and a plain insert is cheaper than an upsert with RETURNING.
		const id =
			this.selectAuthorId.get(name)?.id ?? Number(this.insertAuthor.run(name).lastInsertRowid);
		cache.learn(name, id);
		return id;
	}
}

const statementsByConnection = new WeakMap<SQLite.Database, SqlitePaperStatements>();

/** The prepared statements of a connection, made on first use. */
export function sqlitePaperStatements(connection: SQLite.Database): SqlitePaperStatements {
	let statements = statementsByConnection.get(connection);
	if (!statements) {
		statements = new SqlitePaperStatements(connection);
		statementsByConnection.set(connection, statements);
	}
	return statements;
}
