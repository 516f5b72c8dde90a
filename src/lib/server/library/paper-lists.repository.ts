/**
 * SQL for the lists of papers that author pages, category pages and /me show. Hidden
 * papers (`papers.hidden_at`) are never listed. Newest first is `published_at` (arXiv's
 * first version), the indexed order every list here shares.
 */
import { sql, type SqlBool } from 'kysely';
import type { Db } from '../db/create-db';
import { isSqlite } from '../db/dialect';
import type { PaperRow } from '../db/schema';

/** A paper a list found, and the time that put it there. */
export interface ListedPaperId {
	paperId: string;
	at: string;
}

/** One page of an author's papers, newest first (index `paper_authors_author`). */
export async function listAuthorPapers(
	db: Db,
	authorId: number,
	range: { limit: number; offset: number }
): Promise<PaperRow[]> {
	return db
		.selectFrom('papers')
		.selectAll('papers')
		.where('hidden_at', 'is', null)
		.where('id', 'in', (eb) =>
			eb.selectFrom('paper_authors').select('paper_id').where('author_id', '=', authorId)
		)
		.orderBy('published_at', 'desc')
		.orderBy('id')
		.limit(range.limit)
		.offset(range.offset)
		.execute();
}

/** How many visible papers name the author, and their upvotes (source plus members) in total. */
export async function summarizeAuthor(
	db: Db,
	authorId: number
): Promise<{ papers: number; upvotes: number }> {
	const row = await db
		.selectFrom('papers')
		.select((eb) => [
			eb.fn.countAll<string | number>().as('n'),
			eb.fn
				.coalesce(
					eb.fn.sum<string | number>(sql<number>`source_upvotes + member_upvotes`),
					sql<number>`0`
				)
				.as('upvotes')
		])
		.where('hidden_at', 'is', null)
		.where('id', 'in', (eb) =>
			eb.selectFrom('paper_authors').select('paper_id').where('author_id', '=', authorId)
		)
		.executeTakeFirstOrThrow();
	return { papers: Number(row.n), upvotes: Number(row.upvotes) };
}

/**
 * The author's co-authors on visible papers: each written name with the number of
 * papers shared, most shared first, then by name.
 */
export async function listCoauthors(
	db: Db,
	authorId: number,
	limit: number
): Promise<{ name: string; papers: number }[]> {
	const rows = await db
		.selectFrom('paper_authors as other')
		.innerJoin('authors', 'authors.id', 'other.author_id')
		.innerJoin('papers', 'papers.id', 'other.paper_id')
		.select([
			'authors.name',
			(eb) => eb.fn.count<string | number>('other.paper_id').distinct().as('n')
		])
		.where('papers.hidden_at', 'is', null)
		.where('other.author_id', '!=', authorId)
		.where('other.paper_id', 'in', (eb) =>
			eb.selectFrom('paper_authors').select('paper_id').where('author_id', '=', authorId)
		)
		.groupBy('authors.name')
		.orderBy('n', 'desc')
		.orderBy('authors.name')
		.limit(limit)
		.execute();
	return rows.map((r) => ({ name: r.name, papers: Number(r.n) }));
}

// Categories are stored as a JSON array of strings, and a category never holds `"` in arXiv's
// syntax (core/arxiv-categories.ts), so finding `"cs.LG"` in the text finds that element. Not
// LIKE: SQLite's is case-insensitive, and arXiv's categories are not (cs.LG, math.AG).
const holdsCategory = (db: Db, category: string) =>
	isSqlite(db)
		? sql<SqlBool>`instr(categories, ${JSON.stringify(category)}) > 0`
		: sql<SqlBool>`strpos(categories, ${JSON.stringify(category)}) > 0`;

/**
 * One page of a category's visible papers, newest first: a walk down `papers_published_at`
 * that stops once the page is full. `limit` one past the page says whether another follows.
 */
export async function listCategoryPapers(
	db: Db,
	categories: readonly string[],
	range: { limit: number; offset: number; since?: string }
): Promise<PaperRow[]> {
	if (categories.length === 0) return [];
	let query = db
		.selectFrom('papers')
		.selectAll()
		.where('hidden_at', 'is', null)
		.where((eb) => eb.or(categories.map((c) => holdsCategory(db, c))));
	if (range.since) query = query.where('published_at', '>=', range.since);
	return query
		.orderBy('published_at', 'desc')
		.orderBy('id')
		.limit(range.limit)
		.offset(range.offset)
		.execute();
}

