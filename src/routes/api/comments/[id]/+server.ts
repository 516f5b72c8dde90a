/**
 * `PATCH /api/comments/{id}` `{ "body": "…" }` edits the signed-in member's comment within
 * 15 minutes of posting and answers it; `DELETE` deletes it softly and answers it (body
 * null, `deleted: true`). Cookie or bearer token; every refusal is `{ "error": "…" }`.
 */
import { json } from '@sveltejs/kit';
import { toApiComment } from '$lib/server/api/comment-shape';
import { editCommentBody, readJsonBody } from '$lib/server/api/schemas';
import { requireWriter } from '$lib/server/auth/guards';
import { deleteComment, editComment, findComment } from '$lib/server/discussion/comment.service';
import { ForbiddenError } from '$lib/server/errors';
import { hasForeignOrigin } from '$lib/server/http/cross-site';
import { apiEndpoint } from '$lib/server/http/error-response';
import type { RequestEvent } from './$types';

const change = (action: 'edit' | 'delete') =>
	apiEndpoint(async ({ params, locals, request, url }: RequestEvent) => {
		if (hasForeignOrigin(request, url, locals.app.config.publicUrl)) {
			throw new ForbiddenError('Changes to comments from another site are refused.');
		}
		const member = requireWriter(locals);
		const db = locals.app.store.db;
		if (action === 'edit') {
			const { body } = await readJsonBody(editCommentBody, request, '{"body": "Nice result."}');
			await locals.app.rateLimits.consume('comment', member.id);
			await editComment(db, { commentId: params.id, memberId: member.id, body });
		} else {
			await locals.app.rateLimits.consume('comment', member.id);
			await deleteComment(db, { commentId: params.id, memberId: member.id });
		}
		return json(toApiComment(await findComment(db, params.id), locals.app.config.publicUrl));
	});

export const PATCH = change('edit');
export const DELETE = change('delete');
