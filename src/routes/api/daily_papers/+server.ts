import { json } from '@sveltejs/kit';
import { parseDay } from '$lib/core/period';
import { toHfDailyEntry } from '$lib/server/api/hf-shape';
import { dailyPapersQuery, parseQuery } from '$lib/server/api/schemas';
import { apiEndpoint } from '$lib/server/http/error-response';
import { getFeed } from '$lib/server/papers/feed.service';
import type { RequestEvent } from './$types';

export const GET = apiEndpoint(async ({ url, locals }: RequestEvent) => {
	const { date, limit, p } = parseQuery(dailyPapersQuery, url.searchParams);
	const feed = await getFeed(locals.app.store.db, {
		period: date ? parseDay(date)! : undefined,
		page: p,
		pageSize: limit
	});
	return json(feed.papers.map(toHfDailyEntry), {
		headers: { 'x-total-count': String(feed.total), 'x-feed-date': feed.period.key }
	});
});
