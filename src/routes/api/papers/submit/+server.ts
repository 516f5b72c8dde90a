import { json } from '@sveltejs/kit';
import { toHfDailyEntry } from '$lib/server/api/hf-shape';
import { readJsonBody, submitPaperBody } from '$lib/server/api/schemas';
import { requireWriter } from '$lib/server/auth/guards';
import { apiEndpoint } from '$lib/server/http/error-response';
import { submissionSettings, submitPaper } from '$lib/server/submissions/submission.service';
import type { RequestEvent } from './$types';

/** Submits a paper for today: 201 with the new entry, 200 when it merged into an earlier pick. */
export const POST = apiEndpoint(async ({ request, locals }: RequestEvent) => {
	const member = requireWriter(locals);
	const { arxivId } = await readJsonBody(submitPaperBody, request);
	const outcome = await submitPaper(
		locals.app.store.db,
		{ reference: arxivId, member },
		submissionSettings(locals.app.config, locals.app.rateLimits)
	);
	return json(
		{
			...toHfDailyEntry(outcome.paper, locals.app.config.publicUrl),
			result: outcome.result,
			message: outcome.message,
			upvoted: outcome.vote.voted
		},
		{ status: outcome.result === 'submitted' ? 201 : 200 }
	);
});
