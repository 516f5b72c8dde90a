/**
 * Members' votes for papers. What readers see as a paper's "upvotes" (feed
 * order, paper page, API, search `sort:upvotes`) is one number: the count the
 * source (Hugging Face) reported plus our members' votes. The source's count
 * only rises, so it is kept apart (`source_upvotes`, written by savePapers);
 * members' votes can be taken back and live here. Routes call it for the
 * signed-in member (`/api/papers/{id}/upvote`, the no-JavaScript form at
 * `/papers/{id}/vote`).
 */
import type { ReaderVotes } from '$lib/core/paper-views';
import type { Db } from '../db/create-db';
import { ForbiddenError, NotFoundError } from '../errors';
import { savedAmong } from '../library/saved.service';
import { lockSeqCounter, reserveSeq } from '../papers/paper.repository';
import {
	adjustMemberUpvotes,
	deleteVote,
	findVoteCounts,
	insertVote,
	listVotedPaperIds,
	type PaperVoteCounts
} from './vote.repository';

export interface VoteOutcome {
	paperId: string;
	/** Whether the member votes for the paper now. */
	voted: boolean;
	/** False when the call changed nothing (a second vote, or retracting no vote). */
	changed: boolean;
	sourceUpvotes: number;
	memberUpvotes: number;
	/** The one number readers see: source count plus members' votes. */
	upvotes: number;
}

/**
 * Casts a member's vote for a paper. Idempotent: a second vote from the same
 * member counts once. Throws NotFoundError when there is no such paper.
 *
 * @example
 * await castVote(db, { paperId: '2406.00001', memberId: 'm1' }); // { voted: true, changed: true, upvotes: 41, … }
 * await castVote(db, { paperId: '2406.00001', memberId: 'm1' }); // { voted: true, changed: false, upvotes: 41, … }
 */
export function castVote(
	db: Db,
	vote: { paperId: string; memberId: string },
	now: Date = new Date()
): Promise<VoteOutcome> {
	return changeVote(db, vote, 'cast', now);
}

/**
 * Takes a member's vote back; retracting a vote the member never cast changes
 * nothing. Throws NotFoundError when there is no such paper.
 */
export function retractVote(
	db: Db,
	vote: { paperId: string; memberId: string },
	now: Date = new Date()
): Promise<VoteOutcome> {
	return changeVote(db, vote, 'retract', now);
}

/**
 * The vote row, the paper's count and its change-feed position change in one
 * transaction. The counter row is locked first, the order savePapers takes too:
 * the vote row's foreign-key check holds a share lock on the paper until commit,
 * and updating the paper's `seq` (a unique column) needs an exclusive one, so
 * two votes that locked the counter after the paper deadlocked on PostgreSQL.
 * Holding the counter to commit also keeps `seq` order commit order for the
 * search replicas.
 */
async function changeVote(
	db: Db,
	vote: { paperId: string; memberId: string },
	action: 'cast' | 'retract',
	now: Date
): Promise<VoteOutcome> {
	try {
		return await applyVote(db, vote, action, now);
	} catch (error) {
		if (isUnknownMemberError(error)) {
			throw new ForbiddenError(`Only members can vote; there is no member ${vote.memberId}.`, {
				cause: error
			});
		}
		throw error;
	}
}

async function applyVote(
	db: Db,
	vote: { paperId: string; memberId: string },
	action: 'cast' | 'retract',
	now: Date
): Promise<VoteOutcome> {
	return db.transaction().execute(async (trx) => {
		await lockSeqCounter(trx);
		return voteWithin(trx, vote, action, now);
	});
}

/**
 * Casts a member's vote inside a transaction the caller holds, so that it commits
 * or rolls back with the caller's other writes (a submission's pick and its
 * submitter's upvote). The caller must have taken the change-feed counter's lock
 * (`lockSeqCounter`) first, as changeVote does; otherwise as castVote.
 */
export function castVoteWithin(
	trx: Db,
	vote: { paperId: string; memberId: string },
	now: Date = new Date()
): Promise<VoteOutcome> {
	return voteWithin(trx, vote, 'cast', now);
}

async function voteWithin(
	trx: Db,
	vote: { paperId: string; memberId: string },
	action: 'cast' | 'retract',
	now: Date
): Promise<VoteOutcome> {
	const nowText = now.toISOString();
	// A hidden paper takes no votes either way: to everyone but moderators it does not exist.
	const before = await findVoteCounts(trx, vote.paperId);
	if (!before) throw new NotFoundError(`No paper ${vote.paperId}`);
	const changed =
		action === 'cast'
			? await insertVote(trx, { ...vote, createdAt: nowText })
			: await deleteVote(trx, vote);
	const counts: PaperVoteCounts = changed
		? await adjustMemberUpvotes(trx, {
				paperId: vote.paperId,
				delta: action === 'cast' ? 1 : -1,
				seq: await reserveSeq(trx, 1),
				modifiedAt: nowText
			})
		: before;
	return {
		paperId: vote.paperId,
		voted: action === 'cast',
		changed,
		...counts,
		upvotes: counts.sourceUpvotes + counts.memberUpvotes
	};
}

/**
 * Whether a failed vote was refused because its member does not exist: PostgreSQL's
 * foreign key (SQLSTATE 23503 on paper_votes_member_fk), SQLite's trigger (the
 * members migration raises "FOREIGN KEY constraint failed: paper_votes.member_id").
 */
function isUnknownMemberError(error: unknown): boolean {
	if (!(error instanceof Error)) return false;
	const { code, constraint } = error as Error & { code?: unknown; constraint?: unknown };
	if (code === '23503' && constraint === 'paper_votes_member_fk') return true;
	return error.message.includes('paper_votes.member_id');
}

/**
 * Which of `paperIds` the member votes for: one query per page of cards, so the
 * feed, trending, search and the paper page can show each button pressed or not.
 *
 * @example
 * await votedPaperIds(db, 'm1', ['2406.00001', '2406.00002']); // Set { '2406.00002' }
 */
export async function votedPaperIds(
	db: Db,
	memberId: string | undefined,
	paperIds: readonly string[]
): Promise<Set<string>> {
	if (!memberId || paperIds.length === 0) return new Set();
	return new Set(await listVotedPaperIds(db, memberId, [...new Set(paperIds)]));
}

/**
 * What a page's vote and save buttons need to know about its reader: signed in, which
 * papers they vote for, and which are on their reading list (one query each).
 */
export async function readerVotes(
	db: Db,
	member: { id: string } | null | undefined,
	paperIds: readonly string[]
): Promise<ReaderVotes> {
	if (!member) return { signedIn: false, voted: [], saved: [] };
	const [voted, saved] = await Promise.all([
		votedPaperIds(db, member.id, paperIds),
		savedAmong(db, member, paperIds)
	]);
	return { signedIn: true, voted: [...voted], saved };
}
