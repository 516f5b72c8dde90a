// "Sign in with Hugging Face": remembers the flow in a cookie and sends the reader to Hugging Face.
import { redirect } from '@sveltejs/kit';
import { requireHuggingFaceSignIn } from '$lib/server/auth/huggingface-oidc';
import { pageLoad } from '$lib/server/http/error-response';
import type { PageServerLoadEvent } from './$types';

export const load = pageLoad(async ({ url, locals, cookies }: PageServerLoadEvent) => {
	const signIn = requireHuggingFaceSignIn(locals.app.huggingFaceSignIn);
	const authorizationUrl = await signIn.begin(cookies, url.searchParams.get('next'));
	redirect(303, authorizationUrl);
});
