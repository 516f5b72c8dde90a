import { unreadNotificationCount } from '$lib/server/notifications/notification.service';
import type { LayoutServerLoadEvent } from './$types';

// Pages are plain server-rendered HTML: no client JavaScript until a page needs it.
export const csr = false;

/**
 * Who is signed in, for the header: only what it shows, never the address or role, and
 * how many notifications they have not read.
 */
export const load = async ({ locals }: LayoutServerLoadEvent) => ({
	member: locals.member
		? {
				id: locals.member.id,
				username: locals.member.username,
				displayName: locals.member.displayName,
				unreadNotifications: await unreadNotificationCount(locals.app.store.db, locals.member.id)
			}
		: null
});
