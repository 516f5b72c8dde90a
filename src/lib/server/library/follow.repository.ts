/** SQL for follows (`follows`): what a member follows, and who follows what. */
import type { Db } from '../db/create-db';

export interface FollowRow {
	kind: string;
	target: string;
	createdAt: string;
}

/** Follows a thing; following it again keeps the first row. */
export async function insertFollow(
	db: Db,
	row: { memberId: string; kind: string; target: string; createdAt: string }
): Promise<void> {
	await db
		.insertInto('follows')
		.values({
			member_id: row.memberId,
			kind: row.kind,
			target: row.target,
			created_at: row.createdAt
		})
		.onConflict((oc) => oc.columns(['member_id', 'kind', 'target']).doNothing())
		.execute();
}

export async function deleteFollow(
	db: Db,
	row: { memberId: string; kind: string; target: string }
): Promise<void> {
	await db
		.deleteFrom('follows')
		.where('member_id', '=', row.memberId)
		.where('kind', '=', row.kind)
		.where('target', '=', row.target)
		.execute();
}

/** Everything a member follows, oldest first (the key's prefix). A member follows at most MAX_FOLLOWS things. */
export async function listFollows(db: Db, memberId: string): Promise<FollowRow[]> {
	const rows = await db
		.selectFrom('follows')
		.select(['kind', 'target', 'created_at'])
		.where('member_id', '=', memberId)
		.orderBy('created_at')
		.orderBy('kind')
		.orderBy('target')
		.execute();
	return rows.map((r) => ({ kind: r.kind, target: r.target, createdAt: r.created_at }));
}

export async function countFollows(db: Db, memberId: string): Promise<number> {
	const row = await db
		.selectFrom('follows')
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.where('member_id', '=', memberId)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** Whether the member follows this one thing. */
export async function isFollowing(
	db: Db,
	row: { memberId: string; kind: string; target: string }
): Promise<boolean> {
	const found = await db
		.selectFrom('follows')
		.select('target')
		.where('member_id', '=', row.memberId)
		.where('kind', '=', row.kind)
		.where('target', '=', row.target)
		.executeTakeFirst();
	return found !== undefined;
}

/** The author's id when some paper names exactly this author (the unique `authors.name`). */
export async function findAuthorId(db: Db, name: string): Promise<number | undefined> {
	const row = await db
		.selectFrom('authors')
		.select('id')
		.where('name', '=', name)
		.executeTakeFirst();
	return row?.id;
}
