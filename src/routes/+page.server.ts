import { getFeed } from '$lib/server/papers/feed.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	return { feed: await getFeed(locals.app.store.db, {}) };
};
