/**
 * The moderators' queue (`/mod`): open flags grouped by target, and every moderator
 * action as a form action that works without JavaScript (the paper page's
 * ModeratorTools post here too). Each answers 303 back to the page it came from;
 * a refusal renders this page again with the sentence and its status.
 */
import { redirect } from '@sveltejs/kit';
import { isFlagKind } from '$lib/core/moderation';
import type { Member } from '$lib/core/member';
import { safeNextPath } from '$lib/core/next-path';
import { links } from '$lib/links';
import { requireRole } from '$lib/server/auth/guards';
import { BadRequestError } from '$lib/server/errors';
import { formAction, pageLoad } from '$lib/server/http/error-response';
import {
	banMemberAs,
	dismissFlags,
	loadModerationQueue,
	setCommentHiddenAs,
	setPaperHidden,
	setThreadLocked,
	suspendMemberAs,
	unbanMemberAs,
	unsuspendMemberAs
} from '$lib/server/moderation/moderation.service';
import type { PageServerLoadEvent, RequestEvent } from './$types';

/** The status lines a 303 back here may ask for (`?done=`). */
const DONE = {
	hide: 'Hidden.',
	unhide: 'Shown again.',
	lock: 'The thread is locked.',
	unlock: 'The thread is open again.',
	dismiss: 'The flags are dismissed.',
	ban: 'The member is banned: signed out everywhere, their comments hidden.',
	unban: 'The ban is lifted.',
	suspend: 'The member is suspended.',
	unsuspend: 'The suspension is lifted.'
} as const;
type Done = keyof typeof DONE;

/** A moderator, or a 303 to sign-in for a reader signed out (403 for a member). */
function moderator(locals: App.Locals, here: string): Member {
	if (!locals.member) redirect(303, links.signIn(here));
	return requireRole(locals, 'moderator');
}

export const load = pageLoad(async ({ locals, url, setHeaders }: PageServerLoadEvent) => {
	moderator(locals, links.moderation());
	setHeaders({ 'cache-control': 'private, no-store' });
	const page = Math.max(0, Math.min(1000, Number.parseInt(url.searchParams.get('p') ?? '0') || 0));
	const done = url.searchParams.get('done');
	return {
		...(await loadModerationQueue(locals.app.store.db, page)),
		page,
		done: done !== null && Object.hasOwn(DONE, done) ? DONE[done as Done] : null
	};
});

function field(form: FormData, name: string, max = 2000): string {
	const value = form.get(name);
	return typeof value === 'string' ? value.slice(0, max) : '';
}

/** Where to go once done: the same-site `back` the form names, else the queue with its notice. */
function doneRedirect(form: FormData, done: Done): never {
	const back = safeNextPath(field(form, 'back', 600));
	redirect(303, back ?? `${links.moderation()}?done=${done}`);
}

/** One moderator action: the form read, the acting moderator checked, then `act`. */
function moderatorAction(
	done: Done,
	act: (input: {
		db: App.Locals['app']['store']['db'];
		actor: Member;
		form: FormData;
	}) => Promise<unknown>
) {
	return formAction(done, async ({ locals, request }: RequestEvent) => {
		const form = await request.formData().catch(() => null);
		if (!form) throw new BadRequestError('Send the form as form data.');
		const actor = moderator(locals, links.moderation());
		await act({ db: locals.app.store.db, actor, form });
		doneRedirect(form, done);
	});
}

function target(form: FormData): { kind: 'comment' | 'paper'; id: string } {
	const kind = field(form, 'kind');
	const id = field(form, 'id', 200);
	if (!isFlagKind(kind)) throw new BadRequestError('kind is comment or paper.');
	if (!id) throw new BadRequestError('Say which comment or paper (id).');
	return { kind, id };
}

function hideOrShow(hidden: boolean) {
	return moderatorAction(hidden ? 'hide' : 'unhide', ({ db, actor, form }) => {
		const { kind, id } = target(form);
		const reason = field(form, 'reason');
		return kind === 'paper'
			? setPaperHidden(db, actor, { paperId: id, hidden, reason })
			: setCommentHiddenAs(db, actor, { commentId: id, hidden, reason });
	});
}

function lockOrOpen(locked: boolean) {
	return moderatorAction(locked ? 'lock' : 'unlock', ({ db, actor, form }) =>
		setThreadLocked(db, actor, {
			paperId: field(form, 'id', 200),
			locked,
			reason: field(form, 'reason')
		})
	);
}

export const actions = {
	hide: hideOrShow(true),
	unhide: hideOrShow(false),
	lock: lockOrOpen(true),
	unlock: lockOrOpen(false),
	dismiss: moderatorAction('dismiss', ({ db, actor, form }) => {
		const { kind, id } = target(form);
		return dismissFlags(db, actor, { kind, targetId: id, reason: field(form, 'reason') });
	}),
	ban: moderatorAction('ban', ({ db, actor, form }) =>
		banMemberAs(db, actor, {
			username: field(form, 'username', 100),
			reason: field(form, 'reason')
		})
	),
	unban: moderatorAction('unban', ({ db, actor, form }) =>
		unbanMemberAs(db, actor, {
			username: field(form, 'username', 100),
			reason: field(form, 'reason')
		})
	),
	suspend: moderatorAction('suspend', ({ db, actor, form }) =>
		suspendMemberAs(db, actor, {
			username: field(form, 'username', 100),
			days: field(form, 'days', 10),
			reason: field(form, 'reason')
		})
	),
	unsuspend: moderatorAction('unsuspend', ({ db, actor, form }) =>
		unsuspendMemberAs(db, actor, {
			username: field(form, 'username', 100),
			reason: field(form, 'reason')
		})
	)
};
