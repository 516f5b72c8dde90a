import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { pageLoad } from '$lib/server/http/error-response';
import { searchPageResult } from '$lib/server/search/search-page-data';
import { MAX_LIMIT, searchPapers } from '$lib/server/search/search.service';
import { readerVotes } from '$lib/server/votes/vote.service';
import type { PageServerLoadEvent } from './$types';

const PAGE_SIZE = 20;

const searchQuery = z.object({
	q: z.string().max(10_000).default(''),
	p: z.coerce.number().int().min(0).max(1000).default(0)
});

export const load = pageLoad(async ({ url, locals }: PageServerLoadEvent) => {
	const parsed = searchQuery.safeParse({
		q: url.searchParams.get('q') ?? undefined,
		p: url.searchParams.get('p') ?? undefined
	});
	if (!parsed.success) error(400, 'Use q=<your query> and p=<page number from 0>.');
	const { q, p } = parsed.data;
	if (q.trim() === '') {
		return { q, result: null, votes: await readerVotes(locals.app.store.db, locals.member, []) };
	}
	const result = await searchPapers(locals.app.store.db, locals.app.search.replica, {
		q,
		limit: Math.min(PAGE_SIZE, MAX_LIMIT),
		offset: p * PAGE_SIZE
	});
	const shown = searchPageResult(result);
	const votes = await readerVotes(
		locals.app.store.db,
		locals.member,
		shown.hits.map((hit) => hit.id)
	);
	return { q, result: { ...shown, page: p, pageSize: PAGE_SIZE }, votes };
});
