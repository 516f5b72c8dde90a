import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { isTrendingWindow } from '$lib/core/trending';
import { pageLoad } from '$lib/server/http/error-response';
import { loadTrendingPage } from '$lib/server/trending/trending.service';
import { readerVotes } from '$lib/server/votes/vote.service';
import type { PageServerLoadEvent } from './$types';

const PAGE_SIZE = 30;

const trendingQuery = z.object({
	window: z.string().default('week'),
	p: z.coerce.number().int().min(0).max(1000).default(0)
});

export const load = pageLoad(async ({ url, locals }: PageServerLoadEvent) => {
	const parsed = trendingQuery.safeParse(Object.fromEntries(url.searchParams));
	if (!parsed.success) error(400, 'The page number must be a whole number from 0 to 1000.');
	const { window, p } = parsed.data;
	if (!isTrendingWindow(window)) error(400, 'Use window=day, window=week or window=month.');
	const trending = await loadTrendingPage(locals.app.store.db, window, p, PAGE_SIZE);
	const votes = await readerVotes(
		locals.app.store.db,
		locals.member,
		trending.papers.map((paper) => paper.id)
	);
	return { window, page: p, pageSize: PAGE_SIZE, ...trending, votes };
});
