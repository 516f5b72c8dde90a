/**
 * SQL for members' submissions: they are daily picks with `submitter_id` set
 * (source `member`), next to the picks imported from Hugging Face.
 */
import type { Db } from '../db/create-db';

/** A pick and who made it: a member (their current username) or an imported name. */
export interface PickWithSubmitter {
	day: string;
	paperId: string;
	submittedBy: string;
	submittedAt: string;
	/** The member who submitted it; null for imported picks (and members since deleted). */
	memberId: string | null;
	/** The member's username now (it may have changed since), else null. */
	username: string | null;
	displayName: string | null;
}

function pickQuery(db: Db) {
	return db
		.selectFrom('daily_picks')
		.leftJoin('members', 'members.id', 'daily_picks.submitter_id')
		.select([
			'daily_picks.day',
			'daily_picks.paper_id',
			'daily_picks.submitted_by',
			'daily_picks.submitted_at',
			'daily_picks.submitter_id',
			'members.username',
			'members.display_name'
		]);
}

type PickQueryRow = {
	day: string;
	paper_id: string;
	submitted_by: string;
	submitted_at: string;
	submitter_id: string | null;
	username: string | null;
	display_name: string | null;
};

function toPick(row: PickQueryRow): PickWithSubmitter {
	return {
		day: row.day,
		paperId: row.paper_id,
		submittedBy: row.submitted_by,
		submittedAt: row.submitted_at,
		memberId: row.submitter_id,
		username: row.username,
		displayName: row.display_name
	};
}

/** The first pick of a paper (any day, any source), or undefined when it was never picked. */
export async function findFirstPickOf(
	db: Db,
	paperId: string
): Promise<PickWithSubmitter | undefined> {
	const row = await pickQuery(db)
		.where('daily_picks.paper_id', '=', paperId)
		.orderBy('daily_picks.day')
		.orderBy('daily_picks.submitted_at')
		.limit(1)
		.executeTakeFirst();
	return row && toPick(row);
}

/** The picks named by (day, paper), with their submitters; keyed `day paperId`. */
export async function findPicks(
	db: Db,
	keys: { day: string; paperId: string }[]
): Promise<Map<string, PickWithSubmitter>> {
	const found = new Map<string, PickWithSubmitter>();
	if (keys.length === 0) return found;
	const ids = [...new Set(keys.map((k) => k.paperId))];
	const wanted = new Set(keys.map((k) => pickKey(k.day, k.paperId)));
	for (let i = 0; i < ids.length; i += 500) {
		const rows = await pickQuery(db)
			.where('daily_picks.paper_id', 'in', ids.slice(i, i + 500))
			.execute();
		for (const row of rows) {
			const key = pickKey(row.day, row.paper_id);
			if (wanted.has(key)) found.set(key, toPick(row));
		}
	}
	return found;
}

/** The key of findPicks' map. */
export function pickKey(day: string, paperId: string): string {
	return `${day} ${paperId}`;
}

/** How many papers a member submitted on one UTC day. */
export async function countMemberPicksOn(db: Db, memberId: string, day: string): Promise<number> {
	const row = await db
		.selectFrom('daily_picks')
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.where('submitter_id', '=', memberId)
		.where('day', '=', day)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** Records a member's submission as a pick; false when the paper is already picked that day. */
export async function insertMemberPick(
	db: Db,
	pick: { day: string; paperId: string; username: string; memberId: string; submittedAt: string }
): Promise<boolean> {
	const row = await db
		.insertInto('daily_picks')
		.values({
			day: pick.day,
			paper_id: pick.paperId,
			source: 'member',
			submitted_by: pick.username,
			submitted_at: pick.submittedAt,
			submitter_id: pick.memberId
		})
		.onConflict((oc) => oc.columns(['day', 'paper_id']).doNothing())
		.returning('paper_id')
		.executeTakeFirst();
	return row !== undefined;
}
