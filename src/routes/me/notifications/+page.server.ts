/**
 * The signed-in member's notifications, newest first. Viewing them marks them read (the
 * page still shows which were new on this visit); "Mark all read" is a form for those
 * that arrive while the page is open.
 */
import { redirect } from '@sveltejs/kit';
import { links } from '$lib/links';
import { requireMember } from '$lib/server/auth/guards';
import { markRead, memberNotifications } from '$lib/server/notifications/notification.service';
import type { Actions, PageServerLoadEvent } from './$types';

export const load = async ({ locals, parent }: PageServerLoadEvent) => {
	// The header counts what was unread when the page opened; mark read only after it has.
	await parent();
	if (!locals.member) redirect(303, links.signIn(links.notifications()));
	const db = locals.app.store.db;
	const notifications = await memberNotifications(db, locals.member.id);
	const unread = notifications.filter((n) => n.readAt === null).map((n) => n.id);
	await markRead(db, locals.member.id, unread);
	return { notifications };
};

export const actions: Actions = {
	readAll: async ({ locals }) => {
		const member = requireMember(locals);
		await markRead(locals.app.store.db, member.id);
		redirect(303, links.notifications());
	}
};
