/**
 * The SQLite bulk paper writer: the reads and writes of a paper save
 * (paper.repository.ts) as prepared better-sqlite3 statements, run synchronously
 * inside one transaction, the path saves take on SQLite (paper.writer.ts). Building one large multi-row statement per batch through
 * the query builder cost about as much as SQLite's own work (docs/benchmarks.md,
 * "arXiv snapshot import"); a prepared statement is compiled once per connection.
 */
import type SQLite from 'better-sqlite3';
import type { PaperRow } from '../db/schema';
import { planChanges, resultOf, withSeq, type PaperWrite } from './paper.change-plan';
import {
	toPaperRow,
	toStoredPaper,
	type AuthorIdCache,
	type StoredPaper
} from './paper.repository';
import { PAPER_AUTHOR_COLUMNS, PAPER_COLUMNS, PAPER_REPLACED_COLUMNS } from './paper.table';
import type { PaperSaveRequest, PaperWriter, SaveResult } from './paper.writer';

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
			 on conflict (id) do update set ${PAPER_REPLACED_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}`
		);
		this.bumpSeq = connection.prepare(
			"update counters set value = value + ? where name = 'papers' returning value"
		);
		this.insertAuthor = connection.prepare('insert into authors (name) values (?)');
		this.selectAuthorId = connection.prepare('select id from authors where name = ?');
		this.deleteLinks = connection.prepare('delete from paper_authors where paper_id = ?');
		this.insertLink = connection.prepare(
			`insert into paper_authors (${PAPER_AUTHOR_COLUMNS.join(', ')}) values (?, ?, ?)`
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

/**
 * The paper writer on SQLite: the whole save runs synchronously in one
 * better-sqlite3 transaction over prepared statements (the snapshot import's
 * speed depends on it). Picks are not written here: the factory sends batches
 * with picks to the Kysely writer.
 */
export class SqliteBulkPaperWriter implements PaperWriter {
	constructor(private readonly connection: SQLite.Database) {}

	/** Saves the batch in one synchronous transaction. */
	async save(request: PaperSaveRequest): Promise<SaveResult> {
		// Yield once first, as the asynchronous path does, so callers never run it inline.
		await Promise.resolve();
		const { incoming, now, authorIds, checkpoint } = request;
		const nowText = now.toISOString();
		const statements = sqlitePaperStatements(this.connection);
		// `immediate`: take the write lock before reading, so a concurrent writer is waited
		// for (busy timeout) instead of failing the upgrade from reader to writer.
		return this.connection
			.transaction(() => {
				const plan = planChanges(statements.findPapers([...incoming.keys()]), incoming);
				if (plan.changed.length > 0) {
					const first = statements.reserveSeq(plan.changed.length);
					statements.writePapers(withSeq(plan.changed, first), nowText, authorIds);
				}
				if (checkpoint) statements.saveCheckpoint(checkpoint.name, checkpoint.value, nowText);
				return resultOf(plan, 0);
			})
			.immediate();
	}
}
