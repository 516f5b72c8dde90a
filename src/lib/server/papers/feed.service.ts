/** The daily feed: which papers to show for a day, week or month, and how to page through it. */
import type { Feed, FeedPaper } from '$lib/core/paper-views';
import { dayOf, parseDay, shiftPeriod, type Period } from '$lib/core/period';
import type { Db } from '../db/create-db';
import {
	countPickedPapers,
	latestPickDay,
	listPickedPapers,
	neighbourPickDays
} from './daily-pick.repository';
import { withAuthors } from './paper.repository';

export type { Feed, FeedPaper };

export interface FeedRequest {
	/** The period asked for; none means "today, or the latest day with picks". */
	period?: Period;
	page?: number;
	pageSize?: number;
	now?: Date;
}

/** Loads one page of the feed for a period. */
export async function getFeed(db: Db, request: FeedRequest): Promise<Feed> {
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
	const range = { from: period.from, to: period.to };
	const [rows, total] = await Promise.all([
		listPickedPapers(db, { ...range, limit: pageSize, offset: page * pageSize }),
		countPickedPapers(db, range)
	]);
	const withNames = await withAuthors(db, rows);
	const papers = withNames.map((paper, i) => ({
		...paper,
		pickDay: rows[i].pick_day,
		submittedBy: rows[i].pick_submitted_by,
		submittedAt: rows[i].pick_submitted_at
	}));

	let previous: string | null;
	let next: string | null;
	if (period.kind === 'day') {
		// Days without picks (weekends, gaps in an archive) are skipped.
		const around = await neighbourPickDays(db, range);
		previous = around.previous ?? null;
		next = around.next ?? null;
	} else {
		previous = shiftPeriod(period, -1).key;
		const after = shiftPeriod(period, 1);
		next = after.from <= today ? after.key : null;
	}
	return { period, papers, total, page, pageSize, previous, next, showingLatest, storeIsEmpty };
}
