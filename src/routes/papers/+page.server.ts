import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { PERIOD_FORMAT_PROBLEM, parseDay, parseMonth, parseWeek } from '$lib/core/period';
import { pageLoad } from '$lib/server/http/error-response';
import { getFeed } from '$lib/server/papers/feed.service';
import { readerVotes } from '$lib/server/votes/vote.service';
import type { PageServerLoadEvent } from './$types';

const feedQuery = z.object({
	date: z.string().optional(),
	week: z.string().optional(),
	month: z.string().optional(),
	day: z.string().optional(),
	p: z.coerce.number().int().min(0).max(1000).default(0)
});

export const load = pageLoad(async ({ url, locals }: PageServerLoadEvent) => {
	const parsed = feedQuery.safeParse(Object.fromEntries(url.searchParams));
	if (!parsed.success) error(400, 'The page number must be a whole number from 0 to 1000.');
	const { date, week, month, day, p } = parsed.data;
	const given = [date, week, month].filter((v) => v !== undefined);
	if (given.length > 1) error(400, 'Ask for one of date, week or month.');
	const period =
		date !== undefined
			? parseDay(date)
			: week !== undefined
				? parseWeek(week)
				: month !== undefined
					? parseMonth(month)
					: undefined;
	if (period === null) {
		error(400, PERIOD_FORMAT_PROBLEM);
	}
	// The day selected before switching to a week or month tab; it must lie inside what is shown.
	const selected = day === undefined ? undefined : parseDay(day);
	if (selected !== undefined) {
		if (
			!period ||
			period.kind === 'day' ||
			!selected ||
			selected.key < period.from ||
			selected.key > period.to
		) {
			error(400, 'day=YYYY-MM-DD goes with week= or month= and must be a day inside it.');
		}
	}
	// A well-formed period outside the years a feed covers is the service's BadRequestError.
	const feed = await getFeed(locals.app.store.db, { period, page: p });
	const votes = await readerVotes(
		locals.app.store.db,
		locals.member,
		feed.papers.map((paper) => paper.id)
	);
	return { feed, votes, selectedDay: selected?.key };
});
