/**
 * SQL for papers, their authors and the change feed. Plain functions taking the
 * database (or a transaction) first; rows are mapped to `PaperRecord` here and
 * nowhere else.
 */
import { sql } from 'kysely';
import type { PaperRecord } from '$lib/core/paper';
import type { StoredPaper } from '$lib/core/paper-views';
import type { Db } from '../db/create-db';
import type { PaperRow } from '../db/schema';
import { PAPER_REPLACED_COLUMNS, type PaperSaveRow } from './paper.table';

export type { StoredPaper };

// SQLite allows 32,766 bound parameters per statement and PostgreSQL 65,535.
const ID_CHUNK = 500;
const AUTHOR_LINK_CHUNK = 3000;

function chunks<T>(items: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

function parseJsonArray(text: string): string[] {
	const value: unknown = JSON.parse(text);
	return Array.isArray(value) ? value.map(String) : [];
}

export function toStoredPaper(row: PaperRow, authors: string[]): StoredPaper {
	return {
		id: row.id,
		version: row.version,
		title: row.title,
		abstract: row.abstract,
		authors,
		categories: parseJsonArray(row.categories),
		publishedAt: row.published_at,
		updatedAt: row.updated_at,
		pdfUrl: row.pdf_url,
		codeUrl: row.code_url,
		codeStars: row.code_stars,
		projectPage: row.project_page,
		aiSummary: row.ai_summary,
		aiKeywords: parseJsonArray(row.ai_keywords),
		doi: row.doi,
		journalRef: row.journal_ref,
		comment: row.comment,
		reportNo: row.report_no,
		license: row.license,
		submitter: row.submitter,
		authorsText: row.authors_text,
		sourceUpvotes: row.source_upvotes,
		memberUpvotes: row.member_upvotes,
		upvotes: row.source_upvotes + row.member_upvotes,
		numComments: row.num_comments,
		comments: Number(row.comment_count),
		observedAt: row.observed_at,
		seq: Number(row.seq),
		createdAt: row.created_at,
		modifiedAt: row.modified_at,
		...(row.hidden_at ? { hiddenAt: row.hidden_at } : {}),
		...(row.thread_locked_at ? { threadLockedAt: row.thread_locked_at } : {})
	};
}

/** Author names of each paper, in byline order. */
export async function findAuthorsOf(db: Db, paperIds: string[]): Promise<Map<string, string[]>> {
	const byPaper = new Map<string, string[]>();
	for (const ids of chunks([...new Set(paperIds)], ID_CHUNK)) {
		const rows = await db
			.selectFrom('paper_authors')
			.innerJoin('authors', 'authors.id', 'paper_authors.author_id')
			.select(['paper_authors.paper_id', 'authors.name'])
			.where('paper_authors.paper_id', 'in', ids)
			.orderBy('paper_authors.paper_id')
			.orderBy('paper_authors.position')
			.execute();
		for (const row of rows) {
			const list = byPaper.get(row.paper_id) ?? [];
			list.push(row.name);
			byPaper.set(row.paper_id, list);
		}
	}
	return byPaper;
}

/** Papers by id (missing ids are simply absent from the map). */
export async function findPapers(db: Db, ids: string[]): Promise<Map<string, StoredPaper>> {
	const found = new Map<string, StoredPaper>();
	if (ids.length === 0) return found;
	const rows: PaperRow[] = [];
	for (const part of chunks([...new Set(ids)], ID_CHUNK)) {
		rows.push(...(await db.selectFrom('papers').selectAll().where('id', 'in', part).execute()));
	}
	const authors = await findAuthorsOf(
		db,
		rows.map((r) => r.id)
	);
	for (const row of rows) found.set(row.id, toStoredPaper(row, authors.get(row.id) ?? []));
	return found;
}

/** One paper by id, or undefined. */
export async function findPaper(db: Db, id: string): Promise<StoredPaper | undefined> {
	return (await findPapers(db, [id])).get(id);
}

/** Attaches authors to paper rows selected elsewhere (feeds, lists). */
export async function withAuthors(db: Db, rows: PaperRow[]): Promise<StoredPaper[]> {
	const authors = await findAuthorsOf(
		db,
		rows.map((r) => r.id)
	);
	return rows.map((row) => toStoredPaper(row, authors.get(row.id) ?? []));
}

/**
 * Reserves `count` consecutive change-feed positions and returns the first.
 * The counter row is updated inside the caller's transaction, so on PostgreSQL
 * its row lock orders writers and `seq` order is commit order.
 */
export async function reserveSeq(db: Db, count: number): Promise<number> {
	const row = await db
		.updateTable('counters')
		.set({ value: sql`value + ${count}` })
		.where('name', '=', 'papers')
		.returning('value')
		.executeTakeFirstOrThrow();
	return Number(row.value) - count + 1;
}

/**
 * Takes the change-feed counter's row lock without moving it, for a transaction
 * that may reserve a `seq` later and must lock in the same order as every writer:
 * counter first, then paper rows. (On SQLite this is the write lock, at once.)
 */
export async function lockSeqCounter(db: Db): Promise<void> {
	await db
		.updateTable('counters')
		.set((eb) => ({ value: eb.ref('value') }))
		.where('name', '=', 'papers')
		.execute();
}

/** The row a paper is stored as (both the Kysely path and the SQLite bulk path write this). */
export function toPaperRow(p: PaperRecord, seq: number, now: string): PaperSaveRow {
	return {
		id: p.id,
		version: p.version,
		title: p.title,
		abstract: p.abstract,
		categories: JSON.stringify(p.categories),
		primary_category: p.categories[0] ?? null,
		published_at: p.publishedAt,
		updated_at: p.updatedAt,
		pdf_url: p.pdfUrl,
		code_url: p.codeUrl,
		code_stars: p.codeStars,
		project_page: p.projectPage,
		ai_summary: p.aiSummary,
		ai_keywords: JSON.stringify(p.aiKeywords),
		doi: p.doi,
		journal_ref: p.journalRef,
		comment: p.comment,
		report_no: p.reportNo,
		license: p.license,
		submitter: p.submitter,
		authors_text: p.authorsText,
		source_upvotes: p.sourceUpvotes ?? 0,
		num_comments: p.numComments ?? 0,
		observed_at: p.observedAt,
		seq,
		created_at: now,
		modified_at: now
	};
}

/**
 * Writes papers (insert or replace) with the given change-feed positions, and
 * their author lists. Must run inside a transaction.
 */
export async function writePapers(
	db: Db,
	papers: { paper: PaperRecord; seq: number; isNew: boolean }[],
	now: string,
	authorIds: AuthorIdCache = new AuthorIdCache()
): Promise<void> {
	if (papers.length === 0) return;
	for (const part of chunks(papers, ID_CHUNK)) {
		const rows = part.map(({ paper, seq }) => toPaperRow(paper, seq, now));
		await db
			.insertInto('papers')
			.values(rows)
			.onConflict((oc) =>
				oc
					.column('id')
					.doUpdateSet((eb) =>
						Object.fromEntries(
							PAPER_REPLACED_COLUMNS.map((column) => [column, eb.ref(`excluded.${column}`)])
						)
					)
			)
			.execute();
	}
	await writeAuthorLists(
		db,
		papers.map(({ paper }) => paper),
		papers.filter((p) => !p.isNew).map(({ paper }) => paper.id),
		authorIds
	);
}

/**
 * Author ids learned during one long import, so each batch looks up only the
 * names it has not seen. Ids learned inside a transaction are trusted only after
 * it commits (a rolled-back insert's id does not exist).
 */
export class AuthorIdCache {
	private readonly known = new Map<string, number>();
	private readonly pending = new Map<string, number>();

	constructor(private readonly limit = 500_000) {}

	get(name: string): number | undefined {
		return this.known.get(name) ?? this.pending.get(name);
	}

	learn(name: string, id: number): void {
		this.pending.set(name, id);
	}

	/** The transaction that learned the pending ids committed. */
	commit(): void {
		// Bounded memory on imports with millions of authors: start over rather than grow.
		if (this.known.size + this.pending.size > this.limit) this.known.clear();
		for (const [name, id] of this.pending) this.known.set(name, id);
		this.pending.clear();
	}

	/** The transaction rolled back: forget what it taught. */
	rollback(): void {
		this.pending.clear();
	}
}

async function writeAuthorLists(
	db: Db,
	papers: PaperRecord[],
	replacedIds: string[],
	cache: AuthorIdCache
) {
	const idByName = new Map<string, number>();
	const unknown: string[] = [];
	for (const name of new Set(papers.flatMap((p) => p.authors))) {
		const id = cache.get(name);
		if (id === undefined) unknown.push(name);
		else idByName.set(name, id);
	}
	for (const part of chunks(unknown, ID_CHUNK)) {
		await db
			.insertInto('authors')
			.values(part.map((name) => ({ name })))
			.onConflict((oc) => oc.column('name').doNothing())
			.execute();
		const rows = await db
			.selectFrom('authors')
			.select(['id', 'name'])
			.where('name', 'in', part)
			.execute();
		for (const row of rows) {
			idByName.set(row.name, Number(row.id));
			cache.learn(row.name, Number(row.id));
		}
	}
	for (const part of chunks(replacedIds, ID_CHUNK)) {
		await db.deleteFrom('paper_authors').where('paper_id', 'in', part).execute();
	}
	const links = papers.flatMap((p) => {
		// The same name twice in one byline (it happens) is one author at two positions.
		return p.authors.map((name, position) => ({
			paper_id: p.id,
			position,
			author_id: idByName.get(name)!
		}));
	});
	for (const part of chunks(links, AUTHOR_LINK_CHUNK)) {
		await db.insertInto('paper_authors').values(part).execute();
	}
}

/** Row counts of the main tables, for stats, health and tests. */
export async function countRows(
	db: Db
): Promise<{ papers: number; authors: number; paperAuthors: number; dailyPicks: number }> {
	const count = async (table: 'papers' | 'authors' | 'paper_authors' | 'daily_picks') => {
		const row = await db
			.selectFrom(table)
			.select((eb) => eb.fn.countAll<string | number>().as('n'))
			.executeTakeFirstOrThrow();
		return Number(row.n);
	};
	return {
		papers: await count('papers'),
		authors: await count('authors'),
		paperAuthors: await count('paper_authors'),
		dailyPicks: await count('daily_picks')
	};
}

/** The highest change-feed position handed out so far. */
export async function currentSeq(db: Db): Promise<number> {
	const row = await db
		.selectFrom('counters')
		.select('value')
		.where('name', '=', 'papers')
		.executeTakeFirstOrThrow();
	return Number(row.value);
}

/**
 * Papers written after change-feed position `afterSeq`, oldest change first, at
 * most `limit` of them: what a search replica needs to catch up.
 */
export async function listChangesSince(
	db: Db,
	afterSeq: number,
	limit: number
): Promise<StoredPaper[]> {
	const rows = await db
		.selectFrom('papers')
		.selectAll()
		.where('seq', '>', afterSeq)
		.orderBy('seq')
		.limit(limit)
		.execute();
	return withAuthors(db, rows);
}

/** Titles and abstracts only, for checks that need the text of many papers (phrase search). */
export async function findPaperTexts(
	db: Db,
	ids: string[]
): Promise<Map<string, { title: string; abstract: string }>> {
	const texts = new Map<string, { title: string; abstract: string }>();
	for (const part of chunks([...new Set(ids)], ID_CHUNK)) {
		const rows = await db
			.selectFrom('papers')
			.select(['id', 'title', 'abstract'])
			.where('id', 'in', part)
			.execute();
		for (const row of rows) texts.set(row.id, { title: row.title, abstract: row.abstract });
	}
	return texts;
}
