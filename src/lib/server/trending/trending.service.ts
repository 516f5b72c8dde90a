/**
 * Computing the trending windows: scores every paper of the last month once
 * (core/trending.ts) and stores each window's ranking (trending.repository.ts).
 */
import { TRENDING_WINDOWS, trendingScore, type TrendingWindow } from '$lib/core/trending';
import type { Db } from '../db/create-db';
import type { FeedPaper } from '$lib/core/paper-views';
import { findPapers } from '../papers/paper.repository';
import { withSubmitters } from '../submissions/submission.service';
import {
	findFirstPicks,
	listTrendingCandidates,
	listTrendingPage,
	replaceTrendingWindow,
	type TrendingEntry
} from './trending.repository';

const DAY_MS = 24 * 60 * 60_000;

/** How many papers each window ranked. */
export type TrendingCounts = Record<TrendingWindow, number>;

/**
 * Ranks the papers published within each window before `now` by trending score
 * (ties: newer first, then id) and replaces the stored windows; with `dryRun`
 * it only counts. Running it twice with the same data stores the same rows.
 */
export async function refreshTrending(
	db: Db,
	options: { now: Date; dryRun?: boolean }
): Promise<TrendingCounts> {
	const { now } = options;
	const longest = Math.max(...Object.values(TRENDING_WINDOWS));
	const since = new Date(now.getTime() - longest * DAY_MS).toISOString();
	const candidates = await listTrendingCandidates(db, since);
	const scored = candidates
		.map((c) => ({ ...c, score: trendingScore(c, now) }))
		.sort(
			(a, b) =>
				b.score - a.score || b.publishedAt.localeCompare(a.publishedAt) || a.id.localeCompare(b.id)
		);
	const counts = {} as TrendingCounts;
	const computedAt = now.toISOString();
	for (const [window, days] of Object.entries(TRENDING_WINDOWS) as [TrendingWindow, number][]) {
		const windowSince = new Date(now.getTime() - days * DAY_MS).toISOString();
		const entries: TrendingEntry[] = scored
			.filter((c) => c.publishedAt >= windowSince)
			.map((c, i) => ({ paperId: c.id, score: c.score, rank: i + 1 }));
		counts[window] = entries.length;
		if (!options.dryRun) await replaceTrendingWindow(db, window, entries, computedAt);
	}
	return counts;
}

/** A page of a trending window with its papers, best first. */
export interface TrendingPage {
	/** Submitter and time of the paper's first daily pick; a paper never picked shows its publication. */
	papers: (FeedPaper & { trendingScore: number; trendingRank: number })[];
	total: number;
	/** When the job last computed the window; null before its first run. */
	computedAt: string | null;
}

/** Reads a page of a stored trending window (`page` counts from 0, like the feed's `p`). */
export async function loadTrendingPage(
	db: Db,
	window: TrendingWindow,
	page: number,
	pageSize: number
): Promise<TrendingPage> {
	const stored = await listTrendingPage(db, window, {
		offset: page * pageSize,
		limit: pageSize
	});
	const byId = await findPapers(
		db,
		stored.entries.map((e) => e.paperId)
	);
	const picks = await findFirstPicks(
		db,
		stored.entries.map((e) => e.paperId)
	);
	const papers = stored.entries.flatMap((e) => {
		const paper = byId.get(e.paperId);
		// Hidden after the job ranked it: moderation drops its rows too, but a run may race it.
		if (!paper || paper.hiddenAt) return [];
		const pick = picks.get(e.paperId);
		return [
			{
				...paper,
				pickDay: pick?.day ?? paper.publishedAt.slice(0, 10),
				submittedBy: pick?.submittedBy ?? '',
				submittedAt: pick?.submittedAt ?? paper.publishedAt,
				trendingScore: e.score,
				trendingRank: e.rank
			}
		];
	});
	return {
		papers: await withSubmitters(db, papers),
		total: stored.total,
		computedAt: stored.computedAt
	};
}
