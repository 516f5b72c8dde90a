import { json } from '@sveltejs/kit';
import { toHfSearchEntry } from '$lib/server/api/hf-shape';
import { apiError, parseQuery, searchPapersQuery } from '$lib/server/api/schemas';
import { SearchRequestError, searchPapers } from '$lib/server/search/search.service';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url, locals }) => {
	const query = parseQuery(searchPapersQuery, url.searchParams);
	if (!query.ok) return query.response;
	try {
		const result = await searchPapers(locals.app.store.db, locals.app.search.replica, query.value);
		return json(result.hits.map(toHfSearchEntry), {
			headers: {
				'x-total-count': String(result.total),
				'x-total-is-lower-bound': String(result.totalIsLowerBound),
				'x-took-ms': String(result.tookMs),
				...(result.suggestion ? { 'x-suggestion': encodeURIComponent(result.suggestion) } : {})
			}
		});
	} catch (error) {
		if (error instanceof SearchRequestError) return apiError(400, error.message);
		throw error;
	}
};
