/**
 * SQL for trending: reading the candidates of the last month (by the indexed
 * `papers.published_at`) and writing and reading `trending_scores`.
 */
import type { TrendingWindow } from '$lib/core/trending';
import type { Db } from '../db/create-db';

/** What the score needs of a paper. */
export interface TrendingCandidate {
	id: string;
	upvotes: number;
	comments: number;
	publishedAt: string;
}

/** Papers published at or after `since` and not hidden, with their shown upvotes and comments. */
export async function listTrendingCandidates(db: Db, since: string): Promise<TrendingCandidate[]> {
	const rows = await db
		.selectFrom('papers')
		.select(['id', 'source_upvotes', 'member_upvotes', 'comment_count', 'published_at'])
		.where('published_at', '>=', since)
		.where('hidden_at', 'is', null)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		upvotes: Number(r.source_upvotes) + Number(r.member_upvotes),
		// The comments readers can read here, the count cards show (not the imported one).
		comments: Number(r.comment_count),
		publishedAt: r.published_at
	}));
}

/** One ranked row of a window. */
export interface TrendingEntry {
	paperId: string;
	score: number;
	rank: number;
}

/** Replaces a window's rows with `entries` (already ranked), in one transaction. */
export async function replaceTrendingWindow(
	db: Db,
	window: TrendingWindow,
	entries: TrendingEntry[],
	computedAt: string
): Promise<void> {
	await db.transaction().execute(async (trx) => {
		await trx.deleteFrom('trending_scores').where('window', '=', window).execute();
		// Batches keep each statement under SQLite's bound-parameter limit.
		for (let i = 0; i < entries.length; i += 500) {
			await trx
				.insertInto('trending_scores')
				.values(
					entries.slice(i, i + 500).map((e) => ({
						window,
						rank: e.rank,
						paper_id: e.paperId,
						score: e.score,
						computed_at: computedAt
					}))
				)
				.execute();
		}
	});
}

/** A page of a window, best first, and when it was computed (null: never). */
export async function listTrendingPage(
	db: Db,
	window: TrendingWindow,
	page: { offset: number; limit: number }
): Promise<{ entries: TrendingEntry[]; total: number; computedAt: string | null }> {
	const summary = await db
		.selectFrom('trending_scores')
		.select((eb) => [
			eb.fn.countAll<number | string>().as('total'),
			eb.fn.max('computed_at').as('computed_at')
		])
		.where('window', '=', window)
		.executeTakeFirstOrThrow();
	const rows = await db
		.selectFrom('trending_scores')
		.select(['paper_id', 'score', 'rank'])
		.where('window', '=', window)
		.where('rank', '>', page.offset)
		.orderBy('rank')
		.limit(page.limit)
		.execute();
	return {
		entries: rows.map((r) => ({
			paperId: r.paper_id,
			score: Number(r.score),
			rank: Number(r.rank)
		})),
		total: Number(summary.total),
		computedAt: summary.computed_at ?? null
	};
}

/** The earliest daily pick of each paper that has one: who submitted it, and when. */
export async function findFirstPicks(
	db: Db,
	paperIds: string[]
): Promise<Map<string, { day: string; submittedBy: string; submittedAt: string }>> {
	const found = new Map<string, { day: string; submittedBy: string; submittedAt: string }>();
	if (paperIds.length === 0) return found;
	const rows = await db
		.selectFrom('daily_picks')
		.select(['paper_id', 'day', 'submitted_by', 'submitted_at'])
		.where('paper_id', 'in', paperIds)
		.orderBy('day', 'desc')
		.execute();
	// Newest first, so the last write per paper is its earliest pick.
	for (const r of rows) {
		found.set(r.paper_id, { day: r.day, submittedBy: r.submitted_by, submittedAt: r.submitted_at });
	}
	return found;
}
