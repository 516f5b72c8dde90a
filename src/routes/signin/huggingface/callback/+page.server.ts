// Where Hugging Face returns the reader: check its answer, sign the member in, go back to `next`.
import { redirect } from '@sveltejs/kit';
import { requireHuggingFaceSignIn } from '$lib/server/auth/huggingface-oidc';
import { setSessionCookie } from '$lib/server/auth/identify';
import { startSession } from '$lib/server/auth/session.service';
import { pageLoad } from '$lib/server/http/error-response';
import { memberForOutsideIdentity } from '$lib/server/members/identity.service';
import type { PageServerLoadEvent } from './$types';

export const load = pageLoad(async ({ url, locals, cookies, request }: PageServerLoadEvent) => {
	const { app } = locals;
	const signIn = requireHuggingFaceSignIn(app.huggingFaceSignIn);
	const { identity, next } = await signIn.finish(cookies, url.searchParams);
	const { member, outcome } = await memberForOutsideIdentity(app.store.db, identity);
	const session = await startSession(app.store.db, member.id, {
		userAgent: request.headers.get('user-agent')
	});
	setSessionCookie(cookies, app.config.publicUrl, session);
	locals.log.info({ memberId: member.id, outcome }, 'signed in with Hugging Face');
	redirect(303, next);
});
