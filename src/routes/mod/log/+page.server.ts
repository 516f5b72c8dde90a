/** The audit log (`/mod/log`): every moderator action, newest first, for admins only. */
import { redirect } from '@sveltejs/kit';
import { links } from '$lib/links';
import { requireRole } from '$lib/server/auth/guards';
import { pageLoad } from '$lib/server/http/error-response';
import { loadAuditLog } from '$lib/server/moderation/moderation.service';
import type { PageServerLoadEvent } from './$types';

const PAGE_SIZE = 50;

export const load = pageLoad(async ({ locals, url, setHeaders }: PageServerLoadEvent) => {
	if (!locals.member) redirect(303, links.signIn(links.auditLog()));
	requireRole(locals, 'admin');
	setHeaders({ 'cache-control': 'private, no-store' });
	const page = Math.max(
		0,
		Math.min(10_000, Number.parseInt(url.searchParams.get('p') ?? '0') || 0)
	);
	const log = await loadAuditLog(locals.app.store.db, page, PAGE_SIZE);
	return { ...log, page, pageSize: PAGE_SIZE };
});
