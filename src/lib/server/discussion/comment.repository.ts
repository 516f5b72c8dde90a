/**
 * SQL for comments and the readable count kept next to their paper
 * (`papers.comment_count`). The count is changed only by the discussion module, in
 * the same transaction as the comment row, so the two never disagree.
 */
import type { Db } from '../db/create-db';

/** What the rules need to know about a comment before changing it. */
export interface CommentForWrite {
	id: string;
	paperId: string;
	parentId: string | null;
	memberId: string;
	createdAt: string;
	deletedAt: string | null;
	hiddenAt: string | null;
}

/** What the rules need to know about a paper before a comment on it. */
export interface PaperForComment {
	id: string;
	hiddenAt: string | null;
	threadLockedAt: string | null;
}

/** A comment row with its author, as a thread shows it. */
export interface CommentWithAuthor {
	id: string;
	paperId: string;
	parentId: string | null;
	body: string;
	bodyHtml: string;
	createdAt: string;
	editedAt: string | null;
	deletedAt: string | null;
	hiddenAt: string | null;
	author: { id: string; username: string; displayName: string };
}

/** A paper's hidden and locked state, or undefined when there is no such paper. */
export async function findPaperForComment(
	db: Db,
	paperId: string
): Promise<PaperForComment | undefined> {
	const row = await db
		.selectFrom('papers')
		.select(['id', 'hidden_at', 'thread_locked_at'])
		.where('id', '=', paperId)
		.executeTakeFirst();
	return row && { id: row.id, hiddenAt: row.hidden_at, threadLockedAt: row.thread_locked_at };
}

/** One comment's ownership and state, or undefined when there is no such comment. */
export async function findCommentForWrite(
	db: Db,
	commentId: string
): Promise<CommentForWrite | undefined> {
	const row = await db
		.selectFrom('comments')
		.select(['id', 'paper_id', 'parent_id', 'member_id', 'created_at', 'deleted_at', 'hidden_at'])
		.where('id', '=', commentId)
		.executeTakeFirst();
	return (
		row && {
			id: row.id,
			paperId: row.paper_id,
			parentId: row.parent_id,
			memberId: row.member_id,
			createdAt: row.created_at,
			deletedAt: row.deleted_at,
			hiddenAt: row.hidden_at
		}
	);
}

/** Adds a comment row. */
export async function insertComment(
	db: Db,
	comment: {
		id: string;
		paperId: string;
		parentId: string | null;
		memberId: string;
		body: string;
		bodyHtml: string;
		createdAt: string;
	}
): Promise<void> {
	await db
		.insertInto('comments')
		.values({
			id: comment.id,
			paper_id: comment.paperId,
			parent_id: comment.parentId,
			member_id: comment.memberId,
			body: comment.body,
			body_html: comment.bodyHtml,
			created_at: comment.createdAt,
			edited_at: null,
			deleted_at: null,
			hidden_at: null
		})
		.execute();
}

/**
 * Replaces a comment's body while it is neither deleted nor hidden and was posted at
 * or after `postedSince` (the edit window); whether it changed.
 */
export async function updateCommentBody(
	db: Db,
	change: { id: string; body: string; bodyHtml: string; editedAt: string; postedSince: string }
): Promise<boolean> {
	const rows = await db
		.updateTable('comments')
		.set({ body: change.body, body_html: change.bodyHtml, edited_at: change.editedAt })
		.where('id', '=', change.id)
		.where('deleted_at', 'is', null)
		.where('hidden_at', 'is', null)
		.where('created_at', '>=', change.postedSince)
		.returning('id')
		.execute();
	return rows.length > 0;
}

/**
 * Marks a comment deleted (its body is kept for moderators' records but never shown);
 * whether it was readable before (not hidden), so the caller moves the count. Undefined
 * when it was already deleted.
 */
export async function markCommentDeleted(
	db: Db,
	change: { id: string; deletedAt: string }
): Promise<{ wasReadable: boolean } | undefined> {
	const row = await db
		.updateTable('comments')
		.set({ deleted_at: change.deletedAt })
		.where('id', '=', change.id)
		.where('deleted_at', 'is', null)
		.returning(['hidden_at'])
		.executeTakeFirst();
	return row && { wasReadable: row.hidden_at === null };
}

/** Adds `delta` to a paper's readable comment count. */
export async function adjustCommentCount(
	db: Db,
	change: { paperId: string; delta: number }
): Promise<void> {
	await db
		.updateTable('papers')
		.set((eb) => ({ comment_count: eb('comment_count', '+', change.delta) }))
		.where('id', '=', change.paperId)
		.execute();
}

