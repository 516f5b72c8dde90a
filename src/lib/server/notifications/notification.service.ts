/**
 * On-site notifications: who is told of a new comment (the parent comment's author, the
 * paper's submitters; never the writer), and a member's list and unread count. No
 * e-mail yet (the digest adds it).
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/create-db';
import {
	countUnreadNotifications,
	insertNotifications,
	listNotifications,
	markNotificationsRead,
	type NotificationKind,
	type NotificationRow
} from './notification.repository';

export type { NotificationKind, NotificationRow };

/** The most notifications the page lists. */
export const NOTIFICATIONS_PAGE_SIZE = 100;

/**
 * Tells the parent comment's author (a reply) and the paper's submitters (a comment on
 * their submission) of a new comment, inside the comment's transaction. A member is told
 * once, by the more specific reason (a reply), and never of their own comment.
 */
export async function notifyOfComment(
	trx: Db,
	comment: {
		id: string;
		paperId: string;
		authorId: string;
		parentAuthorId: string | null;
		submitterIds: readonly string[];
		createdAt: string;
	}
): Promise<void> {
	const told = new Map<string, NotificationKind>();
	if (comment.parentAuthorId) told.set(comment.parentAuthorId, 'reply');
	for (const submitter of comment.submitterIds) {
		if (!told.has(submitter)) told.set(submitter, 'comment-on-submission');
	}
	told.delete(comment.authorId);
	await insertNotifications(
		trx,
		[...told].map(([memberId, kind]) => ({
			id: randomBytes(12).toString('base64url'),
			memberId,
			kind,
			paperId: comment.paperId,
			commentId: comment.id,
			actorId: comment.authorId,
			createdAt: comment.createdAt
		}))
	);
}

/** A member's notifications, newest first (at most NOTIFICATIONS_PAGE_SIZE). */
export function memberNotifications(db: Db, memberId: string): Promise<NotificationRow[]> {
	return listNotifications(db, memberId, NOTIFICATIONS_PAGE_SIZE);
}

/** How many unread notifications the header shows next to the member's name. */
export function unreadNotificationCount(db: Db, memberId: string): Promise<number> {
	return countUnreadNotifications(db, memberId);
}

/** Marks some (`ids`) or all of a member's notifications read; how many changed. */
export function markRead(
	db: Db,
	memberId: string,
	ids?: string[],
	now: Date = new Date()
): Promise<number> {
	return markNotificationsRead(db, { memberId, ids, readAt: now.toISOString() });
}
