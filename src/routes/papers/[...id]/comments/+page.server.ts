/**
 * The discussion without JavaScript: the paper page's comment forms POST here (`?/post`
 * with `body` and an optional `parentId`, `?/edit` with `commentId` and `body`, `?/delete`
 * with `commentId`); each answers a 303 back to the comment on the paper page. A refused
 * write (empty, too long, locked thread, another member's comment, …) is a page error with
 * its sentence and status, and changes nothing.
 */
import { redirect } from '@sveltejs/kit';
import { links } from '$lib/links';
import { requireWriter } from '$lib/server/auth/guards';
import { deleteComment, editComment, postComment } from '$lib/server/discussion/comment.service';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

// Nothing to show here: a GET (a reloaded or shared address) goes to the paper's discussion.
export const load: PageServerLoad = ({ params }) =>
	redirect(303, `${links.paper(params.id)}#discussion`);

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
		const comment = await postComment(event.locals.app.store.db, {
			paperId: event.params.id,
			memberId: member.id,
			body: field(form, 'body'),
			parentId: field(form, 'parentId') || null
		});
		redirect(303, links.comment(comment.paperId, comment.id));
	},
	edit: async (event) => {
		const member = await writerOf(event);
		const form = await event.request.formData().catch(() => null);
		const comment = await editComment(event.locals.app.store.db, {
			commentId: field(form, 'commentId') ?? '',
			memberId: member.id,
			body: field(form, 'body')
		});
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
