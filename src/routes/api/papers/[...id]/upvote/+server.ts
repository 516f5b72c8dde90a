/**
 * `POST /api/papers/{id}/upvote` casts the signed-in member's vote, `DELETE` takes it back;
 * both answer `{ upvotes, voted }`. Signed in by the session cookie or a bearer token.
 */
import { json } from '@sveltejs/kit';
import { requireWriter } from '$lib/server/auth/guards';
import { ForbiddenError } from '$lib/server/errors';
import { hasForeignOrigin } from '$lib/server/http/cross-site';
import { apiEndpoint } from '$lib/server/http/error-response';
import { castVote, retractVote } from '$lib/server/votes/vote.service';
import type { RequestEvent } from './$types';

const vote = (action: 'cast' | 'retract') =>
	apiEndpoint(async ({ params, locals, request, url }: RequestEvent) => {
		// A bodiless fetch from another site passes the form check in hooks; a vote is never one.
		if (hasForeignOrigin(request, url, locals.app.config.publicUrl)) {
			throw new ForbiddenError('Votes from another site are refused.');
		}
		const member = requireWriter(locals);
		await locals.app.rateLimits.consume('vote', member.id);
		const change = { paperId: params.id, memberId: member.id };
		const outcome =
			action === 'cast'
				? await castVote(locals.app.store.db, change)
				: await retractVote(locals.app.store.db, change);
		return json({ upvotes: outcome.upvotes, voted: outcome.voted });
	});

export const POST = vote('cast');
export const DELETE = vote('retract');
