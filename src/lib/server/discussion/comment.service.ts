/**
 * Comments on papers: post (a comment or a reply at any depth), edit within 15 minutes,
 * soft delete, and the thread as readers see it. Every write is one transaction that also
 * keeps `papers.comment_count` equal to the readable comments (neither deleted nor hidden)
 * and writes the notifications it causes. Each refusal throws a typed error with a
 * sentence and changes nothing. Routes call it after `requireWriter` (signed in, not
 * suspended) and the `comment` rate limit.
 */
import { randomBytes } from 'node:crypto';
import {
	buildThread,
	checkCommentBody,
	COMMENT_EDIT_WINDOW_MS,
	isWithinEditWindow,
	pageOfThread,
	type OpenCommentForm,
	type ThreadComment,
	type ThreadView,
	type ThreadNode
} from '$lib/core/comment';
import type { Db } from '../db/create-db';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { notifyOfComment } from '../notifications/notification.service';
import {
	adjustCommentCount,
	findCommentForWrite,
	findPaperForComment,
	insertComment,
	listPaperComments,
	listCommentSkeletons,
	listCommentsById,
	listPaperSubmitterIds,
	markCommentDeleted,
	updateCommentBody,
	type CommentForWrite,
	type CommentWithAuthor,
	type PaperForComment
} from './comment.repository';
import { renderCommentMarkdown } from './markdown';

export type { ThreadComment, ThreadNode };

/** What a write returns: the comment's id and its paper (for the 303 back to it). */
export interface CommentRef {
	id: string;
	paperId: string;
}

/** A new comment id: random and opaque (no order or count can be read from it). */
function newCommentId(): string {
	return randomBytes(12).toString('base64url');
}

function bodyOrThrow(input: unknown): string {
	const check = checkCommentBody(input);
	if (!check.ok) throw new BadRequestError(check.reason);
	return check.body;
}

/** The paper, if it takes comments now: it exists, is not hidden, its thread is not locked. */
async function paperOpenForComments(db: Db, paperId: string): Promise<PaperForComment> {
	const paper = await findPaperForComment(db, paperId);
	if (!paper) throw new NotFoundError(`There is no paper ${paperId}.`);
	if (paper.hiddenAt) {
		throw new NotFoundError(`Paper ${paperId} was hidden by a moderator; it takes no comments.`);
	}
	if (paper.threadLockedAt) {
		throw new ForbiddenError('This thread is locked by a moderator: it takes no new comments.');
	}
	return paper;
}

async function ownCommentOrThrow(
	db: Db,
	commentId: string,
	memberId: string,
	verb: 'edit' | 'delete'
): Promise<CommentForWrite> {
	const comment = await findCommentForWrite(db, commentId);
	if (!comment) throw new NotFoundError(`There is no comment ${commentId}.`);
	if (comment.memberId !== memberId) {
		throw new ForbiddenError(`You can only ${verb} your own comments.`);
	}
	if (comment.deletedAt) throw new ConflictError('This comment is already deleted.');
	return comment;
}

/**
 * Posts a comment on a paper, or a reply to `parentId` (a readable comment on the same
 * paper, at any depth), notifying the parent's author and the paper's submitters.
 *
 * @example
 * const { id } = await postComment(db, { paperId: '2406.00001', memberId: 'm1', body: 'Nice $x^2$.' });
 * await postComment(db, { paperId: '2406.00001', memberId: 'm2', body: 'Agreed.', parentId: id });
 */
