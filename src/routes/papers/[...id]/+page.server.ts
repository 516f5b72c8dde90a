import { pageLoad } from '$lib/server/http/error-response';
import { getPaperDetails } from '$lib/server/papers/paper-page.service';
import { similarPapers } from '$lib/server/search/search.service';
import { readerVotes } from '$lib/server/votes/vote.service';
import type { PageServerLoadEvent } from './$types';

export const load = pageLoad(async ({ params, locals }: PageServerLoadEvent) => {
	const details = await getPaperDetails(locals.app.store.db, params.id);
	const similar = await similarPapers(
		locals.app.store.db,
		locals.app.search.replica,
		details.paper.id,
		8
	);
	const votes = await readerVotes(locals.app.store.db, locals.member, [details.paper.id]);
	return { ...details, similar, votes };
});
