/** SQL for members' flags on comments and papers: adding them, the open queue, resolving them. */
import type { FlagKind } from '$lib/core/moderation';
import type { Db } from '../db/create-db';

/** Adds a flag; false when this member already flagged this target (nothing written). */
export async function insertFlag(
	db: Db,
	flag: {
		id: string;
		memberId: string;
		kind: FlagKind;
		targetId: string;
		reason: string;
		createdAt: string;
	}
): Promise<boolean> {
	const row = await db
		.insertInto('flags')
		.values({
			id: flag.id,
			member_id: flag.memberId,
			target_kind: flag.kind,
			target_id: flag.targetId,
			reason: flag.reason,
			created_at: flag.createdAt
		})
		.onConflict((oc) => oc.columns(['member_id', 'target_kind', 'target_id']).doNothing())
		.returning('id')
		.executeTakeFirst();
	return row !== undefined;
}

/** One target with open flags: how many, and when the first came. */
export interface OpenFlagTarget {
	kind: FlagKind;
	targetId: string;
	count: number;
	firstAt: string;
}

/** Targets with open flags, most flagged first (then oldest first), a page at a time. */
export async function listOpenFlagTargets(
	db: Db,
	page: { limit: number; offset: number }
): Promise<OpenFlagTarget[]> {
	const rows = await db
		.selectFrom('flags')
		.select((eb) => [
			'target_kind',
			'target_id',
			eb.fn.countAll<number | string>().as('n'),
			eb.fn.min('created_at').as('first_at')
		])
		.where('resolved_at', 'is', null)
		.groupBy(['target_kind', 'target_id'])
		.orderBy((eb) => eb.fn.countAll(), 'desc')
		.orderBy((eb) => eb.fn.min('created_at'))
		.orderBy('target_id')
		.limit(page.limit)
		.offset(page.offset)
		.execute();
	return rows.map((r) => ({
		kind: r.target_kind as FlagKind,
		targetId: r.target_id,
		count: Number(r.n),
		firstAt: r.first_at
	}));
}

/** How many targets have open flags. */
export async function countOpenFlagTargets(db: Db): Promise<number> {
	const row = await db
		.selectFrom((eb) =>
			eb
				.selectFrom('flags')
				.select(['target_kind', 'target_id'])
				.where('resolved_at', 'is', null)
				.groupBy(['target_kind', 'target_id'])
				.as('targets')
		)
		.select((eb) => eb.fn.countAll<number | string>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** One open flag with its reporter, for the queue. */
export interface OpenFlag {
	kind: FlagKind;
	targetId: string;
	reason: string;
	createdAt: string;
	reporterUsername: string;
}

/** The open flags on these targets, oldest first. */
export async function listOpenFlagsOf(
	db: Db,
	targets: { kind: FlagKind; targetId: string }[]
): Promise<OpenFlag[]> {
	if (targets.length === 0) return [];
	const rows = await db
		.selectFrom('flags')
		.innerJoin('members', 'members.id', 'flags.member_id')
		.select([
			'flags.target_kind',
			'flags.target_id',
			'flags.reason',
			'flags.created_at',
			'members.username'
		])
		.where('flags.resolved_at', 'is', null)
		.where((eb) =>
			eb.or(
				targets.map((t) =>
					eb.and([eb('flags.target_kind', '=', t.kind), eb('flags.target_id', '=', t.targetId)])
				)
			)
		)
		.orderBy('flags.created_at')
		.execute();
	return rows.map((r) => ({
		kind: r.target_kind as FlagKind,
		targetId: r.target_id,
		reason: r.reason,
		createdAt: r.created_at,
		reporterUsername: r.username
	}));
}

/** Resolves every open flag on a target; how many. */
export async function resolveFlags(
	db: Db,
	change: { kind: FlagKind; targetId: string; by: string; resolution: string; now: string }
): Promise<number> {
	const result = await db
		.updateTable('flags')
		.set({ resolved_at: change.now, resolved_by: change.by, resolution: change.resolution })
		.where('target_kind', '=', change.kind)
		.where('target_id', '=', change.targetId)
		.where('resolved_at', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}