/** Visible papers by any of the named authors published since `since`, newest first. */
export async function listPapersByAuthorNames(
	db: Db,
	names: readonly string[],
	range: { limit: number; since: string }
): Promise<ListedPaperId[]> {
	if (names.length === 0) return [];
	const rows = await db
		.selectFrom('papers')
		.select(['id', 'published_at'])
		.where('hidden_at', 'is', null)
		.where('published_at', '>=', range.since)
		.where('id', 'in', (eb) =>
			eb
				.selectFrom('paper_authors')
				.innerJoin('authors', 'authors.id', 'paper_authors.author_id')
				.select('paper_authors.paper_id')
				.where('authors.name', 'in', [...names])
		)
		.orderBy('published_at', 'desc')
		.orderBy('id')
		.limit(range.limit)
		.execute();
	return rows.map((r) => ({ paperId: r.id, at: r.published_at }));
}

/** Which of the followed names write each paper (to say why it is on /me). */
export async function findAuthorNamesAmong(
	db: Db,
	paperIds: readonly string[],
	names: readonly string[]
): Promise<{ paperId: string; name: string }[]> {
	if (paperIds.length === 0 || names.length === 0) return [];
	const rows = await db
		.selectFrom('paper_authors')
		.innerJoin('authors', 'authors.id', 'paper_authors.author_id')
		.select(['paper_authors.paper_id', 'authors.name'])
		.where('paper_authors.paper_id', 'in', [...paperIds])
		.where('authors.name', 'in', [...names])
		.execute();
	return rows.map((r) => ({ paperId: r.paper_id, name: r.name }));
}

/** A member's activity on a paper: the time of the latest, and who. */
export interface MemberActivity extends ListedPaperId {
	memberId: string;
}

/** Visible papers the members submitted (picked for a day) since `since`, newest first. */
export async function listSubmittedBy(
	db: Db,
	memberIds: readonly string[],
	range: { limit: number; since: string }
): Promise<MemberActivity[]> {
	if (memberIds.length === 0) return [];
	const rows = await db
		.selectFrom('daily_picks')
		.innerJoin('papers', 'papers.id', 'daily_picks.paper_id')
		.select(['daily_picks.paper_id', 'daily_picks.submitter_id', 'daily_picks.submitted_at'])
		.where('papers.hidden_at', 'is', null)
		.where('daily_picks.submitter_id', 'in', [...memberIds])
		.where('daily_picks.submitted_at', '>=', range.since)
		.orderBy('daily_picks.submitted_at', 'desc')
		.limit(range.limit)
		.execute();
	return rows.map((r) => ({
		paperId: r.paper_id,
		memberId: r.submitter_id ?? '',
		at: r.submitted_at
	}));
}

/** Visible papers the members upvoted since `since`, newest vote first (index `paper_votes_member`). */
export async function listUpvotedBy(
	db: Db,
	memberIds: readonly string[],
	range: { limit: number; since: string }
): Promise<MemberActivity[]> {
	if (memberIds.length === 0) return [];
	const rows = await db
		.selectFrom('paper_votes')
		.innerJoin('papers', 'papers.id', 'paper_votes.paper_id')
		.select(['paper_votes.paper_id', 'paper_votes.member_id', 'paper_votes.created_at'])
		.where('papers.hidden_at', 'is', null)
		.where('paper_votes.member_id', 'in', [...memberIds])
		.where('paper_votes.created_at', '>=', range.since)
		.orderBy('paper_votes.created_at', 'desc')
		.limit(range.limit)
		.execute();
	return rows.map((r) => ({ paperId: r.paper_id, memberId: r.member_id, at: r.created_at }));
}

/** When the member last saw /me (null: never). */
export async function findMeSeenAt(db: Db, memberId: string): Promise<string | null> {
	const row = await db
		.selectFrom('members')
		.select('me_seen_at')
		.where('id', '=', memberId)
		.executeTakeFirst();
	return row?.me_seen_at ?? null;
}

export async function updateMeSeenAt(db: Db, memberId: string, at: string): Promise<void> {
	await db.updateTable('members').set({ me_seen_at: at }).where('id', '=', memberId).execute();
}
