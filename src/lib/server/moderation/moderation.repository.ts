/**
 * SQL for moderators' actions: hiding papers, locking threads, suspending members,
 * the comments a ban hides, and the audit log (`moderation_log`).
 */
import type { Db } from '../db/create-db';

/** Adds one line to the audit log. */
export async function insertLogEntry(
	db: Db,
	entry: {
		id: string;
		actorId: string;
		action: string;
		targetKind: string;
		targetId: string;
		reason: string;
		createdAt: string;
	}
): Promise<void> {
	await db
		.insertInto('moderation_log')
		.values({
			id: entry.id,
			actor_id: entry.actorId,
			action: entry.action,
			target_kind: entry.targetKind,
			target_id: entry.targetId,
			reason: entry.reason,
			created_at: entry.createdAt
		})
		.execute();
}

/** One line of the audit log, with who acted. */
export interface LogEntryRow {
	id: string;
	actorUsername: string;
	action: string;
	targetKind: string;
	targetId: string;
	/** The member's username now, for a member target. */
	targetUsername: string | null;
	reason: string;
	createdAt: string;
}

/** A page of the audit log, newest first, and how many lines it has in all. */
export async function listLogEntries(
	db: Db,
	page: { limit: number; offset: number }
): Promise<{ entries: LogEntryRow[]; total: number }> {
	const rows = await db
		.selectFrom('moderation_log')
		.innerJoin('members', 'members.id', 'moderation_log.actor_id')
		.leftJoin('members as target', (join) =>
			join
				.onRef('target.id', '=', 'moderation_log.target_id')
				.on('moderation_log.target_kind', '=', 'member')
		)
		.select([
			'moderation_log.id',
			'members.username',
			'target.username as target_username',
			'moderation_log.action',
			'moderation_log.target_kind',
			'moderation_log.target_id',
			'moderation_log.reason',
			'moderation_log.created_at'
		])
		.orderBy('moderation_log.created_at', 'desc')
		.orderBy('moderation_log.id', 'desc')
		.limit(page.limit)
		.offset(page.offset)
		.execute();
	const total = await db
		.selectFrom('moderation_log')
		.select((eb) => eb.fn.countAll<number | string>().as('n'))
		.executeTakeFirstOrThrow();
	return {
		entries: rows.map((r) => ({
			id: r.id,
			actorUsername: r.username,
			action: r.action,
			targetKind: r.target_kind,
			targetId: r.target_id,
			targetUsername: r.target_username,
			reason: r.reason,
			createdAt: r.created_at
		})),
		total: Number(total.n)
	};
}

/** When the latest action of this kind was done to a target, if ever. */
export async function latestActionAt(
	db: Db,
	target: { action: string; targetKind: string; targetId: string }
): Promise<string | undefined> {
	const row = await db
		.selectFrom('moderation_log')
		.select((eb) => eb.fn.max('created_at').as('at'))
		.where('action', '=', target.action)
		.where('target_kind', '=', target.targetKind)
		.where('target_id', '=', target.targetId)
		.executeTakeFirst();
	return row?.at ?? undefined;
}

/**
 * Hides or shows a paper and moves it to change-feed position `seq`, so search replicas
 * drop or take it back on their next sync; whether it changed.
 */
export async function updatePaperHidden(
	db: Db,
	change: { paperId: string; hidden: boolean; now: string; seq: number }
): Promise<boolean> {
	const row = await db
		.updateTable('papers')
		.set({ hidden_at: change.hidden ? change.now : null, seq: change.seq, modified_at: change.now })
		.where('id', '=', change.paperId)
		.where('hidden_at', change.hidden ? 'is' : 'is not', null)
		.returning('id')
		.executeTakeFirst();
	return row !== undefined;
}

/** Drops a paper from every stored trending window (the next run ranks it again if shown). */
export async function deleteTrendingRowsOf(db: Db, paperId: string): Promise<void> {
	await db.deleteFrom('trending_scores').where('paper_id', '=', paperId).execute();
}

/** Locks or opens a paper's thread; whether it changed. */
export async function updateThreadLocked(
	db: Db,
	change: { paperId: string; locked: boolean; now: string }
): Promise<boolean> {
	const row = await db
		.updateTable('papers')
		.set({ thread_locked_at: change.locked ? change.now : null })
		.where('id', '=', change.paperId)
		.where('thread_locked_at', change.locked ? 'is' : 'is not', null)
		.returning('id')
		.executeTakeFirst();
	return row !== undefined;
}

/** Sets or lifts (`null`) a member's suspension. */
export async function updateSuspendedUntil(
	db: Db,
	memberId: string,
	until: string | null
): Promise<void> {
	await db
		.updateTable('members')
		.set({ suspended_until: until })
		.where('id', '=', memberId)
		.execute();
}

/** Ids of a member's comments readers can see now (not deleted, not hidden). */
export async function listShownCommentIdsOf(db: Db, memberId: string): Promise<string[]> {
	const rows = await db
		.selectFrom('comments')
		.select('id')
		.where('member_id', '=', memberId)
		.where('deleted_at', 'is', null)
		.where('hidden_at', 'is', null)
		.execute();
	return rows.map((r) => r.id);
}

/** Ids of a member's comments hidden at exactly `hiddenAt` (what one ban hid). */
export async function listCommentIdsHiddenAt(
	db: Db,
	memberId: string,
	hiddenAt: string
): Promise<string[]> {
	const rows = await db
		.selectFrom('comments')
		.select('id')
		.where('member_id', '=', memberId)
		.where('hidden_at', '=', hiddenAt)
		.execute();
	return rows.map((r) => r.id);
}

/** A comment as the queue and flag page show it: excerpt, author, paper, state. */
export interface CommentTargetRow {
	id: string;
	paperId: string;
	body: string;
	authorUsername: string;
	createdAt: string;
	hiddenAt: string | null;
	deletedAt: string | null;
}

/** Comments by id, with their authors (missing ids are absent). */
export async function findCommentTargets(
	db: Db,
	ids: string[]
): Promise<Map<string, CommentTargetRow>> {
	const found = new Map<string, CommentTargetRow>();
	if (ids.length === 0) return found;
	const rows = await db
		.selectFrom('comments')
		.innerJoin('members', 'members.id', 'comments.member_id')
		.select([
			'comments.id',
			'comments.paper_id',
			'comments.body',
			'comments.created_at',
			'comments.hidden_at',
			'comments.deleted_at',
			'members.username'
		])
		.where('comments.id', 'in', ids)
		.execute();
	for (const r of rows) {
		found.set(r.id, {
			id: r.id,
			paperId: r.paper_id,
			body: r.body,
			authorUsername: r.username,
			createdAt: r.created_at,
			hiddenAt: r.hidden_at,
			deletedAt: r.deleted_at
		});
	}
	return found;
}
