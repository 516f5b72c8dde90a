/**
 * Flagging a comment or paper (`/flag?kind=&id=&back=`): the form asks for a reason;
 * the POST answers 303 to this page with a thank-you and a link back to where the
 * member was. A refusal (empty reason, a second flag, too many) shows the form again
 * with the sentence and its status; an unknown target is a 404.
 */
import { redirect } from '@sveltejs/kit';
import { FLAG_REASON_MAX, isFlagKind, type FlagKind } from '$lib/core/moderation';
import { safeNextPath } from '$lib/core/next-path';
import { links } from '$lib/links';
import { requireWriter } from '$lib/server/auth/guards';
import { NotFoundError } from '$lib/server/errors';
import { formAction, pageLoad } from '$lib/server/http/error-response';
import { findFlagTarget, flagTarget } from '$lib/server/moderation/flag.service';
import type { PageServerLoadEvent, RequestEvent } from './$types';

function readTarget(url: URL): { kind: FlagKind; id: string; back: string } {
	const kind = url.searchParams.get('kind');
	const id = url.searchParams.get('id') ?? '';
	if (!isFlagKind(kind)) throw new NotFoundError('Flag a comment or a paper (kind=comment|paper).');
	return { kind, id, back: safeNextPath(url.searchParams.get('back')) ?? '' };
}

export const load = pageLoad(async ({ locals, url }: PageServerLoadEvent) => {
	const { kind, id, back } = readTarget(url);
	if (!locals.member) redirect(303, links.signIn(links.flag(kind, id, back || undefined)));
	const target = await findFlagTarget(locals.app.store.db, kind, id);
	return {
		target,
		back: back || links.paper(target.paperId),
		sent: url.searchParams.get('sent') === '1',
		reasonMax: FLAG_REASON_MAX
	};
});

export const actions = {
	default: formAction('flag', async ({ locals, request, url }: RequestEvent) => {
		const { kind, id, back } = readTarget(url);
		if (!locals.member) redirect(303, links.signIn(links.flag(kind, id, back || undefined)));
		const member = requireWriter(locals);
		const form = await request.formData().catch(() => null);
		const reason = form?.get('reason');
		await locals.app.rateLimits.consume('flag', member.id);
		await flagTarget(locals.app.store.db, member, {
			kind,
			id,
			reason: typeof reason === 'string' ? reason.slice(0, FLAG_REASON_MAX * 4) : ''
		});
		redirect(303, `${links.flag(kind, id, back || undefined)}&sent=1`);
	})
};
