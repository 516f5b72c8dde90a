/**
 * The vote without JavaScript: the vote button is a form that POSTs `vote=up|down` and
 * `back` (the page it sits on) here; the answer is a 303 back to that page, at the card.
 */
import { error, redirect } from '@sveltejs/kit';
import { voteReturnPath } from '$lib/core/vote';
import { links } from '$lib/links';
import { requireWriter } from '$lib/server/auth/guards';
import { castVote, retractVote } from '$lib/server/votes/vote.service';
import type { Actions, PageServerLoad } from './$types';

// Nothing to show here: a GET (a reloaded or shared address) goes to the paper.
export const load: PageServerLoad = ({ params }) => redirect(303, links.paper(params.id));

export const actions: Actions = {
	default: async ({ params, locals, request }) => {
		const form = await request.formData().catch(() => null);
		const direction = form?.get('vote');
		const back = form?.get('back');
		const returnTo = voteReturnPath(
			typeof back === 'string' ? back : null,
			links.paper(params.id),
			params.id
		);
		// Signed out (or the session ended meanwhile): sign in, then come back to the same place.
		if (!locals.member) redirect(303, links.signIn(returnTo.split('#')[0]));
		// A suspended member: 403 with the date, through handleError like the typed errors below.
		requireWriter(locals);
		if (direction !== 'up' && direction !== 'down') {
			error(400, 'A vote is vote=up or vote=down.');
		}
		// Typed errors (unknown paper: 404; too many votes: 429 + Retry-After) reach the error page
		// through handleError with their status.
		await locals.app.rateLimits.consume('vote', locals.member.id);
		const change = { paperId: params.id, memberId: locals.member.id };
		if (direction === 'up') await castVote(locals.app.store.db, change);
		else await retractVote(locals.app.store.db, change);
		redirect(303, returnTo);
	}
};
