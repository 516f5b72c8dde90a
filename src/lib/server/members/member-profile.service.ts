/**
 * A member's public profile page (`/u/{username}`): who they are, and one page of the
 * papers they submitted or upvoted, as cards like the feed's. A banned member's
 * profile lists nothing: the page only says the account is suspended.
 */
import type { Role } from '$lib/core/member';
import type { FeedPaper } from '$lib/core/paper-views';
import type { Db } from '../db/create-db';
import { NotFoundError } from '../errors';
import { findPapers } from '../papers/paper.repository';
import { findFirstPicks } from '../trending/trending.repository';
import {
	countSubmissions,
	countUpvotes,
	listSubmissions,
	listUpvotes
} from './member-activity.repository';
import { findMemberByUsername } from './member.repository';

/** The two lists of a profile. */
export const PROFILE_LISTS = ['submitted', 'upvoted'] as const;
export type ProfileList = (typeof PROFILE_LISTS)[number];

export function isProfileList(text: string): text is ProfileList {
	return (PROFILE_LISTS as readonly string[]).includes(text);
}

/** What anyone may see of a member: never their address. */
export interface PublicMember {
	id: string;
	username: string;
	displayName: string;
	role: Role;
	joinedAt: string;
	suspended: boolean;
}

/** A card on a profile, with when it entered the list (submitted or upvoted). */
export type ProfilePaper = FeedPaper & { listedAt: string };

export interface ProfilePage {
	member: PublicMember;
	list: ProfileList;
	papers: ProfilePaper[];
	/** How many papers each list holds (both zero for a suspended member). */
	counts: Record<ProfileList, number>;
	page: number;
	pageSize: number;
}

// Usernames have at most 32 characters; a longer one cannot name anybody.
const LONGEST_LOOKUP = 64;

/**
 * One page (from 0) of a member's submitted or upvoted papers, newest first. The
 * member is found whatever the case of `username`; the caller compares it with
 * `member.username` to redirect to the canonical address. NotFoundError when
 * nobody has that username.
 */
export async function loadProfile(
	db: Db,
	username: string,
	request: { list: ProfileList; page: number; pageSize: number }
): Promise<ProfilePage> {
	const stored =
		username.length <= LONGEST_LOOKUP ? await findMemberByUsername(db, username) : undefined;
	if (!stored) {
		throw new NotFoundError(
			`There is no member called "${username.slice(0, LONGEST_LOOKUP)}"; check the spelling of the username.`
		);
	}
	const member: PublicMember = {
		id: stored.id,
		username: stored.username,
		displayName: stored.displayName,
		role: stored.role,
		joinedAt: stored.createdAt,
		suspended: stored.status === 'banned'
	};
	const { list, page, pageSize } = request;
	const empty = { member, list, papers: [], page, pageSize };
	if (member.suspended) return { ...empty, counts: { submitted: 0, upvoted: 0 } };
	const [submitted, upvoted] = await Promise.all([
		countSubmissions(db, member.id),
		countUpvotes(db, member.id)
	]);
	const counts = { submitted, upvoted };
	const range = { limit: pageSize, offset: page * pageSize };
	const papers =
		list === 'submitted'
			? await submittedCards(db, member.id, range)
			: await upvotedCards(db, member.id, range);
	return { ...empty, papers, counts };
}

async function submittedCards(
	db: Db,
	memberId: string,
	range: { limit: number; offset: number }
): Promise<ProfilePaper[]> {
	const picks = await listSubmissions(db, memberId, range);
	const papers = await findPapers(
		db,
		picks.map((p) => p.paperId)
	);
	return picks.flatMap((pick) => {
		const paper = papers.get(pick.paperId);
		if (!paper || paper.hiddenAt) return [];
		return [
			{
				...paper,
				pickDay: pick.day,
				submittedBy: pick.submittedBy,
				submittedAt: pick.submittedAt,
				listedAt: pick.submittedAt
			}
		];
	});
}

async function upvotedCards(
	db: Db,
	memberId: string,
	range: { limit: number; offset: number }
): Promise<ProfilePaper[]> {
	const votes = await listUpvotes(db, memberId, range);
	const ids = votes.map((v) => v.paperId);
	const [papers, picks] = await Promise.all([findPapers(db, ids), findFirstPicks(db, ids)]);
	return votes.flatMap((vote) => {
		const paper = papers.get(vote.paperId);
		if (!paper || paper.hiddenAt) return [];
		// A paper never picked for a day shows its publication, as on trending.
		const pick = picks.get(vote.paperId);
		return [
			{
				...paper,
				pickDay: pick?.day ?? paper.publishedAt.slice(0, 10),
				submittedBy: pick?.submittedBy ?? '',
				submittedAt: pick?.submittedAt ?? paper.publishedAt,
				listedAt: vote.votedAt
			}
		];
	});
}
