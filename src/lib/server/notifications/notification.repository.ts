/**
 * SQL for on-site notifications: a reply to a member's comment, a comment on a paper
 * they submitted. Written in the comment's transaction (server/discussion), read and
 * marked read by their member.
 */
import type { Db } from '../db/create-db';

export type NotificationKind = 'reply' | 'comment-on-submission';

/** A notification with what its page shows: who wrote, on which paper. */
export interface NotificationRow {
	id: string;
	kind: NotificationKind;
	paperId: string;
	paperTitle: string;
	commentId: string;
	actor: { id: string; username: string; displayName: string };
	createdAt: string;
	readAt: string | null;
}

/** Adds notifications (one row each). */
export async function insertNotifications(
	db: Db,
	rows: {
		id: string;
		memberId: string;
		kind: NotificationKind;
		paperId: string;
		commentId: string;
		actorId: string;
		createdAt: string;
	}[]
): Promise<void> {
	if (rows.length === 0) return;
	await db
		.insertInto('notifications')
		.values(
			rows.map((row) => ({
				id: row.id,
				member_id: row.memberId,
				kind: row.kind,
				paper_id: row.paperId,
				comment_id: row.commentId,
				actor_id: row.actorId,
				created_at: row.createdAt,
				read_at: null
			}))
		)
		.execute();
}

/**
 * A member's notifications, newest first, leaving out those whose comment is now
 * deleted or hidden (nothing to read there).
 */
export async function listNotifications(
	db: Db,
	memberId: string,
	limit: number
): Promise<NotificationRow[]> {
	const rows = await db
		.selectFrom('notifications')
		.innerJoin('comments', 'comments.id', 'notifications.comment_id')
		.innerJoin('members', 'members.id', 'notifications.actor_id')
		.innerJoin('papers', 'papers.id', 'notifications.paper_id')
		.select([
			'notifications.id',
			'notifications.kind',
			'notifications.paper_id',
			'papers.title',
			'notifications.comment_id',
			'members.id as actor_id',
			'members.username',
			'members.display_name',
			'notifications.created_at',
			'notifications.read_at'
		])
		.where('notifications.member_id', '=', memberId)
		.where('comments.deleted_at', 'is', null)
		.where('comments.hidden_at', 'is', null)
		.where('papers.hidden_at', 'is', null)
		.orderBy('notifications.created_at', 'desc')
		.orderBy('notifications.id', 'desc')
		.limit(limit)
		.execute();
	return rows.map((row) => ({
		id: row.id,
		kind: row.kind === 'reply' ? 'reply' : 'comment-on-submission',
		paperId: row.paper_id,
		paperTitle: row.title,
		commentId: row.comment_id,
		actor: { id: row.actor_id, username: row.username, displayName: row.display_name },
		createdAt: row.created_at,
		readAt: row.read_at
	}));
}

/** How many unread notifications a member has whose comment can still be read. */
export async function countUnreadNotifications(db: Db, memberId: string): Promise<number> {
	const row = await db
		.selectFrom('notifications')
		.innerJoin('comments', 'comments.id', 'notifications.comment_id')
		.innerJoin('papers', 'papers.id', 'notifications.paper_id')
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.where('notifications.member_id', '=', memberId)
		.where('notifications.read_at', 'is', null)
		.where('comments.deleted_at', 'is', null)
		.where('comments.hidden_at', 'is', null)
		.where('papers.hidden_at', 'is', null)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** Marks the given notifications of a member read (ids of another member change nothing). */
export async function markNotificationsRead(
	db: Db,
	change: { memberId: string; ids?: string[]; readAt: string }
): Promise<number> {
	if (change.ids && change.ids.length === 0) return 0;
	let query = db
		.updateTable('notifications')
		.set({ read_at: change.readAt })
		.where('member_id', '=', change.memberId)
		.where('read_at', 'is', null);
	if (change.ids) query = query.where('id', 'in', change.ids);
	const result = await query.executeTakeFirst();
	return Number(result.numUpdatedRows);
}
