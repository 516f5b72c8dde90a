import { redirect } from '@sveltejs/kit';
import { links } from '$lib/links';
import { signOut } from '$lib/server/auth/identify';
import { BadRequestError } from '$lib/server/errors';
import { pageLoad } from '$lib/server/http/error-response';
import type { Actions, PageServerLoadEvent, RequestEvent } from './$types';

export const load = ({ locals }: PageServerLoadEvent) => ({ signedIn: locals.member !== null });

export const actions: Actions = {
	default: pageLoad(async (event: RequestEvent) => {
		const form = await event.request.formData();
		const scope = String(form.get('scope') ?? 'this');
		if (scope !== 'this' && scope !== 'all') {
			throw new BadRequestError(
				'scope must be "this" (this device) or "all" (every device you are signed in on).'
			);
		}
		const { app } = event.locals;
		await signOut(
			app.store.db,
			{ cookies: event.cookies, publicUrl: app.config.publicUrl, member: event.locals.member },
			scope
		);
		redirect(303, links.home());
	})
};
