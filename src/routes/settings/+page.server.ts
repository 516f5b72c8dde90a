/**
 * A member's settings: profile (username, display name), personal API tokens and
 * signing out everywhere. Every form is a form action that works without JavaScript
 * and answers 303 back here with a status line, except creating a token: its secret is
 * shown once, in the answer to that POST, so it never travels in a URL or a cookie.
 */
import { fail, redirect } from '@sveltejs/kit';
import type { Member } from '$lib/core/member';
import { links } from '$lib/links';
import { createApiToken, listApiTokens, revokeToken } from '$lib/server/auth/api-token.service';
import { formAction } from '$lib/server/http/error-response';
import { changeProfileFromForm } from '$lib/server/members/member.service';
import type { Actions, PageServerLoadEvent, RequestEvent } from './$types';

/** The status lines a 303 back here may ask for (`?done=`). */
const DONE = {
	profile: 'Your profile is saved.',
	revoked: 'The token is revoked: requests made with it now get 401.'
} as const;

/** The signed-in member, or a 303 to sign-in that returns here. */
function signedIn(locals: App.Locals): Member {
	if (!locals.member) redirect(303, links.signIn(links.settings()));
	return locals.member;
}

/** A form field as text ('' when missing or a file), cut to `max` characters. */
function field(form: FormData, name: string, max = 2000): string {
	const value = form.get(name);
	return typeof value === 'string' ? value.slice(0, max) : '';
}

export const load = async ({ locals, url, setHeaders }: PageServerLoadEvent) => {
	const member = signedIn(locals);
	// Personal, and once a token's secret: kept by no cache, the browser's included.
	setHeaders({ 'cache-control': 'private, no-store' });
	const done = url.searchParams.get('done');
	return {
		member,
		welcome: url.searchParams.get('welcome') === '1',
		done: done !== null && Object.hasOwn(DONE, done) ? DONE[done as keyof typeof DONE] : null,
		tokens: await listApiTokens(locals.app.store.db, member.id)
	};
};

export const actions = {
	profile: formAction('profile', async ({ locals, request }: RequestEvent) => {
		const member = signedIn(locals);
		const form = await request.formData();
		const input = {
			username: field(form, 'username'),
			displayName: field(form, 'displayName')
		};
		const result = await changeProfileFromForm(locals.app.store.db, member.id, input);
		if (!result.ok) {
			return fail(result.status, { action: 'profile', values: input, problems: result.problems });
		}
		redirect(303, `${links.settings()}?done=profile`);
	}),

	createToken: formAction('createToken', async ({ locals, request }: RequestEvent) => {
		const member = signedIn(locals);
		const name = field(await request.formData(), 'name');
		await locals.app.rateLimits.consume('token-create', member.id);
		const created = await createApiToken(locals.app.store.db, member.id, name);
		return { action: 'createToken', created: { name: created.name, token: created.token } };
	}),

	revokeToken: formAction('revokeToken', async ({ locals, request }: RequestEvent) => {
		const member = signedIn(locals);
		const id = field(await request.formData(), 'id', 100);
		await revokeToken(locals.app.store.db, member.id, id);
		redirect(303, `${links.settings()}?done=revoked`);
	})
} satisfies Actions;
