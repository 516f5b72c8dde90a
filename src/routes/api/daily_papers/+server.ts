import { json } from '@sveltejs/kit';
import { parseDay, parseMonth, parseWeek } from '$lib/core/period';
import { toHfDailyEntry } from '$lib/server/api/hf-shape';
import { dailyPapersQuery, parseQuery } from '$lib/server/api/schemas';
import { BadRequestError } from '$lib/server/errors';
import { apiEndpoint } from '$lib/server/http/error-response';
import { getFeed, getSubmitterPicks } from '$lib/server/papers/feed.service';
import { loadTrendingPage } from '$lib/server/trending/trending.service';
import type { RequestEvent } from './$types';

export const GET = apiEndpoint(async ({ url, locals }: RequestEvent) => {
	const { date, week, month, submitter, sort, limit, p } = parseQuery(
		dailyPapersQuery,
		url.searchParams
	);
	const db = locals.app.store.db;
	const shape = (papers: Parameters<typeof toHfDailyEntry>[0][]) =>
		papers.map((paper) => toHfDailyEntry(paper, locals.app.config.publicUrl));
	if ([date, week, month].filter((v) => v !== undefined).length > 1) {
		throw new BadRequestError('Ask for one of date, week or month.');
	}
	if (sort === 'trending') {
		if (date || week || month || submitter) {
			throw new BadRequestError(
				'sort=trending ranks the last week; leave out date, week, month and submitter'
			);
		}
		const trending = await loadTrendingPage(db, 'week', p, limit);
		return json(shape(trending.papers), {
			headers: { 'x-total-count': String(trending.total) }
		});
	}
	const order = sort === 'publishedAt' ? 'publishedAt' : 'upvotes';
	// The schema has already refused values that are not real calendar periods.
	const period = date
		? parseDay(date)!
		: week
			? parseWeek(week)!
			: month
				? parseMonth(month)!
				: undefined;
	if (submitter !== undefined && period === undefined) {
		const picks = await getSubmitterPicks(db, { submitter, order, page: p, pageSize: limit });
		return json(shape(picks.papers), { headers: { 'x-total-count': String(picks.total) } });
	}
	const feed = await getFeed(db, { period, order, submitter, page: p, pageSize: limit });
	return json(shape(feed.papers), {
		headers: { 'x-total-count': String(feed.total), 'x-feed-date': feed.period.key }
	});
});
