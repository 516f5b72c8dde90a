/**
 * The rules of a comment that need no store: how long its body may be, how long its
 * author may edit it, and how a flat list of a paper's comments becomes a thread.
 */

/** The longest comment body, in characters (UTF-16 code units, as a textarea counts). */
export const COMMENT_MAX_LENGTH = 20_000;

/** How long after posting its author may edit a comment. */
export const COMMENT_EDIT_WINDOW_MS = 15 * 60 * 1000;

/** Replies deeper than this sit behind "Show N replies" (a `<details>`, so no JavaScript). */
export const THREAD_OPEN_DEPTH = 4;

/** Replies to one comment shown before the rest sit behind "Show N more replies". */
export const THREAD_OPEN_REPLIES = 10;

export type CommentBodyCheck = { ok: true; body: string } | { ok: false; reason: string };

/**
 * A comment body as stored (line ends made `\n`, outer blank lines dropped), or why it
 * cannot be posted.
 *
 * @example
 * checkCommentBody('  Nice result.\r\n') // { ok: true, body: 'Nice result.' }
 * checkCommentBody('   ') // { ok: false, reason: 'A comment cannot be empty.' }
 */
export function checkCommentBody(input: unknown): CommentBodyCheck {
	if (typeof input !== 'string') return { ok: false, reason: 'A comment needs a body.' };
	const body = input.replace(/\r\n?/g, '\n').trim();
	if (body.length === 0) return { ok: false, reason: 'A comment cannot be empty.' };
	if (body.length > COMMENT_MAX_LENGTH) {
		return {
			ok: false,
			reason: `A comment may be at most ${COMMENT_MAX_LENGTH.toLocaleString('en')} characters; this one has ${body.length.toLocaleString('en')}.`
		};
	}
	return { ok: true, body };
}

/** Whether a comment posted at `createdAt` (ISO) may still be edited at `now`. */
export function isWithinEditWindow(createdAt: string, now: Date): boolean {
	return now.getTime() - Date.parse(createdAt) <= COMMENT_EDIT_WINDOW_MS;
}

/** What a reader sees of one comment. */
export interface ThreadComment {
	id: string;
	parentId: string | null;
	author: { id: string; username: string; displayName: string };
	createdAt: string;
	editedAt: string | null;
	deleted: boolean;
	hidden: boolean;
	/** The Markdown; null when deleted or hidden. */
	body: string | null;
	/** The rendered, sanitized HTML; null when deleted or hidden. */
	bodyHtml: string | null;
}

export interface ThreadNode {
	comment: ThreadComment;
	depth: number;
	replies: ThreadNode[];
}

/**
 * Nests a paper's comments (any order) into a thread: top-level comments and each
 * comment's replies oldest first (ties by id). A reply whose parent is missing
 * cannot happen in the store (foreign key); if it did, it would not be shown.
 */
export function buildThread(comments: readonly ThreadComment[]): ThreadNode[] {
	const sorted = [...comments].sort(
		(a, b) => a.createdAt.localeCompare(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
	);
	const children = new Map<string | null, ThreadComment[]>();
	for (const comment of sorted) {
		const list = children.get(comment.parentId) ?? [];
		list.push(comment);
		children.set(comment.parentId, list);
	}
	// Iterative, so a thread thousands deep cannot overflow the stack.
	const roots: ThreadNode[] = [];
	const stack: { parent: ThreadNode[]; id: string | null; depth: number }[] = [
		{ parent: roots, id: null, depth: 0 }
	];
	while (stack.length > 0) {
		const { parent, id, depth } = stack.pop()!;
		for (const comment of children.get(id) ?? []) {
			const node: ThreadNode = { comment, depth, replies: [] };
			parent.push(node);
			stack.push({ parent: node.replies, id: comment.id, depth: depth + 1 });
		}
	}
	return roots;
}

/** How many comments a list of nodes holds, replies included. */
export function countNodes(nodes: readonly ThreadNode[]): number {
	let total = 0;
	const stack = [...nodes];
	while (stack.length > 0) {
		const node = stack.pop()!;
		total += 1;
		stack.push(...node.replies);
	}
	return total;
}

/** The one comment form a paper page opens in the thread: a reply to, or an edit of, a comment. */
export interface OpenCommentForm {
	kind: 'reply' | 'edit';
	commentId: string;
}

/**
 * Which form the page address opens (`?reply=<id>` or `?edit=<id>`): the thread's Reply and
 * Edit are links, so a 500-comment page carries one form, not 500, and works without JavaScript.
 */
export function openCommentForm(params: URLSearchParams): OpenCommentForm | null {
	for (const kind of ['reply', 'edit'] as const) {
		const commentId = params.get(kind);
		if (commentId && commentId.length <= 64) return { kind, commentId };
	}
	return null;
}
