import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { links } from '$lib/links';
import { pageLoad } from '$lib/server/http/error-response';
import { isProfileList, loadProfile } from '$lib/server/members/member-profile.service';
import { readerFollows } from '$lib/server/library/follow.service';
import { readerVotes } from '$lib/server/votes/vote.service';
import type { PageServerLoadEvent } from './$types';

const PAGE_SIZE = 20;

const profileQuery = z.object({
	list: z.string().default('submitted'),
	p: z.coerce.number().int().min(0).max(1000).default(0)
});

export const load = pageLoad(async ({ params, url, locals }: PageServerLoadEvent) => {
	const parsed = profileQuery.safeParse(Object.fromEntries(url.searchParams));
	if (!parsed.success) error(400, 'The page number must be a whole number from 0 to 1000.');
	const { list, p } = parsed.data;
	if (!isProfileList(list)) error(400, 'Use list=submitted or list=upvoted.');
	const profile = await loadProfile(locals.app.store.db, params.username, {
		list,
		page: p,
		pageSize: PAGE_SIZE
	});
	// One address per member: /u/ADA and /u/ada show the same page, under its own spelling.
	if (params.username !== profile.member.username) {
		redirect(308, links.member(profile.member.username, list, p || undefined));
	}
	const votes = await readerVotes(
		locals.app.store.db,
		locals.member,
		profile.papers.map((paper) => paper.id)
	);
	const following = await readerFollows(
		locals.app.store.db,
		locals.member,
		'member',
		profile.member.id
	);
	return { ...profile, votes, following, viewer: locals.member?.id ?? null };
});
