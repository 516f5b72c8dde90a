import { json } from '@sveltejs/kit';
import { checkHealth } from '$lib/server/health';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
	const health = await checkHealth(locals.app, locals.log);
	// Degraded still serves every page: only a failing store takes the node out of rotation.
	return json(health, { status: health.status === 'failing' ? 503 : 200 });
};
