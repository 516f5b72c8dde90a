/**
 * A comment as the JSON API shows it. Authors take Hugging Face's user fields
 * (`user`, `fullname`, `avatarUrl`), as `submittedBy` does.
 */
import type { ThreadComment } from '$lib/core/comment';
import { absoluteUrl, links } from '$lib/links';

export interface ApiComment {
	id: string;
	/** The comment replied to; null for a top-level comment. */
	parentId: string | null;
	author: { _id: string; user: string; fullname: string; avatarUrl: string };
	createdAt: string;
	editedAt: string | null;
	deleted: boolean;
	hidden: boolean;
	/** The Markdown; null when deleted or hidden. */
	body: string | null;
	/** The rendered, sanitized HTML; null when deleted or hidden. */
	bodyHtml: string | null;
}

/** Maps a thread comment to the API's shape; `publicUrl` makes the avatar address absolute. */
export function toApiComment(comment: ThreadComment, publicUrl: string): ApiComment {
	return {
		id: comment.id,
		parentId: comment.parentId,
		author: {
			_id: comment.author.id,
			user: comment.author.username,
			fullname: comment.author.displayName,
			avatarUrl: absoluteUrl(publicUrl, links.avatar(comment.author.id))
		},
		createdAt: comment.createdAt,
		editedAt: comment.editedAt,
		deleted: comment.deleted,
		hidden: comment.hidden,
		body: comment.body,
		bodyHtml: comment.bodyHtml
	};
}
