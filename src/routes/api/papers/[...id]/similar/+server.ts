import { json } from '@sveltejs/kit';
import { toHfPaper } from '$lib/server/api/hf-shape';
import { parseQuery, similarQuery } from '$lib/server/api/schemas';
import { apiEndpoint } from '$lib/server/http/error-response';
import { getSimilarPapers } from '$lib/server/papers/paper-page.service';
import type { RequestEvent } from './$types';

export const GET = apiEndpoint(async ({ params, url, locals }: RequestEvent) => {
	const { limit } = parseQuery(similarQuery, url.searchParams);
	const similar = await getSimilarPapers(
		locals.app.store.db,
		locals.app.search.replica,
		params.id,
		limit
	);
	return json(similar.map((paper) => toHfPaper(paper)));
});
