import { error } from '@sveltejs/kit';
import { NotFoundError } from '$lib/server/errors';
import { getPaperDetails } from '$lib/server/papers/paper-page.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	try {
		return await getPaperDetails(locals.app.store.db, params.id);
	} catch (caught) {
		if (caught instanceof NotFoundError) error(404, caught.message);
		throw caught;
	}
};
