/**
 * What moderators do: hide and show comments and papers, lock threads, dismiss flags,
 * ban and suspend members; and the queue they work from and the audit log admins read.
 * Every action changes the store and writes its `moderation_log` line in one
 * transaction, and resolves the open flags on its target. Routes check the role
 * (`requireRole(locals, 'moderator')`, the log `'admin'`); these take the acting member.
 *
 * A ban hides the member's comments with `setCommentHidden` (rather than filtering every
 * read on the author's status) so that `papers.comment_count`, the thread JSON, the
 * digest and every later reader see one rule: hidden is hidden. The comments are hidden
 * at the ban's own timestamp, so an unban shows again exactly those, and not the ones a
 * moderator hid one by one.
 */
import { randomBytes } from 'node:crypto';
import { hasRole, type Member } from '$lib/core/member';
import {
	checkSuspensionDays,
	suspensionEnd,
	type FlagKind,
	type ModerationAction,
	type ModerationTargetKind
} from '$lib/core/moderation';
import type { StoredPaper } from '$lib/core/paper-views';
import type { Db } from '../db/create-db';
import { setCommentHidden } from '../discussion/comment-visibility';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { deleteSessionsOfMember } from '../auth/session.repository';
import { requireMemberByUsername } from '../members/member.service';
import { updateStatus, type StoredMember } from '../members/member.repository';
import { findPapers, lockSeqCounter, reserveSeq } from '../papers/paper.repository';
import {
	countOpenFlagTargets,
	listOpenFlagsOf,
	listOpenFlagTargets,
	resolveFlags,
	type OpenFlag
} from './flag.repository';
import {
	deleteTrendingRowsOf,
	findCommentTargets,
	insertLogEntry,
	latestActionAt,
	listCommentIdsHiddenAt,
	listLogEntries,
	listShownCommentIdsOf,
	updatePaperHidden,
	updateSuspendedUntil,
	updateThreadLocked,
	type CommentTargetRow,
	type LogEntryRow
} from './moderation.repository';

const REASON_MAX = 1000;

/** Who acts: a member, or nobody for the operator's CLI (no audit line: the log names members). */
type Actor = Member | null;

function newId(): string {
	return randomBytes(12).toString('base64url');
}

function cleanReason(reason: string | undefined): string {
	const text = (reason ?? '').trim();
	if (text.length > REASON_MAX)
		throw new BadRequestError(`A reason is at most ${REASON_MAX} characters.`);
	return text;
}

/** What one action did: its target, and how the target's open flags close (if they do). */
interface ActionOutcome {
	target: { kind: ModerationTargetKind; id: string };
	resolution?: 'hidden' | 'shown';
}

/**
 * Runs one moderator action in a transaction: `change` alters the store and says what it
 * acted on; the target's open flags are closed (with a resolution) and the audit line
 * written in the same transaction, so the log never disagrees with the store. The CLI
 * (no actor) neither closes flags nor writes a line: the log names members.
 */
async function recordAction(
	db: Db,
	actor: Actor,
	entry: { action: ModerationAction; reason: string; at: string },
	change: (trx: Db) => Promise<ActionOutcome>
): Promise<void> {
	await db.transaction().execute(async (trx) => {
		const { target, resolution } = await change(trx);
		if (!actor) return;
		if (resolution && target.kind !== 'member') {
			await resolveFlags(trx, {
				kind: target.kind,
				targetId: target.id,
				by: actor.id,
				resolution,
				now: entry.at
			});
		}
		await insertLogEntry(trx, {
			id: newId(),
			actorId: actor.id,
			action: entry.action,
			targetKind: target.kind,
			targetId: target.id,
			reason: entry.reason,
			createdAt: entry.at
		});
	});
}

/** "paper is already hidden" unless `changed`. */
function mustHaveChanged(changed: boolean, sentence: string): void {
	if (!changed) throw new ConflictError(sentence);
}

