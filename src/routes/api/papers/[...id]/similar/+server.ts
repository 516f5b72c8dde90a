import { json } from '@sveltejs/kit';
import { extractArxivId } from '$lib/core/arxiv-id';
import { toHfPaper } from '$lib/server/api/hf-shape';
import { apiError, parseQuery, similarQuery } from '$lib/server/api/schemas';
import { findPaper } from '$lib/server/papers/paper.repository';
import { similarPapers } from '$lib/server/search/search.service';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url, locals }) => {
	const query = parseQuery(similarQuery, url.searchParams);
	if (!query.ok) return query.response;
	const id = extractArxivId(params.id)?.id;
	const db = locals.app.store.db;
	if (!id || !(await findPaper(db, id)))
		return apiError(404, `No paper ${params.id.slice(0, 80)} here`);
	const similar = await similarPapers(db, locals.app.search.replica, id, query.value.limit);
	return json(similar.map((paper) => toHfPaper(paper)));
};
