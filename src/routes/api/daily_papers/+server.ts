import { json } from '@sveltejs/kit';
import { parseDay, parseMonth, parseWeek } from '$lib/core/period';
import { BadRequestError } from '$lib/server/errors';
import { toHfDailyEntry } from '$lib/server/api/hf-shape';
import { dailyPapersQuery, parseQuery } from '$lib/server/api/schemas';
import { apiEndpoint } from '$lib/server/http/error-response';
import { getFeed } from '$lib/server/papers/feed.service';
import type { RequestEvent } from './$types';

export const GET = apiEndpoint(async ({ url, locals }: RequestEvent) => {
	const { date, week, month, sort, limit, p } = parseQuery(dailyPapersQuery, url.searchParams);
	if ([date, week, month].filter((v) => v !== undefined).length > 1) {
		throw new BadRequestError('Ask for one of date, week or month.');
	}
	// The schema has already refused values that are not real calendar periods.
	const period = date
		? parseDay(date)!
		: week
			? parseWeek(week)!
			: month
				? parseMonth(month)!
				: undefined;
	const feed = await getFeed(locals.app.store.db, {
		period,
		order: sort === 'publishedAt' ? 'publishedAt' : 'upvotes',
		page: p,
		pageSize: limit
	});
	return json(feed.papers.map(toHfDailyEntry), {
		headers: { 'x-total-count': String(feed.total), 'x-feed-date': feed.period.key }
	});
});
