/**
 * Following without JavaScript: follow buttons are forms that POST `kind`
 * (author | category | member), `target`, `action` (follow | unfollow) and `back`
 * here; the answer is a 303 back to that page. Bad input is a page error with a
 * sentence and changes nothing.
 */
import { error, redirect } from '@sveltejs/kit';
import { isFollowKind } from '$lib/core/follow';
import { safeNextPath } from '$lib/core/next-path';
import { links } from '$lib/links';
import { requireWriter } from '$lib/server/auth/guards';
import { follow, unfollow } from '$lib/server/library/follow.service';
import type { Actions, PageServerLoad } from './$types';

// Nothing to show here: a GET goes to /me, which lists what the member follows.
export const load: PageServerLoad = () => redirect(303, links.me());

const text = (form: FormData | null, name: string) => {
	const value = form?.get(name);
	return typeof value === 'string' ? value : '';
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const form = await request.formData().catch(() => null);
		const returnTo = safeNextPath(text(form, 'back')) ?? links.me();
		if (!locals.member) redirect(303, links.signIn(returnTo.split('#')[0]));
		const kind = text(form, 'kind');
		const action = text(form, 'action');
		if (!isFollowKind(kind)) error(400, 'Say what to follow: kind=author, category or member.');
		if (action !== 'follow' && action !== 'unfollow') {
			error(400, 'Following takes action=follow or action=unfollow.');
		}
		const member = requireWriter(locals);
		await locals.app.rateLimits.consume('follow', member.id);
		const change = { memberId: member.id, kind, target: text(form, 'target').trim() };
		// Typed errors (400 invalid category or yourself, 404 unknown author or member, 429)
		// reach the error page with their status.
		if (action === 'follow') await follow(locals.app.store.db, change);
		else await unfollow(locals.app.store.db, change);
		redirect(303, returnTo);
	}
};