/**
 * Hides (`hidden: true`) or shows a paper: gone from feeds, trending, search replicas
 * (its `seq` moves), the API, similar papers and profiles. ConflictError when it already
 * is so, NotFoundError for an unknown id.
 */
export async function setPaperHidden(
	db: Db,
	actor: Actor,
	input: { paperId: string; hidden: boolean; reason?: string },
	now: Date = new Date()
): Promise<void> {
	const at = now.toISOString();
	const entry = {
		action: input.hidden ? 'hide' : 'unhide',
		reason: cleanReason(input.reason),
		at
	} as const;
	await recordAction(db, actor, entry, async (trx) => {
		// The counter first, then the paper: the lock order of every writer of `seq`.
		await lockSeqCounter(trx);
		const paper = await requirePaper(trx, input.paperId);
		mustHaveChanged(
			Boolean(paper.hiddenAt) !== input.hidden,
			`This paper is already ${input.hidden ? 'hidden' : 'shown'}.`
		);
		const seq = await reserveSeq(trx, 1);
		await updatePaperHidden(trx, { paperId: paper.id, hidden: input.hidden, now: at, seq });
		if (input.hidden) await deleteTrendingRowsOf(trx, paper.id);
		return {
			target: { kind: 'paper', id: paper.id },
			resolution: input.hidden ? 'hidden' : 'shown'
		};
	});
}

/** Hides or shows a comment (the readable count moves with it). ConflictError when it already is so. */
export async function setCommentHiddenAs(
	db: Db,
	actor: Actor,
	input: { commentId: string; hidden: boolean; reason?: string },
	now: Date = new Date()
): Promise<void> {
	const at = now.toISOString();
	const entry = {
		action: input.hidden ? 'hide' : 'unhide',
		reason: cleanReason(input.reason),
		at
	} as const;
	await recordAction(db, actor, entry, async (trx) => {
		const comment = await requireComment(trx, input.commentId);
		mustHaveChanged(
			await setCommentHidden(trx, { commentId: comment.id, hidden: input.hidden, now: at }),
			`This comment is already ${input.hidden ? 'hidden' : 'shown'}.`
		);
		return {
			target: { kind: 'comment', id: comment.id },
			resolution: input.hidden ? 'hidden' : 'shown'
		};
	});
}

/** Locks (no new comments) or opens a paper's thread. ConflictError when it already is so. */
export async function setThreadLocked(
	db: Db,
	actor: Actor,
	input: { paperId: string; locked: boolean; reason?: string },
	now: Date = new Date()
): Promise<void> {
	const at = now.toISOString();
	const entry = {
		action: input.locked ? 'lock' : 'unlock',
		reason: cleanReason(input.reason),
		at
	} as const;
	await recordAction(db, actor, entry, async (trx) => {
		const paper = await requirePaper(trx, input.paperId);
		mustHaveChanged(
			await updateThreadLocked(trx, { paperId: paper.id, locked: input.locked, now: at }),
			`This paper's thread is already ${input.locked ? 'locked' : 'open'}.`
		);
		return { target: { kind: 'paper', id: paper.id } };
	});
}

/** Closes the open flags on a target without acting on it. NotFoundError when none are open. */
export async function dismissFlags(
	db: Db,
	actor: Member,
	input: { kind: FlagKind; targetId: string; reason?: string },
	now: Date = new Date()
): Promise<void> {
	const at = now.toISOString();
	const entry = { action: 'dismiss-flags', reason: cleanReason(input.reason), at } as const;
	await recordAction(db, actor, entry, async (trx) => {
		const closed = await resolveFlags(trx, {
			kind: input.kind,
			targetId: input.targetId,
			by: actor.id,
			resolution: 'dismissed',
			now: at
		});
		if (closed === 0) throw new NotFoundError(`This ${input.kind} has no open flags to dismiss.`);
		return { target: { kind: input.kind, id: input.targetId } };
	});
}

/**
 * Bans a member: they cannot sign in, every session they have ends, and every comment
 * of theirs readers could see is hidden. A moderator may ban only members below their
 * own role, and nobody themself.
 */
