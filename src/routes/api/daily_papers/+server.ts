import { json } from '@sveltejs/kit';
import { parseDay } from '$lib/core/period';
import { toHfDailyEntry } from '$lib/server/api/hf-shape';
import { dailyPapersQuery, parseQuery } from '$lib/server/api/schemas';
import { getFeed } from '$lib/server/papers/feed.service';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url, locals }) => {
	const query = parseQuery(dailyPapersQuery, url.searchParams);
	if (!query.ok) return query.response;
	const { date, limit, p } = query.value;
	const feed = await getFeed(locals.app.store.db, {
		period: date ? parseDay(date)! : undefined,
		page: p,
		pageSize: limit
	});
	return json(feed.papers.map(toHfDailyEntry), {
		headers: { 'x-total-count': String(feed.total), 'x-feed-date': feed.period.key }
	});
};
