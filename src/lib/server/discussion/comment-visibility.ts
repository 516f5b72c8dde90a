/**
 * Hiding and showing a comment, shared by moderation (a moderator hides it) and the
 * discussion service: the paper's readable count (`papers.comment_count`) moves with
 * it in the same transaction, so the count never disagrees with what readers can see.
 */
import type { Db } from '../db/create-db';

/**
 * Hides (`hidden: true`) or shows a comment; whether it changed. A deleted comment is
 * not counted either way, so hiding or showing it leaves the count alone.
 */
export async function setCommentHidden(
	trx: Db,
	change: { commentId: string; hidden: boolean; now: string }
): Promise<boolean> {
	const row = await trx
		.updateTable('comments')
		.set({ hidden_at: change.hidden ? change.now : null })
		.where('id', '=', change.commentId)
		.where('hidden_at', change.hidden ? 'is' : 'is not', null)
		.returning(['paper_id', 'deleted_at'])
		.executeTakeFirst();
	if (!row) return false;
	if (row.deleted_at === null) {
		await trx
			.updateTable('papers')
			.set((eb) => ({ comment_count: eb('comment_count', '+', change.hidden ? -1 : 1) }))
			.where('id', '=', row.paper_id)
			.execute();
	}
	return true;
}