export async function banMemberAs(
	db: Db,
	actor: Actor,
	input: { username: string; reason?: string },
	now: Date = new Date()
): Promise<StoredMember> {
	const at = now.toISOString();
	const entry = { action: 'ban', reason: cleanReason(input.reason), at } as const;
	const member = await requireMemberByUsername(db, input.username);
	mayActOn(actor, member, 'ban');
	if (member.status === 'banned') throw new ConflictError(`${member.username} is already banned.`);
	await recordAction(db, actor, entry, async (trx) => {
		await updateStatus(trx, member.id, 'banned');
		await deleteSessionsOfMember(trx, member.id);
		for (const commentId of await listShownCommentIdsOf(trx, member.id)) {
			await setCommentHidden(trx, { commentId, hidden: true, now: at });
		}
		return { target: { kind: 'member', id: member.id } };
	});
	return { ...member, status: 'banned' };
}

/**
 * Lifts a ban and shows again the comments the latest ban hid (those hidden at its very
 * timestamp; comments a moderator hid one by one stay hidden).
 */
export async function unbanMemberAs(
	db: Db,
	actor: Actor,
	input: { username: string; reason?: string },
	now: Date = new Date()
): Promise<StoredMember> {
	const at = now.toISOString();
	const entry = { action: 'unban', reason: cleanReason(input.reason), at } as const;
	const member = await requireMemberByUsername(db, input.username);
	mayActOn(actor, member, 'unban');
	if (member.status !== 'banned') throw new ConflictError(`${member.username} is not banned.`);
	await recordAction(db, actor, entry, async (trx) => {
		await updateStatus(trx, member.id, 'active');
		const bannedAt = await latestActionAt(trx, {
			action: 'ban',
			targetKind: 'member',
			targetId: member.id
		});
		if (bannedAt) {
			for (const commentId of await listCommentIdsHiddenAt(trx, member.id, bannedAt)) {
				await setCommentHidden(trx, { commentId, hidden: false, now: at });
			}
		}
		return { target: { kind: 'member', id: member.id } };
	});
	return { ...member, status: 'active' };
}

/**
 * Suspends a member for `days` whole days (1–365): they may read, but not post, vote,
 * submit or flag until then (`requireWriter`). A second suspension replaces the first.
 */
export async function suspendMemberAs(
	db: Db,
	actor: Actor,
	input: { username: string; days: string | number; reason?: string },
	now: Date = new Date()
): Promise<StoredMember & { suspendedUntil: string }> {
	const reason = cleanReason(input.reason);
	const days = checkSuspensionDays(input.days);
	if (!days.ok) throw new BadRequestError(days.problem);
	const member = await requireMemberByUsername(db, input.username);
	mayActOn(actor, member, 'suspend');
	const until = suspensionEnd(now, days.days);
	const entry = {
		action: 'suspend',
		reason: `${days.days} day${days.days === 1 ? '' : 's'}, until ${until.slice(0, 10)}${reason ? `: ${reason}` : ''}`,
		at: now.toISOString()
	} as const;
	await recordAction(db, actor, entry, async (trx) => {
		await updateSuspendedUntil(trx, member.id, until);
		return { target: { kind: 'member', id: member.id } };
	});
	return { ...member, suspendedUntil: until };
}

/** Ends a member's suspension now. ConflictError when they are not suspended. */
export async function unsuspendMemberAs(
	db: Db,
	actor: Actor,
	input: { username: string; reason?: string },
	now: Date = new Date()
): Promise<StoredMember> {
	const at = now.toISOString();
	const entry = { action: 'unsuspend', reason: cleanReason(input.reason), at } as const;
	const member = await requireMemberByUsername(db, input.username);
	mayActOn(actor, member, 'unsuspend');
	if (!member.suspendedUntil || member.suspendedUntil <= at)
		throw new ConflictError(`${member.username} is not suspended.`);
	await recordAction(db, actor, entry, async (trx) => {
		await updateSuspendedUntil(trx, member.id, null);
		return { target: { kind: 'member', id: member.id } };
	});
	const { suspendedUntil: _ended, ...rest } = member;
	void _ended;
	return rest;
}

