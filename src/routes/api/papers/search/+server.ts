import { json } from '@sveltejs/kit';
import { toHfSearchEntry } from '$lib/server/api/hf-shape';
import { parseQuery, searchPapersQuery } from '$lib/server/api/schemas';
import { apiEndpoint } from '$lib/server/http/error-response';
import { searchPapers } from '$lib/server/search/search.service';
import type { RequestEvent } from './$types';

export const GET = apiEndpoint(async ({ url, locals }: RequestEvent) => {
	const query = parseQuery(searchPapersQuery, url.searchParams);
	const result = await searchPapers(locals.app.store.db, locals.app.search.replica, query);
	return json(result.hits.map(toHfSearchEntry), {
		headers: {
			'x-total-count': String(result.total),
			'x-total-is-lower-bound': String(result.totalIsLowerBound),
			'x-took-ms': String(result.tookMs),
			...(result.suggestion ? { 'x-suggestion': encodeURIComponent(result.suggestion) } : {})
		}
	});
});
