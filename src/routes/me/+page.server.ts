/**
 * `/me`: what is new from what the signed-in member follows, with a "new" marker on what
 * came after their previous visit; this visit then becomes the previous one.
 */
import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { links } from '$lib/links';
import { pageLoad } from '$lib/server/http/error-response';
import { LAST_PAGE, loadMePage, markMeSeen } from '$lib/server/library/me-feed.service';
import { readerVotes } from '$lib/server/votes/vote.service';
import type { PageServerLoadEvent } from './$types';

const PAGE_SIZE = 20;
const pageQuery = z.object({ p: z.coerce.number().int().min(0).max(LAST_PAGE).default(0) });

export const load = pageLoad(async ({ url, locals, setHeaders }: PageServerLoadEvent) => {
	if (!locals.member) redirect(303, links.signIn(links.me()));
	const parsed = pageQuery.safeParse({ p: url.searchParams.get('p') ?? undefined });
	if (!parsed.success) {
		error(
			400,
			`The page number must be a whole number from 0 to ${LAST_PAGE}: /me shows the last 30 days.`
		);
	}
	setHeaders({ 'cache-control': 'private, no-store' });
	const db = locals.app.store.db;
	const now = new Date();
	const me = await loadMePage(
		db,
		locals.member.id,
		{ page: parsed.data.p, pageSize: PAGE_SIZE },
		now
	);
	const votes = await readerVotes(
		db,
		locals.member,
		me.papers.map((p) => p.id)
	);
	// The markers above were taken against the previous visit; from now on, this one counts.
	await markMeSeen(db, locals.member.id, now);
	return { ...me, votes, username: locals.member.username };
});
