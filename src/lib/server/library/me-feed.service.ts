/**
 * `/me`: what is new from what a member follows. A paper comes in when a followed
 * author's paper or a paper in a followed category is first published (arXiv v1,
 * `published_at`), or when a followed member submits it (the pick's `submitted_at`)
 * or upvotes it (the vote's `created_at`); its time is the latest of these. Only the
 * last WINDOW_DAYS count, newest first, paged. A paper whose time is after the
 * member's previous visit (`members.me_seen_at`) is "new"; each visit moves that to now.
 */
import type { FeedPaper } from '$lib/core/paper-views';
import type { FollowedThing, FollowReason } from '$lib/core/follow';
import type { Db } from '../db/create-db';
import { listFollowed } from './follow.service';
import {
	findAuthorNamesAmong,
	findMeSeenAt,
	listCategoryPapers,
	listPapersByAuthorNames,
	listSubmittedBy,
	listUpvotedBy,
	updateMeSeenAt,
	type ListedPaperId
} from './paper-lists.repository';
import { findPapers } from '../papers/paper.repository';
import { findFirstPicks } from '../trending/trending.repository';

/** How far back /me looks. */
export const WINDOW_DAYS = 30;
/** The deepest page /me serves (from 0): /me is news, not an archive. */
export const LAST_PAGE = 9;

export type MePaper = FeedPaper & { at: string; isNew: boolean; reasons: FollowReason[] };

export interface MePage {
	follows: FollowedThing[];
	papers: MePaper[];
	hasMore: boolean;
	/** The previous visit, before this one moved it (null: the first visit). */
	seenAt: string | null;
	page: number;
	pageSize: number;
}

/**
 * One page (from 0) of what is new from what the member follows, marked "new" against
 * their previous visit. Does not move the visit: the route calls markMeSeen after.
 */
export async function loadMePage(
	db: Db,
	memberId: string,
	request: { page: number; pageSize: number },
	now: Date = new Date()
): Promise<MePage> {
	const { page, pageSize } = request;
	const [follows, seenAt] = await Promise.all([
		listFollowed(db, memberId),
		findMeSeenAt(db, memberId)
	]);
	const since = new Date(now.getTime() - WINDOW_DAYS * 86_400_000).toISOString();
	// Each source's newest `wanted` papers hold the newest `wanted` distinct papers of their
	// union: a paper above the cut in the union is above it in the source that gave its time.
	const wanted = (page + 1) * pageSize + 1;
	const names = follows.filter((f) => f.kind === 'author').map((f) => f.target);
	const categories = follows.filter((f) => f.kind === 'category').map((f) => f.target);
	const members = follows.filter((f) => f.kind === 'member');
	const memberIds = members.map((f) => f.target);
	const [byAuthors, inCategories, submitted, upvoted] = await Promise.all([
		listPapersByAuthorNames(db, names, { limit: wanted, since }),
		listCategoryPapers(db, categories, { limit: wanted, offset: 0, since }).then((rows) =>
			rows.map((r): ListedPaperId => ({ paperId: r.id, at: r.published_at }))
		),
		listSubmittedBy(db, memberIds, { limit: wanted, since }),
		listUpvotedBy(db, memberIds, { limit: wanted, since })
	]);

	const latest = new Map<string, string>();
	for (const item of [...byAuthors, ...inCategories, ...submitted, ...upvoted]) {
		const seen = latest.get(item.paperId);
		if (!seen || item.at > seen) latest.set(item.paperId, item.at);
	}
	const ordered = [...latest]
		.sort(([aId, aAt], [bId, bAt]) => (aAt === bAt ? aId.localeCompare(bId) : aAt < bAt ? 1 : -1))
		.slice(page * pageSize, (page + 1) * pageSize + 1);
	const shown = ordered.slice(0, pageSize);
	const ids = shown.map(([id]) => id);

	const papers = await findPapers(db, ids);
	const cards = await asCardsInOrder(db, ids, papers);
	const reasons = await explain(db, ids, papers, {
		names,
		follows,
		byAuthors: new Set(byAuthors.map((p) => p.paperId)),
		submitted,
		upvoted
	});
	return {
		follows,
		papers: cards.map((card) => {
			const at = latest.get(card.id) ?? card.publishedAt;
			return {
				...card,
				at,
				isNew: seenAt === null || at > seenAt,
				reasons: reasons.get(card.id) ?? []
			};
		}),
		hasMore: ordered.length > pageSize,
		seenAt,
		page,
		pageSize
	};
}

/** Moves the member's last visit of /me to `now`: what came before is no longer new. */
export async function markMeSeen(db: Db, memberId: string, now: Date = new Date()): Promise<void> {
	await updateMeSeenAt(db, memberId, now.toISOString());
}

/** The stored papers as cards, in the order of `ids`, with their first daily pick if any. */
async function asCardsInOrder(
	db: Db,
	ids: string[],
	papers: Awaited<ReturnType<typeof findPapers>>
): Promise<FeedPaper[]> {
	const picks = await findFirstPicks(db, ids);
	return ids.flatMap((id) => {
		const paper = papers.get(id);
		if (!paper) return [];
		const pick = picks.get(id);
		return [
			{
				...paper,
				pickDay: pick?.day ?? paper.publishedAt.slice(0, 10),
				submittedBy: pick?.submittedBy ?? '',
				submittedAt: pick?.submittedAt ?? paper.publishedAt
			}
		];
	});
}

/** Why each shown paper is on /me: the followed authors, categories and members that brought it. */
async function explain(
	db: Db,
	ids: string[],
	papers: Awaited<ReturnType<typeof findPapers>>,
	found: {
		names: string[];
		follows: FollowedThing[];
		byAuthors: Set<string>;
		submitted: { paperId: string; memberId: string }[];
		upvoted: { paperId: string; memberId: string }[];
	}
): Promise<Map<string, FollowReason[]>> {
	const reasons = new Map<string, FollowReason[]>();
	const add = (id: string, reason: FollowReason) => {
		const list = reasons.get(id) ?? [];
		if (!list.some((r) => r.how === reason.how && r.label === reason.label)) list.push(reason);
		reasons.set(id, list);
	};
	const followed = (kind: string, target: string) =>
		found.follows.find((f) => f.kind === kind && f.target === target);
	const shown = new Set(ids);
	for (const { paperId, name } of await findAuthorNamesAmong(
		db,
		ids.filter((id) => found.byAuthors.has(id)),
		found.names
	)) {
		const thing = followed('author', name);
		if (thing) add(paperId, { kind: 'author', how: 'by', label: thing.label, href: thing.href });
	}
	for (const id of ids) {
		for (const category of papers.get(id)?.categories ?? []) {
			const thing = followed('category', category);
			if (thing) add(id, { kind: 'category', how: 'in', label: thing.label, href: thing.href });
		}
	}
	for (const [list, how] of [
		[found.submitted, 'submitted'],
		[found.upvoted, 'upvoted']
	] as const) {
		for (const { paperId, memberId } of list) {
			const thing = followed('member', memberId);
			if (thing && shown.has(paperId)) {
				add(paperId, { kind: 'member', how, label: thing.label, href: thing.href });
			}
		}
	}
	return reasons;
}