/** A paper's readable comment count (what cards show). */
export async function findCommentCount(db: Db, paperId: string): Promise<number | undefined> {
	const row = await db
		.selectFrom('papers')
		.select('comment_count')
		.where('id', '=', paperId)
		.executeTakeFirst();
	return row ? Number(row.comment_count) : undefined;
}

/** How many of a paper's comment rows are readable (what `comment_count` must equal). */
export async function countReadableCommentRows(db: Db, paperId: string): Promise<number> {
	const row = await db
		.selectFrom('comments')
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.where('paper_id', '=', paperId)
		.where('deleted_at', 'is', null)
		.where('hidden_at', 'is', null)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** Every comment of a paper with its author, in posting order: one query for a whole thread. */
export async function listPaperComments(db: Db, paperId: string): Promise<CommentWithAuthor[]> {
	const rows = await db
		.selectFrom('comments')
		.innerJoin('members', 'members.id', 'comments.member_id')
		.select([
			'comments.id',
			'comments.paper_id',
			'comments.parent_id',
			'comments.body',
			'comments.body_html',
			'comments.created_at',
			'comments.edited_at',
			'comments.deleted_at',
			'comments.hidden_at',
			'members.id as member_id',
			'members.username',
			'members.display_name'
		])
		.where('comments.paper_id', '=', paperId)
		.orderBy('comments.created_at')
		.orderBy('comments.id')
		.execute();
	return rows.map((row) => ({
		id: row.id,
		paperId: row.paper_id,
		parentId: row.parent_id,
		body: row.body,
		bodyHtml: row.body_html,
		createdAt: row.created_at,
		editedAt: row.edited_at,
		deletedAt: row.deleted_at,
		hiddenAt: row.hidden_at,
		author: { id: row.member_id, username: row.username, displayName: row.display_name }
	}));
}

/** The members who submitted a paper on any day (`daily_picks.submitter_id`). */
export async function listPaperSubmitterIds(db: Db, paperId: string): Promise<string[]> {
	const rows = await db
		.selectFrom('daily_picks')
		.select('submitter_id')
		.distinct()
		.where('paper_id', '=', paperId)
		.where('submitter_id', 'is not', null)
		.execute();
	return rows.flatMap((row) => (row.submitter_id ? [row.submitter_id] : []));
}

/** The shape of a comment in its thread, without text or author: enough to nest and page it. */
export interface CommentSkeleton {
	id: string;
	parentId: string | null;
	createdAt: string;
	deleted: boolean;
	hidden: boolean;
}

/** Every comment of a paper as a skeleton: a page nests and pages these, then reads its own. */
export async function listCommentSkeletons(db: Db, paperId: string): Promise<CommentSkeleton[]> {
	const rows = await db
		.selectFrom('comments')
		.select(['id', 'parent_id', 'created_at', 'deleted_at', 'hidden_at'])
		.where('paper_id', '=', paperId)
		.execute();
	return rows.map((row) => ({
		id: row.id,
		parentId: row.parent_id,
		createdAt: row.created_at,
		deleted: row.deleted_at !== null,
		hidden: row.hidden_at !== null
	}));
}

/**
 * Comments by id with their authors and rendered HTML; the Markdown only of `markdownOf`
 * (`''` for the others).
 */
export async function listCommentsById(
	db: Db,
	ids: readonly string[],
	markdownOf: string | null
): Promise<CommentWithAuthor[]> {
	const found: CommentWithAuthor[] = [];
	for (let i = 0; i < ids.length; i += 500) {
		const part = ids.slice(i, i + 500);
		const rows = await db
			.selectFrom('comments')
			.innerJoin('members', 'members.id', 'comments.member_id')
			.select((eb) => [
				'comments.id',
				'comments.paper_id',
				'comments.parent_id',
				eb
					.case()
					.when('comments.id', '=', markdownOf ?? '')
					.then(eb.ref('comments.body'))
					.else('')
					.end()
					.as('body'),
				'comments.body_html',
				'comments.created_at',
				'comments.edited_at',
				'comments.deleted_at',
				'comments.hidden_at',
				'members.id as member_id',
				'members.username',
				'members.display_name'
			])
			.where('comments.id', 'in', part)
			.execute();
		for (const row of rows) {
			found.push({
				id: row.id,
				paperId: row.paper_id,
				parentId: row.parent_id,
				body: row.body,
				bodyHtml: row.body_html,
				createdAt: row.created_at,
				editedAt: row.edited_at,
				deletedAt: row.deleted_at,
				hiddenAt: row.hidden_at,
				author: { id: row.member_id, username: row.username, displayName: row.display_name }
			});
		}
	}
	return found;
}
