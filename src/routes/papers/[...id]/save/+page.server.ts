/**
 * Saving without JavaScript: the save button is a form that POSTs `action=save|unsave`
 * and `back` (the page it sits on) here; the answer is a 303 back to that page, at the
 * card. static/save-button.js posts the same form in the background.
 */
import { error, redirect } from '@sveltejs/kit';
import { voteReturnPath } from '$lib/core/vote';
import { links } from '$lib/links';
import { requireWriter } from '$lib/server/auth/guards';
import { savePaper, unsavePaper } from '$lib/server/library/saved.service';
import type { Actions, PageServerLoad } from './$types';

// Nothing to show here: a GET (a reloaded or shared address) goes to the paper.
export const load: PageServerLoad = ({ params }) => redirect(303, links.paper(params.id));

export const actions: Actions = {
	default: async ({ params, locals, request }) => {
		const form = await request.formData().catch(() => null);
		const action = form?.get('action');
		const back = form?.get('back');
		const returnTo = voteReturnPath(
			typeof back === 'string' ? back : null,
			links.paper(params.id),
			params.id
		);
		// Signed out (or the session ended meanwhile): sign in, then come back to the same place.
		if (!locals.member) redirect(303, links.signIn(returnTo.split('#')[0]));
		if (action !== 'save' && action !== 'unsave') {
			error(400, 'Saving takes action=save or action=unsave.');
		}
		const member = requireWriter(locals);
		await locals.app.rateLimits.consume('save', member.id);
		// Typed errors (unknown or hidden paper: 404; 429) reach the error page with their status.
		if (action === 'save') await savePaper(locals.app.store.db, member.id, params.id);
		else await unsavePaper(locals.app.store.db, member.id, params.id);
		redirect(303, returnTo);
	}
};
