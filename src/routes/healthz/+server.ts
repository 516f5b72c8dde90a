import { json } from '@sveltejs/kit';
import { checkHealth } from '$lib/server/health';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
	const health = await checkHealth(locals.app, locals.log);
	return json(health, { status: health.status === 'ok' ? 200 : 503 });
};
