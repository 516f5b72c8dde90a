import { error } from '@sveltejs/kit';
import { NotFoundError } from '$lib/server/errors';
import { getPaperDetails } from '$lib/server/papers/paper-page.service';
import { similarPapers } from '$lib/server/search/search.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	try {
		const details = await getPaperDetails(locals.app.store.db, params.id);
		const similar = await similarPapers(
			locals.app.store.db,
			locals.app.search.replica,
			details.paper.id,
			8
		);
		return { ...details, similar };
	} catch (caught) {
		if (caught instanceof NotFoundError) error(404, caught.message);
		throw caught;
	}
};
