/** The daily feed: which papers to show for a day, week or month, and how to page through it. */
import type { Feed, FeedPaper } from '$lib/core/paper-views';
import {
	dayOf,
	feedPeriodProblem,
	isFeedPeriod,
	parseDay,
	shiftPeriod,
	type Period
} from '$lib/core/period';
import type { Db } from '../db/create-db';
import { BadRequestError } from '../errors';
import {
	countPickedPapers,
	latestPickDay,
	listPickedPapers,
	type FeedOrder,
	neighbourPickDays
} from './daily-pick.repository';
import { withSubmitters } from '../submissions/submission.service';
import { withAuthors } from './paper.repository';

export type { Feed, FeedPaper };

export interface FeedRequest {
	/** The period asked for; none means "today, or the latest day with picks". */
	period?: Period;
	page?: number;
	pageSize?: number;
	/** Upvotes (the default) or publication date, newest first. */
	order?: FeedOrder;
	/** Only the picks of this submitter (a member's username or an imported name, case-insensitive). */
	submitter?: string;
	now?: Date;
}

/** Loads one page of the feed for a period; a period outside 1991–9999 is a BadRequestError. */
export async function getFeed(db: Db, request: FeedRequest): Promise<Feed> {
	const problem = request.period && feedPeriodProblem(request.period);
	if (problem) throw new BadRequestError(problem);
	const pageSize = request.pageSize ?? 50;
	const page = request.page ?? 0;
	const today = dayOf(request.now ?? new Date());
	let period = request.period;
	let showingLatest = false;
	let storeIsEmpty = false;
	if (!period) {
		const latest = (await latestPickDay(db, today)) ?? (await latestPickDay(db));
		storeIsEmpty = latest === undefined;
		showingLatest = latest !== undefined && latest !== today;
		period = parseDay(latest ?? today)!;
	}
	const range = { from: period.from, to: period.to, submitter: request.submitter };
	const { papers, total } = await loadPicked(db, range, {
		page,
		pageSize,
		order: request.order
	});

	let previous: string | null;
	let next: string | null;
	if (period.kind === 'day') {
		// Days without picks (weekends, gaps in an archive) are skipped.
		const around = await neighbourPickDays(db, range);
		previous = shownDay(around.previous);
		next = shownDay(around.next);
	} else {
		previous = shiftPeriod(period, -1)?.key ?? null;
		const after = shiftPeriod(period, 1);
		next = after && after.from <= today ? after.key : null;
	}
	return { period, papers, total, page, pageSize, previous, next, showingLatest, storeIsEmpty };
}

/** A stored pick day as a link target, or null when a feed could not show it (a stray date in an archive). */
function shownDay(day: string | undefined): string | null {
	const period = day === undefined ? null : parseDay(day);
	return period && isFeedPeriod(period) ? period.key : null;
}

/**
 * One page of every paper `submitter` put in the daily list, on any day
 * (Hugging Face's `?submitter=` without a date, week or month).
 */
export async function getSubmitterPicks(
	db: Db,
	request: { submitter: string; page?: number; pageSize?: number; order?: FeedOrder }
): Promise<{ papers: FeedPaper[]; total: number }> {
	return loadPicked(
		db,
		{ from: '0000-01-01', to: '9999-12-31', submitter: request.submitter },
		{ page: request.page ?? 0, pageSize: request.pageSize ?? 50, order: request.order }
	);
}

async function loadPicked(
	db: Db,
	range: { from: string; to: string; submitter?: string },
	paging: { page: number; pageSize: number; order?: FeedOrder }
): Promise<{ papers: FeedPaper[]; total: number }> {
	const [rows, total] = await Promise.all([
		listPickedPapers(db, {
			...range,
			limit: paging.pageSize,
			offset: paging.page * paging.pageSize,
			order: paging.order
		}),
		countPickedPapers(db, range)
	]);
	const withNames = await withAuthors(db, rows);
	const papers = await withSubmitters(
		db,
		withNames.map((paper, i) => ({
			...paper,
			pickDay: rows[i].pick_day,
			submittedBy: rows[i].pick_submitted_by,
			submittedAt: rows[i].pick_submitted_at
		}))
	);
	return { papers, total };
}
