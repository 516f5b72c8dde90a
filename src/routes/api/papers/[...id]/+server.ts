import { json } from '@sveltejs/kit';
import { toHfPaper } from '$lib/server/api/hf-shape';
import { apiEndpoint } from '$lib/server/http/error-response';
import { getPaperDetails } from '$lib/server/papers/paper-page.service';
import type { RequestEvent } from './$types';

export const GET = apiEndpoint(async ({ params, locals }: RequestEvent) => {
	const { paper, picks } = await getPaperDetails(locals.app.store.db, params.id);
	return json(toHfPaper(paper, picks[0], locals.app.config.publicUrl));
});