export async function postComment(
	db: Db,
	input: { paperId: string; memberId: string; body: unknown; parentId?: string | null },
	now: Date = new Date()
): Promise<CommentRef> {
	const body = bodyOrThrow(input.body);
	// Rendered before the transaction: Markdown and math may take a while, and hold no lock.
	const bodyHtml = renderCommentMarkdown(body);
	const createdAt = now.toISOString();
	return db.transaction().execute(async (trx) => {
		await paperOpenForComments(trx, input.paperId);
		let parentAuthorId: string | null = null;
		if (input.parentId) {
			const parent = await findCommentForWrite(trx, input.parentId);
			if (!parent) throw new NotFoundError(`There is no comment ${input.parentId} to reply to.`);
			if (parent.paperId !== input.paperId) {
				throw new BadRequestError(
					`Comment ${input.parentId} is on another paper; reply on that paper's page.`
				);
			}
			if (parent.deletedAt) throw new ConflictError('You cannot reply to a deleted comment.');
			if (parent.hiddenAt) {
				throw new ConflictError('You cannot reply to a comment hidden by a moderator.');
			}
			parentAuthorId = parent.memberId;
		}
		const id = newCommentId();
		await insertComment(trx, {
			id,
			paperId: input.paperId,
			parentId: input.parentId || null,
			memberId: input.memberId,
			body,
			bodyHtml,
			createdAt
		});
		await adjustCommentCount(trx, { paperId: input.paperId, delta: 1 });
		await notifyOfComment(trx, {
			id,
			paperId: input.paperId,
			authorId: input.memberId,
			parentAuthorId,
			submitterIds: await listPaperSubmitterIds(trx, input.paperId),
			createdAt
		});
		return { id, paperId: input.paperId };
	});
}

/**
 * Replaces the body of the member's own comment within 15 minutes of posting; the
 * comment is then marked edited. Not after the window, not once deleted or hidden, not
 * in a locked thread.
 */
export async function editComment(
	db: Db,
	input: { commentId: string; memberId: string; body: unknown },
	now: Date = new Date()
): Promise<CommentRef> {
	const body = bodyOrThrow(input.body);
	const bodyHtml = renderCommentMarkdown(body);
	return db.transaction().execute(async (trx) => {
		const comment = await ownCommentOrThrow(trx, input.commentId, input.memberId, 'edit');
		if (comment.hiddenAt) {
			throw new ConflictError('This comment was hidden by a moderator; it cannot be edited.');
		}
		if (!isWithinEditWindow(comment.createdAt, now)) {
			throw new ForbiddenError(
				`A comment can be edited for ${COMMENT_EDIT_WINDOW_MS / 60_000} minutes after posting; this one was posted at ${comment.createdAt.slice(0, 16).replace('T', ' ')} UTC.`
			);
		}
		await paperOpenForComments(trx, comment.paperId);
		const changed = await updateCommentBody(trx, {
			id: comment.id,
			body,
			bodyHtml,
			editedAt: now.toISOString(),
			postedSince: new Date(now.getTime() - COMMENT_EDIT_WINDOW_MS).toISOString()
		});
		// Deleted, hidden or out of time between the read and the write (another request).
		if (!changed) throw new ConflictError('This comment changed meanwhile; reload and try again.');
		return { id: comment.id, paperId: comment.paperId };
	});
}

/**
 * Deletes the member's own comment softly: its replies stay, and the thread shows
 * "comment deleted" in its place. Allowed at any time, even in a locked thread.
 */
export async function deleteComment(
	db: Db,
	input: { commentId: string; memberId: string },
	now: Date = new Date()
): Promise<CommentRef> {
	return db.transaction().execute(async (trx) => {
		const comment = await ownCommentOrThrow(trx, input.commentId, input.memberId, 'delete');
		const deleted = await markCommentDeleted(trx, {
			id: comment.id,
			deletedAt: now.toISOString()
		});
		if (!deleted) throw new ConflictError('This comment is already deleted.');
		if (deleted.wasReadable) await adjustCommentCount(trx, { paperId: comment.paperId, delta: -1 });
		return { id: comment.id, paperId: comment.paperId };
	});
}

/**
 * A paper's comments as readers see them, oldest first: deleted and hidden comments keep
 * their place (so replies keep theirs) but carry no body. NotFoundError for an unknown
 * or hidden paper.
 */
export async function paperComments(db: Db, paperId: string): Promise<ThreadComment[]> {
	const paper = await findPaperForComment(db, paperId);
	if (!paper || paper.hiddenAt) throw new NotFoundError(`There is no paper ${paperId}.`);
	return toThreadComments(await listPaperComments(db, paperId));
}

