/**
 * What a member can follow, shared by the follow form (components), its endpoint and
 * the service: an author (the name as written on papers), an arXiv category, or a
 * member (by id). Pure: no I/O.
 */

export const FOLLOW_KINDS = ['author', 'category', 'member'] as const;
export type FollowKind = (typeof FOLLOW_KINDS)[number];

export function isFollowKind(text: string): text is FollowKind {
	return (FOLLOW_KINDS as readonly string[]).includes(text);
}

/** One thing a member follows, as /me lists it. */
export interface FollowedThing {
	kind: FollowKind;
	/** The author's name, the category, or the member's id. */
	target: string;
	/** What to show: the name, the category, or the member's username. */
	label: string;
	/** Where it lives on the site (author, category or member page). */
	href: string;
}

/** Why a paper is on /me: which followed thing brought it, and how. */
export interface FollowReason {
	kind: FollowKind;
	/** `by` an author, `in` a category, `submitted` or `upvoted` by a member. */
	how: 'by' | 'in' | 'submitted' | 'upvoted';
	label: string;
	href: string;
}
