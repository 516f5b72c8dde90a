/**
 * `GET /api/papers/{id}/comments`: the paper's thread as JSON, a flat list in posting
 * order, each comment naming its `parentId` (null at the top); deleted and hidden comments
 * keep their place with `body` and `bodyHtml` null. `POST` `{ "body": "…", "parentId"?: "…" }`
 * adds a comment or reply for the signed-in member (cookie or bearer token) and answers 201
 * with it.
 */
import { json } from '@sveltejs/kit';
import { toApiComment } from '$lib/server/api/comment-shape';
import { newCommentBody, readJsonBody } from '$lib/server/api/schemas';
import { requireWriter } from '$lib/server/auth/guards';
import { findComment, paperComments, postComment } from '$lib/server/discussion/comment.service';
import { ForbiddenError } from '$lib/server/errors';
import { hasForeignOrigin } from '$lib/server/http/cross-site';
import { apiEndpoint } from '$lib/server/http/error-response';
import type { RequestEvent } from './$types';

export const GET = apiEndpoint(async ({ params, locals }: RequestEvent) => {
	const comments = await paperComments(locals.app.store.db, params.id);
	const publicUrl = locals.app.config.publicUrl;
	return json({
		paperId: params.id,
		numComments: comments.filter((c) => c.body !== null).length,
		comments: comments.map((c) => toApiComment(c, publicUrl))
	});
});

export const POST = apiEndpoint(async ({ params, locals, request, url }: RequestEvent) => {
	// A bodiless or text/plain fetch from another site passes the form check in hooks.
	if (hasForeignOrigin(request, url, locals.app.config.publicUrl)) {
		throw new ForbiddenError('Comments from another site are refused.');
	}
	const member = requireWriter(locals);
	const input = await readJsonBody(newCommentBody, request, '{"body": "Nice result."}');
	await locals.app.rateLimits.consume('comment', member.id);
	const { id } = await postComment(locals.app.store.db, {
		paperId: params.id,
		memberId: member.id,
		body: input.body,
		parentId: input.parentId ?? null
	});
	const created = await findComment(locals.app.store.db, id);
	return json(toApiComment(created, locals.app.config.publicUrl), { status: 201 });
});
