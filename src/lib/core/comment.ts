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

/** What part of a discussion a paper page's address asks for. */
export interface ThreadView {
	/** The page of top-level threads (`?comments=N`, from 0). */
	page: number;
	/** A comment whose page to open (`?comment=`, or the one replied to or edited). */
	focus: string | null;
	open: OpenCommentForm | null;
}

/** Reads `?comments=`, `?comment=`, `?reply=` and `?edit=`; anything malformed is ignored. */
export function threadViewOf(params: URLSearchParams): ThreadView {
	const open = openCommentForm(params);
	const comment = params.get('comment');
	const page = Number(params.get('comments') ?? '0');
	return {
		page: Number.isSafeInteger(page) && page > 0 ? page : 0,
		focus: open?.commentId ?? (comment && comment.length <= 64 ? comment : null),
		open
	};
}

/** About how many comments one page of a thread shows (whole top-level threads, so it may be more). */
export const THREAD_PAGE_COMMENTS = 50;

/** One page of a thread: whole top-level threads, oldest first. */
export interface ThreadPage {
	nodes: ThreadNode[];
	/** From 0. */
	page: number;
	pages: number;
}

/**
 * Splits a thread into pages of whole top-level threads, each page closed once it holds
 * `size` comments or more, and returns page `page` (clamped) — or, when `commentId` names a
 * comment of the thread, the page that holds it (a link to a comment finds it). Every list
 * is paginated: a page's render time stays bounded however long the discussion grows.
 */
export function pageOfThread(
	thread: readonly ThreadNode[],
	want: { page?: number; commentId?: string | null },
	size = THREAD_PAGE_COMMENTS
): ThreadPage {
	const pages: ThreadNode[][] = [[]];
	let filled = 0;
	let found: number | undefined;
	for (const node of thread) {
		if (filled >= size) {
			pages.push([]);
			filled = 0;
		}
		pages[pages.length - 1].push(node);
		filled += countNodes([node]);
		if (want.commentId && found === undefined && holds(node, want.commentId)) {
			found = pages.length - 1;
		}
	}
	const page = found ?? Math.min(Math.max(0, want.page ?? 0), pages.length - 1);
	return { nodes: pages[page], page, pages: pages.length };
}

function holds(node: ThreadNode, commentId: string): boolean {
	const stack = [node];
	while (stack.length > 0) {
		const next = stack.pop()!;
		if (next.comment.id === commentId) return true;
		stack.push(...next.replies);
	}
	return false;
}
