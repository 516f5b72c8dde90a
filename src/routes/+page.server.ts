import { getFeed } from '$lib/server/papers/feed.service';
import { readerVotes } from '$lib/server/votes/vote.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const feed = await getFeed(locals.app.store.db, {});
	const votes = await readerVotes(
		locals.app.store.db,
		locals.member,
		feed.papers.map((paper) => paper.id)
	);
	return { feed, votes };
};
