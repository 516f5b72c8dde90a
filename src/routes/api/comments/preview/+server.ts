/**
 * `POST /api/comments/preview` `{ "body": "…" }` → `{ "html": "…" }`: a comment's Markdown
 * rendered exactly as it would be stored, for the live preview while writing
 * (static/comment-preview.js). Signed-in members only, by the session cookie or a bearer token.
 */
import { json } from '@sveltejs/kit';
import { commentPreviewBody, readJsonBody } from '$lib/server/api/schemas';
import { requireMember } from '$lib/server/auth/guards';
import { renderCommentMarkdown } from '$lib/server/discussion/markdown';
import { ForbiddenError } from '$lib/server/errors';
import { hasForeignOrigin } from '$lib/server/http/cross-site';
import { apiEndpoint } from '$lib/server/http/error-response';
import type { RequestEvent } from './$types';

export const POST = apiEndpoint(async ({ request, locals, url }: RequestEvent) => {
	// Another site must not use a reader's session to spend their preview allowance.
	if (hasForeignOrigin(request, url, locals.app.config.publicUrl)) {
		throw new ForbiddenError('Previews from another site are refused.');
	}
	// A suspended member may still preview: writing is refused when they post, with the reason.
	const member = requireMember(locals);
	await locals.app.rateLimits.consume('comment-preview', member.id);
	const { body } = await readJsonBody(commentPreviewBody, request, '{"body": "Markdown text"}');
	return json({ html: renderCommentMarkdown(body) });
});