/** Moderators act on members below their role; the CLI (no actor) on anyone. */
function mayActOn(actor: Actor, member: StoredMember, action: string): void {
	if (!actor) return;
	if (actor.id === member.id) throw new ForbiddenError(`You cannot ${action} yourself.`);
	if (hasRole(member.role, actor.role))
		throw new ForbiddenError(`Only an admin may ${action} a ${member.role}; ask one.`);
}

async function requirePaper(db: Db, id: string): Promise<StoredPaper> {
	const paper = (await findPapers(db, [id])).get(id);
	if (!paper) throw new NotFoundError(`There is no paper ${id.slice(0, 64)}.`);
	return paper;
}

async function requireComment(db: Db, id: string): Promise<CommentTargetRow> {
	const comment = id.length <= 64 ? (await findCommentTargets(db, [id])).get(id) : undefined;
	if (!comment) throw new NotFoundError(`There is no comment "${id.slice(0, 64)}".`);
	return comment;
}

/** One target in the queue: what it is, its state, and its open flags. */
export interface QueueItem {
	kind: FlagKind;
	targetId: string;
	count: number;
	flags: Pick<OpenFlag, 'reason' | 'createdAt' | 'reporterUsername'>[];
	/** The paper (itself, or the comment's), when it still exists. */
	paper: Pick<StoredPaper, 'id' | 'title' | 'hiddenAt' | 'threadLockedAt'> | null;
	/** The comment, for a comment target that still exists. */
	comment: {
		body: string;
		authorUsername: string;
		createdAt: string;
		hidden: boolean;
		deleted: boolean;
	} | null;
}

/** A page (from 0) of the moderators' queue: targets with open flags, most flagged first. */
export async function loadModerationQueue(
	db: Db,
	page: number,
	pageSize = 25
): Promise<{ items: QueueItem[]; total: number }> {
	const targets = await listOpenFlagTargets(db, { limit: pageSize, offset: page * pageSize });
	const [flags, comments, total] = await Promise.all([
		listOpenFlagsOf(db, targets),
		findCommentTargets(
			db,
			targets.filter((t) => t.kind === 'comment').map((t) => t.targetId)
		),
		countOpenFlagTargets(db)
	]);
	const paperIds = [
		...targets.filter((t) => t.kind === 'paper').map((t) => t.targetId),
		...[...comments.values()].map((c) => c.paperId)
	];
	const papers = await findPapers(db, paperIds);
	const items = targets.map((target): QueueItem => {
		const comment = target.kind === 'comment' ? comments.get(target.targetId) : undefined;
		const paper = papers.get(comment ? comment.paperId : target.targetId);
		return {
			kind: target.kind,
			targetId: target.targetId,
			count: target.count,
			flags: flags
				.filter((f) => f.kind === target.kind && f.targetId === target.targetId)
				.map(({ reason, createdAt, reporterUsername }) => ({
					reason,
					createdAt,
					reporterUsername
				})),
			paper: paper
				? {
						id: paper.id,
						title: paper.title,
						...(paper.hiddenAt ? { hiddenAt: paper.hiddenAt } : {}),
						...(paper.threadLockedAt ? { threadLockedAt: paper.threadLockedAt } : {})
					}
				: null,
			comment: comment
				? {
						body: comment.body.slice(0, 600),
						authorUsername: comment.authorUsername,
						createdAt: comment.createdAt,
						hidden: comment.hiddenAt !== null,
						deleted: comment.deletedAt !== null
					}
				: null
		};
	});
	return { items, total };
}

/** A page (from 0) of the audit log, newest first. */
export async function loadAuditLog(
	db: Db,
	page: number,
	pageSize = 50
): Promise<{ entries: LogEntryRow[]; total: number }> {
	return listLogEntries(db, { limit: pageSize, offset: page * pageSize });
}
