import { fail, redirect } from '@sveltejs/kit';
import { PAPER_REFERENCE_MAX } from '$lib/core/paper-reference';
import { httpMeaningOf } from '$lib/server/http/error-response';
import { submissionSettings, submitPaper } from '$lib/server/submissions/submission.service';
import { links } from '$lib/links';
import { requireWriter } from '$lib/server/auth/guards';
import type { Actions, PageServerLoadEvent, RequestEvent } from './$types';

export const load = ({ locals }: PageServerLoadEvent) => {
	if (!locals.member) redirect(303, links.signIn(links.submit()));
	const { maxAgeDays, dailyLimit } = locals.app.config.submit;
	return { rules: { maxAgeDays, dailyLimit }, referenceMax: PAPER_REFERENCE_MAX };
};

export const actions: Actions = {
	default: async ({ request, locals, setHeaders }: RequestEvent) => {
		const member = locals.member;
		if (!member) redirect(303, links.signIn(links.submit()));
		const form = await request.formData();
		const field = form.get('reference');
		const reference = typeof field === 'string' ? field : '';
		let outcome;
		try {
			requireWriter(locals);
			outcome = await submitPaper(
				locals.app.store.db,
				{ reference, member },
				submissionSettings(locals.app.config, locals.app.rateLimits)
			);
		} catch (caught) {
			const meaning = httpMeaningOf(caught);
			if (!meaning) throw caught;
			if (meaning.headers['retry-after']) setHeaders(meaning.headers);
			// The input goes back into the field (cut to what the field accepts), with the reason.
			return fail(meaning.status, { reference: reference.slice(0, 1000), error: meaning.message });
		}
		const notice =
			outcome.result === 'submitted' ? 'new' : outcome.vote.changed ? 'upvoted' : 'unchanged';
		redirect(303, links.submitted(outcome.paper.id, notice));
	}
};
