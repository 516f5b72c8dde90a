import { avatarSvg } from '$lib/core/avatar';
import { memberExists } from '$lib/server/members/member.service';
import type { RequestEvent } from './$types';

/** A year: an avatar depends on the member id alone, so it never changes. */
const CACHE_FOREVER = 'public, max-age=31536000, immutable';
/** Nothing may load from the SVG; only its own inline presentation applies. */
const AVATAR_CSP = "default-src 'none'; style-src 'unsafe-inline'";

export const GET = async ({ params, locals }: RequestEvent) => {
	if (!(await memberExists(locals.app.store.db, params.id))) {
		return new Response('There is no member with this id, so there is no avatar.', {
			status: 404,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	}
	return new Response(avatarSvg(params.id), {
		headers: {
			'content-type': 'image/svg+xml; charset=utf-8',
			'cache-control': CACHE_FOREVER,
			'content-security-policy': AVATAR_CSP
		}
	});
};
