import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { pageLoad } from '$lib/server/http/error-response';
import { loadAuthorPage, readerStateOf } from '$lib/server/library/paper-lists.service';
import type { PageServerLoadEvent } from './$types';

const PAGE_SIZE = 20;
const pageQuery = z.object({ p: z.coerce.number().int().min(0).max(1000).default(0) });

export const load = pageLoad(async ({ params, url, locals }: PageServerLoadEvent) => {
	const parsed = pageQuery.safeParse({ p: url.searchParams.get('p') ?? undefined });
	if (!parsed.success) error(400, 'The page number must be a whole number from 0 to 1000.');
	const db = locals.app.store.db;
	const author = await loadAuthorPage(db, params.name, {
		page: parsed.data.p,
		pageSize: PAGE_SIZE
	});
	const reader = await readerStateOf(db, locals.member, author.papers, {
		kind: 'author',
		target: author.name
	});
	return { ...author, ...reader };
});
