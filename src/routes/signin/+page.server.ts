import { fail, redirect } from '@sveltejs/kit';
import { normalizeEmail } from '$lib/core/member';
import { safeNextPath } from '$lib/core/next-path';
import { links } from '$lib/links';
import { requestSignInLink, SIGN_IN_LINK_MINUTES } from '$lib/server/auth/login-link.service';
import { pageLoad } from '$lib/server/http/error-response';
import type { Actions, PageServerLoadEvent, RequestEvent } from './$types';

/** The short-lived cookie that lets "Check your inbox" name the address (path /signin only). */
const SENT_TO_COOKIE = 'dp_signin_sent_to';

export const load = ({ locals, url }: PageServerLoadEvent) => {
	const next = safeNextPath(url.searchParams.get('next'));
	if (locals.member) redirect(303, next ?? links.home());
	return {
		next: next ?? null,
		huggingFace: locals.app.config.auth.huggingFace ? links.signInWithHuggingFace(next) : null
	};
};

export const actions: Actions = {
	default: pageLoad(async (event: RequestEvent) => {
		const form = await event.request.formData();
		const email = String(form.get('email') ?? '').slice(0, 320);
		const next = safeNextPath(String(form.get('next') ?? ''));
		if (!normalizeEmail(email)) {
			return fail(400, {
				email,
				error: 'Enter a valid e-mail address, such as ada@example.org.'
			});
		}
		const { app } = event.locals;
		const sent = await requestSignInLink(
			{
				db: app.store.db,
				mailer: app.mailer,
				rateLimits: app.rateLimits,
				publicUrl: app.config.publicUrl,
				log: event.locals.log
			},
			{ email, next, clientAddress: event.getClientAddress() }
		);
		event.cookies.set(SENT_TO_COOKIE, sent.email, {
			path: '/signin',
			httpOnly: true,
			sameSite: 'lax',
			secure: app.config.publicUrl.startsWith('https:'),
			maxAge: SIGN_IN_LINK_MINUTES * 60
		});
		redirect(303, links.signInSent());
	})
};
