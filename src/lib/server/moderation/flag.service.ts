/**
 * Members flag a comment or a paper for the moderators, with a reason. One flag per
 * member and target; the route has already checked that the member may write
 * (`requireWriter`) and counted the `flag` rate limit.
 */
import { randomBytes } from 'node:crypto';
import { checkFlagReason, type FlagKind } from '$lib/core/moderation';
import type { Member } from '$lib/core/member';
import type { Db } from '../db/create-db';
import { BadRequestError, ConflictError, NotFoundError } from '../errors';
import { findPaper } from '../papers/paper.repository';
import { insertFlag } from './flag.repository';
import { findCommentTargets } from './moderation.repository';

/** What the flag page shows of the thing being flagged. */
export interface FlagTargetPreview {
	kind: FlagKind;
	id: string;
	/** The paper's id (a comment's paper, or the paper itself). */
	paperId: string;
	/** The paper's title, or the start of the comment. */
	text: string;
	/** The comment's author; null for a paper. */
	authorUsername: string | null;
}

const EXCERPT = 280;

/**
 * The comment or paper a member may flag, or NotFoundError: an unknown or forged id, a
 * deleted comment, or a paper a moderator already hid are not there for readers.
 */
export async function findFlagTarget(
	db: Db,
	kind: FlagKind,
	id: string
): Promise<FlagTargetPreview> {
	// Ids are short (arXiv ids, 16-character comment ids): anything far longer names nothing.
	if (id.length > 0 && id.length <= 64) {
		if (kind === 'paper') {
			const paper = await findPaper(db, id);
			if (paper && !paper.hiddenAt)
				return { kind, id, paperId: paper.id, text: paper.title, authorUsername: null };
		} else {
			const comment = (await findCommentTargets(db, [id])).get(id);
			if (comment && comment.deletedAt === null && comment.hiddenAt === null)
				return {
					kind,
					id,
					paperId: comment.paperId,
					text: comment.body.slice(0, EXCERPT),
					authorUsername: comment.authorUsername
				};
		}
	}
	throw new NotFoundError(`There is no ${kind} "${id.slice(0, 64)}" to flag.`);
}

/**
 * Records `member`'s flag on a comment or paper. BadRequestError for an empty or
 * over-long reason, NotFoundError for a target readers cannot see, ConflictError when
 * this member already flagged it; each changes nothing.
 *
 * @example
 * await flagTarget(db, ada, { kind: 'paper', id: '2406.00001', reason: 'Not a paper' }); // stored
 * await flagTarget(db, ada, { kind: 'paper', id: '2406.00001', reason: 'again' }); // ConflictError
 */
export async function flagTarget(
	db: Db,
	member: Member,
	input: { kind: FlagKind; id: string; reason: string },
	now: Date = new Date()
): Promise<FlagTargetPreview> {
	const reason = checkFlagReason(input.reason);
	if (!reason.ok) throw new BadRequestError(reason.problem);
	const target = await findFlagTarget(db, input.kind, input.id);
	const added = await insertFlag(db, {
		id: randomBytes(12).toString('base64url'),
		memberId: member.id,
		kind: input.kind,
		targetId: target.id,
		reason: reason.reason,
		createdAt: now.toISOString()
	});
	if (!added)
		throw new ConflictError(
			`You have already flagged this ${input.kind}; the moderators will look at it.`
		);
	return target;
}
