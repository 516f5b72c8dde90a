import { json } from '@sveltejs/kit';
import { parseDay } from '$lib/core/period';
import { toHfDailyEntry } from '$lib/server/api/hf-shape';
import { dailyPapersQuery, parseQuery } from '$lib/server/api/schemas';
import { BadRequestError } from '$lib/server/errors';
import { apiEndpoint } from '$lib/server/http/error-response';
import { getFeed } from '$lib/server/papers/feed.service';
import { loadTrendingPage } from '$lib/server/trending/trending.service';
import type { RequestEvent } from './$types';

export const GET = apiEndpoint(async ({ url, locals }: RequestEvent) => {
	const { date, limit, p, sort } = parseQuery(dailyPapersQuery, url.searchParams);
	const db = locals.app.store.db;
	if (sort === 'trending') {
		if (date) throw new BadRequestError('sort=trending ranks the last week; leave out date');
		const trending = await loadTrendingPage(db, 'week', p, limit);
		return json(trending.papers.map(toHfDailyEntry), {
			headers: { 'x-total-count': String(trending.total) }
		});
	}
	const feed = await getFeed(db, {
		period: date ? parseDay(date)! : undefined,
		page: p,
		pageSize: limit
	});
	return json(feed.papers.map(toHfDailyEntry), {
		headers: { 'x-total-count': String(feed.total), 'x-feed-date': feed.period.key }
	});
});
