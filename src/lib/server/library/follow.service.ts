/**
 * Following: a member follows authors (the name exactly as written on papers: one
 * name, one author; no merging of spellings), arXiv categories and other members,
 * and /me shows what is new from them. Following twice keeps one follow;
 * unfollowing what is not followed changes nothing.
 */
import { isArxivCategory } from '$lib/core/arxiv-categories';
import type { FollowedThing, FollowKind } from '$lib/core/follow';
import { links } from '$lib/links';
import type { Db } from '../db/create-db';
import { BadRequestError, ConflictError, NotFoundError } from '../errors';
import { findMemberById, findMembersByIds } from '../members/member.repository';
import {
	countFollows,
	deleteFollow,
	findAuthorId,
	insertFollow,
	isFollowing,
	listFollows
} from './follow.repository';

/** How many things one member may follow: enough for anyone, few enough for /me's queries. */
export const MAX_FOLLOWS = 500;

// Stored author names are at most a few hundred characters; a longer target names nobody.
const LONGEST_TARGET = 300;

export interface FollowChange {
	memberId: string;
	kind: FollowKind;
	target: string;
}

/** Checks that the target exists (and is not the member) before following it. */
async function checkTarget(db: Db, change: FollowChange): Promise<void> {
	const { kind, target } = change;
	if (target.length === 0 || target.length > LONGEST_TARGET) {
		throw new BadRequestError(
			`Say which ${kind} to follow (at most ${LONGEST_TARGET} characters).`
		);
	}
	if (kind === 'category') {
		if (!isArxivCategory(target)) {
			throw new BadRequestError(
				`"${target.slice(0, 40)}" is not an arXiv category; categories look like cs.CL or hep-th.`
			);
		}
		return;
	}
	if (kind === 'author') {
		if ((await findAuthorId(db, target)) === undefined) {
			throw new NotFoundError(
				`No paper here has an author written "${target.slice(0, 100)}"; follow a name as it appears on a paper.`
			);
		}
		return;
	}
	if (target === change.memberId) throw new BadRequestError('You cannot follow yourself.');
	const member = await findMemberById(db, target);
	if (!member || member.status === 'banned') {
		throw new NotFoundError('There is no such member to follow.');
	}
}

/**
 * Follows an author, category or member. BadRequestError for an invalid category,
 * an empty target or oneself; NotFoundError for an author no paper names or an
 * unknown member; ConflictError past MAX_FOLLOWS.
 */
export async function follow(db: Db, change: FollowChange, now: Date = new Date()): Promise<void> {
	await checkTarget(db, change);
	if (await isFollowing(db, change)) return;
	if ((await countFollows(db, change.memberId)) >= MAX_FOLLOWS) {
		throw new ConflictError(
			`You follow ${MAX_FOLLOWS} things already; unfollow some before following more.`
		);
	}
	await insertFollow(db, { ...change, createdAt: now.toISOString() });
}

/** Stops following; unfollowing what is not followed changes nothing. */
export async function unfollow(db: Db, change: FollowChange): Promise<void> {
	await deleteFollow(db, change);
}

/** Whether the reader follows one thing (false when signed out), for a follow button. */
export async function readerFollows(
	db: Db,
	member: { id: string } | null | undefined,
	kind: FollowKind,
	target: string
): Promise<boolean> {
	return member ? isFollowing(db, { memberId: member.id, kind, target }) : false;
}

/** What a member follows, with labels and links; members who left or were banned are left out. */
export async function listFollowed(db: Db, memberId: string): Promise<FollowedThing[]> {
	const rows = await listFollows(db, memberId);
	const members = await findMembersByIds(
		db,
		rows.filter((r) => r.kind === 'member').map((r) => r.target)
	);
	return rows.flatMap((row): FollowedThing[] => {
		if (row.kind === 'author') {
			return [
				{ kind: 'author', target: row.target, label: row.target, href: links.author(row.target) }
			];
		}
		if (row.kind === 'category') {
			return [
				{
					kind: 'category',
					target: row.target,
					label: row.target,
					href: links.category(row.target)
				}
			];
		}
		const member = members.get(row.target);
		if (row.kind !== 'member' || !member || member.status === 'banned') return [];
		return [
			{
				kind: 'member',
				target: row.target,
				label: member.username,
				href: links.member(member.username)
			}
		];
	});
}
