import { json } from '@sveltejs/kit';
import { apiError } from '$lib/server/api/schemas';
import { toHfPaper } from '$lib/server/api/hf-shape';
import { NotFoundError } from '$lib/server/errors';
import { getPaperDetails } from '$lib/server/papers/paper-page.service';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, locals }) => {
	try {
		const { paper, picks } = await getPaperDetails(locals.app.store.db, params.id);
		return json(toHfPaper(paper, picks[0]));
	} catch (error) {
		if (error instanceof NotFoundError) return apiError(404, error.message);
		throw error;
	}
};
