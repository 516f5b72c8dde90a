import { redirect } from '@sveltejs/kit';
import { links } from '$lib/links';
import { setSessionCookie, signOut } from '$lib/server/auth/identify';
import { inspectSignInLink, signInWithLink } from '$lib/server/auth/login-link.service';
import { pageLoad } from '$lib/server/http/error-response';
import type { Actions, PageServerLoadEvent, RequestEvent } from './$types';

// A GET only looks: mail scanners fetch links before people do, so only the form's POST signs in.
export const load = pageLoad(async ({ url, locals }: PageServerLoadEvent) => {
	const token = url.searchParams.get('token') ?? '';
	const { email } = await inspectSignInLink(locals.app.store.db, token);
	return { token, email };
});

export const actions: Actions = {
	default: pageLoad(async (event: RequestEvent) => {
		const form = await event.request.formData();
		const token = String(form.get('token') ?? event.url.searchParams.get('token') ?? '');
		const { app } = event.locals;
		const signedIn = await signInWithLink(app.store.db, token, {
			userAgent: event.request.headers.get('user-agent')
		});
		// A browser signed in as someone else leaves that session behind rather than orphaning it.
		if (event.locals.member) {
			await signOut(
				app.store.db,
				{ cookies: event.cookies, publicUrl: app.config.publicUrl, member: event.locals.member },
				'this'
			);
		}
		setSessionCookie(event.cookies, app.config.publicUrl, signedIn.session);
		event.locals.log.info({ memberId: signedIn.member.id, created: signedIn.created }, 'signed in');
		redirect(
			303,
			signedIn.created ? links.welcome(signedIn.next) : (signedIn.next ?? links.home())
		);
	})
};
