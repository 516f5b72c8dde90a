import { hasRole } from '$lib/core/member';
import { threadViewOf } from '$lib/core/comment';
import { paperDiscussion } from '$lib/server/discussion/comment.service';
import { pageLoad } from '$lib/server/http/error-response';
import { getPaperDetails } from '$lib/server/papers/paper-page.service';
import { similarPapers } from '$lib/server/search/search.service';
import { readerVotes } from '$lib/server/votes/vote.service';
import type { PageServerLoadEvent } from './$types';

const SUBMISSION_NOTICES = ['new', 'upvoted', 'unchanged'] as const;

export const load = pageLoad(async ({ params, locals, url }: PageServerLoadEvent) => {
	const moderator = locals.member !== null && hasRole(locals.member.role, 'moderator');
	const details = await getPaperDetails(locals.app.store.db, params.id, { showHidden: moderator });
	const similar = await similarPapers(
		locals.app.store.db,
		locals.app.search.replica,
		details.paper.id,
		8
	);
	// After a submission (links.submitted): how it went, as a fixed code; the sentence is built
	// from the paper's own picks, never from the address.
	const notice = SUBMISSION_NOTICES.find((n) => n === url.searchParams.get('submitted')) ?? null;
	const votes = await readerVotes(locals.app.store.db, locals.member, [details.paper.id]);
	const discussion = await paperDiscussion(
		locals.app.store.db,
		details.paper.id,
		threadViewOf(url.searchParams)
	);
	return {
		...details,
		moderator,
		similar,
		votes,
		discussion,
		submissionNotice: locals.member ? notice : null
	};
});
