/**
 * The discussion without JavaScript: the paper page's comment forms POST here (`?/post`
 * with `body` and an optional `parentId`, `?/edit` with `commentId` and `body`, `?/delete`
 * with `commentId`); each answers a 303 back to the comment on the paper page. A refused
 * post or edit (empty, too long, locked thread, another member's comment, …) changes nothing
 * and answers its status with a page holding the sentence and the form with the member's
 * text, so nothing typed is lost; a refused delete is a page error.
 */
import { fail, redirect } from '@sveltejs/kit';
import { httpMeaningOf } from '$lib/server/http/error-response';
import { links } from '$lib/links';
import { requireWriter } from '$lib/server/auth/guards';
import { deleteComment, editComment, postComment } from '$lib/server/discussion/comment.service';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

// Nothing to show on a GET (a reloaded or shared address): it goes to the paper's discussion.
// After a refused POST the page shows the refusal and the member's text (see `keepText`).
export const load: PageServerLoad = ({ params, request }) => {
	if (request.method !== 'POST') redirect(303, `${links.paper(params.id)}#discussion`);
	return { paperId: params.id };
};

/**
 * A refused post or edit as a form failure carrying the member's text and where it was
 * going, so the page can offer it again; anything but a typed refusal is thrown on.
 */
function keepText(
	caught: unknown,
	form: FormData | null,
	action: 'post' | 'edit',
	setHeaders: RequestEvent['setHeaders']
) {
	const meaning = httpMeaningOf(caught);
	if (!meaning) throw caught;
	if (Object.keys(meaning.headers).length > 0) setHeaders(meaning.headers);
	return fail(meaning.status, {
		action,
		error: meaning.message,
		body: field(form, 'body') ?? '',
		parentId: field(form, 'parentId') ?? '',
		commentId: field(form, 'commentId') ?? ''
	});
}

const field = (form: FormData | null, name: string): string | undefined => {
	const value = form?.get(name);
	return typeof value === 'string' ? value : undefined;
};

/** The writer, or (signed out, or the session ended meanwhile) a 303 to sign in and come back. */
async function writerOf({ locals, params }: RequestEvent) {
	if (!locals.member) redirect(303, links.signIn(links.paper(params.id)));
	const member = requireWriter(locals);
	await locals.app.rateLimits.consume('comment', member.id);
	return member;
}

export const actions: Actions = {
	post: async (event) => {
		const member = await writerOf(event);
		const form = await event.request.formData().catch(() => null);
		let comment;
		try {
			comment = await postComment(event.locals.app.store.db, {
				paperId: event.params.id,
				memberId: member.id,
				body: field(form, 'body'),
				parentId: field(form, 'parentId') || null
			});
		} catch (caught) {
			return keepText(caught, form, 'post', event.setHeaders);
		}
		redirect(303, links.comment(comment.paperId, comment.id));
	},
	edit: async (event) => {
		const member = await writerOf(event);
		const form = await event.request.formData().catch(() => null);
		let comment;
		try {
			comment = await editComment(event.locals.app.store.db, {
				commentId: field(form, 'commentId') ?? '',
				memberId: member.id,
				body: field(form, 'body')
			});
		} catch (caught) {
			return keepText(caught, form, 'edit', event.setHeaders);
		}
		redirect(303, links.comment(comment.paperId, comment.id));
	},
	delete: async (event) => {
		const member = await writerOf(event);
		const form = await event.request.formData().catch(() => null);
		const comment = await deleteComment(event.locals.app.store.db, {
			commentId: field(form, 'commentId') ?? '',
			memberId: member.id
		});
		redirect(303, links.comment(comment.paperId, comment.id));
	}
};