function toThreadComments(rows: CommentWithAuthor[]): ThreadComment[] {
	return rows.map((row) => {
		const readable = row.deletedAt === null && row.hiddenAt === null;
		return {
			id: row.id,
			parentId: row.parentId,
			author: row.author,
			createdAt: row.createdAt,
			editedAt: row.editedAt,
			deleted: row.deletedAt !== null,
			hidden: row.deletedAt === null && row.hiddenAt !== null,
			body: readable ? row.body : null,
			bodyHtml: readable ? row.bodyHtml : null
		};
	});
}

/** What the paper page's discussion needs: one page of the thread and whether it takes comments. */
export interface PaperDiscussion {
	/** The page's top-level threads, nested. */
	thread: ThreadNode[];
	page: number;
	pages: number;
	/** Readable comments in the whole discussion. */
	readable: number;
	locked: boolean;
	/** The server's clock when the page was made: the edit window is judged against it. */
	now: string;
	open: OpenCommentForm | null;
}

/**
 * The paper page's discussion: one query for the thread, one for the paper's state; the
 * page of top-level threads the address asks for (or the one holding `view.focus`). Only
 * the comment being edited keeps its Markdown: pages carry the rendered HTML alone.
 */
export async function paperDiscussion(
	db: Db,
	paperId: string,
	view: ThreadView = { page: 0, focus: null, open: null },
	now: Date = new Date()
): Promise<PaperDiscussion> {
	const paper = await findPaperForComment(db, paperId);
	if (!paper) throw new NotFoundError(`There is no paper ${paperId}.`);
	// Whoever may still see a hidden paper (moderators) sees no discussion to join.
	if (paper.hiddenAt) {
		return {
			thread: [],
			page: 0,
			pages: 1,
			readable: 0,
			locked: true,
			now: now.toISOString(),
			open: null
		};
	}
	const editing = view.open?.kind === 'edit' ? view.open.commentId : null;
	// Nest and page the skeletons of all comments, then read text and authors for the page only.
	const skeletons = await listCommentSkeletons(db, paperId);
	const { nodes, page, pages } = pageOfThread(
		buildThread(
			skeletons.map((c) => ({
				...c,
				author: { id: '', username: '', displayName: '' },
				editedAt: null,
				body: null,
				bodyHtml: null
			}))
		),
		{ page: view.page, commentId: view.focus }
	);
	const onPage = collectIds(nodes);
	const details = new Map(
		toThreadComments(await listCommentsById(db, onPage, editing)).map((c) => [
			c.id,
			c.id === editing ? c : { ...c, body: null }
		])
	);
	const fill = (list: ThreadNode[]): ThreadNode[] =>
		list.map((node) => ({
			depth: node.depth,
			comment: details.get(node.comment.id) ?? node.comment,
			replies: fill(node.replies)
		}));
	const readable = skeletons.filter((c) => !c.deleted && !c.hidden).length;
	return {
		thread: fill(nodes),
		page,
		pages,
		readable,
		locked: paper.threadLockedAt !== null,
		now: now.toISOString(),
		open: view.open
	};
}

function collectIds(nodes: readonly ThreadNode[]): string[] {
	const ids: string[] = [];
	const stack = [...nodes];
	while (stack.length > 0) {
		const node = stack.pop()!;
		ids.push(node.comment.id);
		stack.push(...node.replies);
	}
	return ids;
}

/** One comment as readers see it (deleted or hidden: no body); NotFoundError when unknown. */
export async function findComment(db: Db, commentId: string): Promise<ThreadComment> {
	const comment = await findCommentForWrite(db, commentId);
	if (!comment) throw new NotFoundError(`There is no comment ${commentId}.`);
	const found = (await paperComments(db, comment.paperId)).find((c) => c.id === commentId);
	if (!found) throw new NotFoundError(`There is no comment ${commentId}.`);
	return found;
}
