import { json } from '@sveltejs/kit';
import { checkHealth } from '$lib/server/health';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
	const health = await checkHealth(locals.app, locals.log);
	// A replica that needs attention still serves every page (200); without its database the
	// node cannot, so it leaves the load balancer's rotation (503) until the store is back.
	return json(health, { status: health.database.ok ? 200 : 503 });
};
