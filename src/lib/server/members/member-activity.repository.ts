/** SQL for what a member did: the papers they submitted (daily picks) and the papers they upvoted. */
import type { Db } from '../db/create-db';

/** One of a member's submissions: the pick that put a paper on a day. */
export interface SubmissionRow {
	paperId: string;
	day: string;
	submittedBy: string;
	submittedAt: string;
}

/** One of a member's standing upvotes. */
export interface UpvoteRow {
	paperId: string;
	votedAt: string;
}

/**
 * A member's submissions, newest first (index `daily_picks_submitter`); a paper
 * submitted on two days appears once for each day.
 */
export async function listSubmissions(
	db: Db,
	memberId: string,
	range: { limit: number; offset: number }
): Promise<SubmissionRow[]> {
	const rows = await db
		.selectFrom('daily_picks')
		.select(['paper_id', 'day', 'submitted_by', 'submitted_at'])
		.where('submitter_id', '=', memberId)
		.orderBy('submitted_at', 'desc')
		.orderBy('paper_id')
		.limit(range.limit)
		.offset(range.offset)
		.execute();
	return rows.map((r) => ({
		paperId: r.paper_id,
		day: r.day,
		submittedBy: r.submitted_by,
		submittedAt: r.submitted_at
	}));
}

export async function countSubmissions(db: Db, memberId: string): Promise<number> {
	const row = await db
		.selectFrom('daily_picks')
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.where('submitter_id', '=', memberId)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** The papers a member upvotes, most recent vote first (index `paper_votes_member`). */
export async function listUpvotes(
	db: Db,
	memberId: string,
	range: { limit: number; offset: number }
): Promise<UpvoteRow[]> {
	const rows = await db
		.selectFrom('paper_votes')
		.select(['paper_id', 'created_at'])
		.where('member_id', '=', memberId)
		.orderBy('created_at', 'desc')
		.orderBy('paper_id')
		.limit(range.limit)
		.offset(range.offset)
		.execute();
	return rows.map((r) => ({ paperId: r.paper_id, votedAt: r.created_at }));
}

export async function countUpvotes(db: Db, memberId: string): Promise<number> {
	const row = await db
		.selectFrom('paper_votes')
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.where('member_id', '=', memberId)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}
