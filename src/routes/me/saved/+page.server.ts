/**
 * `/me/saved`: the signed-in member's reading list, newest saved first, paged; each
 * paper's note is a form (`?/note`) and it can be taken off (`?/unsave`). Both answer
 * 303 back to the same page and card; a bad note renders the page again with the
 * sentence next to that paper's form.
 */
import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Member } from '$lib/core/member';
import { cardAnchor } from '$lib/core/vote';
import { links } from '$lib/links';
import { requireWriter } from '$lib/server/auth/guards';
import { formAction, pageLoad } from '$lib/server/http/error-response';
import {
	loadSavedPage,
	MAX_NOTE_LENGTH,
	setSavedNote,
	unsavePaper
} from '$lib/server/library/saved.service';
import { readerVotes } from '$lib/server/votes/vote.service';
import type { Actions, PageServerLoadEvent, RequestEvent } from './$types';

const PAGE_SIZE = 20;
const pageQuery = z.object({ p: z.coerce.number().int().min(0).max(1000).default(0) });

function pageOf(url: URL): number {
	const parsed = pageQuery.safeParse({ p: url.searchParams.get('p') ?? undefined });
	if (!parsed.success) error(400, 'The page number must be a whole number from 0 to 1000.');
	return parsed.data.p;
}

function signedIn(locals: App.Locals, url: URL): Member {
	if (!locals.member) redirect(303, links.signIn(links.saved(pageOf(url) || undefined)));
	return locals.member;
}

export const load = pageLoad(async ({ url, locals, setHeaders }: PageServerLoadEvent) => {
	const member = signedIn(locals, url);
	setHeaders({ 'cache-control': 'private, no-store' });
	const db = locals.app.store.db;
	const saved = await loadSavedPage(db, member.id, { page: pageOf(url), pageSize: PAGE_SIZE });
	const votes = await readerVotes(
		db,
		member,
		saved.papers.map((p) => p.id)
	);
	return { ...saved, votes, maxNote: MAX_NOTE_LENGTH };
});

async function paperAndField(request: Request, name: string) {
	const form = await request.formData().catch(() => null);
	const paper = form?.get('paper');
	const value = form?.get(name);
	if (typeof paper !== 'string' || paper === '') error(400, 'Say which paper: the field paper.');
	return { paperId: paper, value: typeof value === 'string' ? value : '' };
}

export const actions: Actions = {
	note: formAction('note', async ({ locals, request, url }: RequestEvent) => {
		signedIn(locals, url);
		const member = requireWriter(locals);
		const { paperId, value } = await paperAndField(request, 'note');
		await locals.app.rateLimits.consume('save', member.id);
		await setSavedNote(locals.app.store.db, member.id, paperId, value);
		redirect(303, `${links.saved(pageOf(url) || undefined)}#${cardAnchor(paperId)}`);
	}),
	unsave: formAction('unsave', async ({ locals, request, url }: RequestEvent) => {
		signedIn(locals, url);
		const member = requireWriter(locals);
		const { paperId } = await paperAndField(request, 'note');
		await locals.app.rateLimits.consume('save', member.id);
		await unsavePaper(locals.app.store.db, member.id, paperId);
		redirect(303, links.saved(pageOf(url) || undefined));
	})
};
