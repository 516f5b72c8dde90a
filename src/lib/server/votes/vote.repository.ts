/**
 * SQL for members' votes: the `paper_votes` rows and the count kept next to the
 * paper (`papers.member_upvotes`). The count is changed only here, in the same
 * transaction as the row, so the two never disagree.
 */
import { sql } from 'kysely';
import type { Db } from '../db/create-db';

/** The vote counts of one paper. */
export interface PaperVoteCounts {
	sourceUpvotes: number;
	memberUpvotes: number;
}

/**
 * Records a member's vote when the paper exists and the member has not voted
 * for it yet; whether a row was added (a missing paper adds none, rather than
 * failing the foreign key).
 */
export async function insertVote(
	db: Db,
	vote: { paperId: string; memberId: string; createdAt: string }
): Promise<boolean> {
	const row = await db
		.insertInto('paper_votes')
		.columns(['paper_id', 'member_id', 'created_at'])
		.expression((eb) =>
			eb
				.selectFrom('papers')
				.select([
					'papers.id',
					sql<string>`cast(${vote.memberId} as text)`.as('member_id'),
					sql<string>`cast(${vote.createdAt} as text)`.as('created_at')
				])
				.where('papers.id', '=', vote.paperId)
		)
		.onConflict((oc) => oc.columns(['paper_id', 'member_id']).doNothing())
		.returning('paper_id')
		.executeTakeFirst();
	return row !== undefined;
}

/** Removes a member's vote; whether there was one. */
export async function deleteVote(
	db: Db,
	vote: { paperId: string; memberId: string }
): Promise<boolean> {
	const row = await db
		.deleteFrom('paper_votes')
		.where('paper_id', '=', vote.paperId)
		.where('member_id', '=', vote.memberId)
		.returning('paper_id')
		.executeTakeFirst();
	return row !== undefined;
}

/**
 * Adds `delta` to a paper's member count and moves the paper to change-feed
 * position `seq` (so search replicas pick up the new total); the new counts.
 */
export async function adjustMemberUpvotes(
	db: Db,
	change: { paperId: string; delta: number; seq: number; modifiedAt: string }
): Promise<PaperVoteCounts> {
	const row = await db
		.updateTable('papers')
		.set((eb) => ({
			member_upvotes: eb('member_upvotes', '+', change.delta),
			seq: change.seq,
			modified_at: change.modifiedAt
		}))
		.where('id', '=', change.paperId)
		.returning(['source_upvotes', 'member_upvotes'])
		.executeTakeFirstOrThrow();
	return { sourceUpvotes: row.source_upvotes, memberUpvotes: row.member_upvotes };
}

/** A paper's vote counts, or undefined when there is no such paper or a moderator hid it. */
export async function findVoteCounts(
	db: Db,
	paperId: string
): Promise<PaperVoteCounts | undefined> {
	const row = await db
		.selectFrom('papers')
		.select(['source_upvotes', 'member_upvotes'])
		.where('id', '=', paperId)
		.where('hidden_at', 'is', null)
		.executeTakeFirst();
	return row && { sourceUpvotes: row.source_upvotes, memberUpvotes: row.member_upvotes };
}

/** Whether a member votes for a paper. */
export async function hasVoted(
	db: Db,
	vote: { paperId: string; memberId: string }
): Promise<boolean> {
	const row = await db
		.selectFrom('paper_votes')
		.select('paper_id')
		.where('paper_id', '=', vote.paperId)
		.where('member_id', '=', vote.memberId)
		.executeTakeFirst();
	return row !== undefined;
}

/** How many vote rows a paper has (the count `member_upvotes` must equal). */
export async function countVoteRows(db: Db, paperId: string): Promise<number> {
	const row = await db
		.selectFrom('paper_votes')
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.where('paper_id', '=', paperId)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** The ids among `paperIds` that the member has a vote row for. */
export async function listVotedPaperIds(
	db: Db,
	memberId: string,
	paperIds: string[]
): Promise<string[]> {
	if (paperIds.length === 0) return [];
	const rows = await db
		.selectFrom('paper_votes')
		.select('paper_id')
		.where('member_id', '=', memberId)
		.where('paper_id', 'in', paperIds)
		.execute();
	return rows.map((row) => row.paper_id);
}
