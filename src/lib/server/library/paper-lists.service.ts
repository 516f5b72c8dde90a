/**
 * Author pages (`/authors/{name}`) and category pages (`/categories/{cat}`): the
 * papers, newest first and paged, as cards like the feed's. One author page per
 * written name: the name must match a stored `authors.name` exactly, and no variant
 * spelling is merged into it (we cannot tell two people with one name apart, nor one
 * person with two spellings).
 */
import { isArxivCategory } from '$lib/core/arxiv-categories';
import type { FollowKind } from '$lib/core/follow';
import type { FeedPaper, ReaderVotes } from '$lib/core/paper-views';
import type { Db } from '../db/create-db';
import type { PaperRow } from '../db/schema';
import { BadRequestError, NotFoundError } from '../errors';
import { withAuthors } from '../papers/paper.repository';
import { findFirstPicks } from '../trending/trending.repository';
import { readerVotes } from '../votes/vote.service';
import { readerFollows } from './follow.service';
import { findAuthorId } from './follow.repository';
import {
	listAuthorPapers,
	listCategoryPapers,
	listCoauthors,
	summarizeAuthor
} from './paper-lists.repository';

const COAUTHORS_SHOWN = 30;
// Longer than any stored author name: such a name cannot be on a page.
const LONGEST_NAME = 300;

export interface AuthorPage {
	name: string;
	papers: FeedPaper[];
	/** Visible papers naming the author. */
	total: number;
	/** Their upvotes in total, as shown elsewhere: source plus members. */
	upvotes: number;
	coauthors: { name: string; papers: number }[];
	page: number;
	pageSize: number;
}

export interface CategoryPage {
	category: string;
	papers: FeedPaper[];
	/** Whether a page follows this one. */
	hasMore: boolean;
	page: number;
	pageSize: number;
}

/** Rows as cards: authors attached, and the first daily pick if the paper had one. */
export async function asCards(db: Db, rows: PaperRow[]): Promise<FeedPaper[]> {
	const papers = await withAuthors(db, rows);
	const picks = await findFirstPicks(
		db,
		papers.map((p) => p.id)
	);
	return papers.map((paper) => {
		const pick = picks.get(paper.id);
		return {
			...paper,
			pickDay: pick?.day ?? paper.publishedAt.slice(0, 10),
			submittedBy: pick?.submittedBy ?? '',
			submittedAt: pick?.submittedAt ?? paper.publishedAt
		};
	});
}

/**
 * One page (from 0) of an author's papers, their co-authors and upvotes. NotFoundError
 * when no paper names the author exactly so, or when all their papers are hidden.
 */
export async function loadAuthorPage(
	db: Db,
	name: string,
	request: { page: number; pageSize: number }
): Promise<AuthorPage> {
	const authorId = name.length <= LONGEST_NAME ? await findAuthorId(db, name) : undefined;
	const summary = authorId === undefined ? undefined : await summarizeAuthor(db, authorId);
	if (authorId === undefined || !summary || summary.papers === 0) {
		throw new NotFoundError(
			`No paper here has an author written "${name.slice(0, 100)}". Author pages go by the name exactly as it appears on papers.`
		);
	}
	const { page, pageSize } = request;
	const [rows, coauthors] = await Promise.all([
		listAuthorPapers(db, authorId, { limit: pageSize, offset: page * pageSize }),
		listCoauthors(db, authorId, COAUTHORS_SHOWN)
	]);
	return {
		name,
		papers: await asCards(db, rows),
		total: summary.papers,
		upvotes: summary.upvotes,
		coauthors,
		page,
		pageSize
	};
}

/**
 * One page (from 0) of a category's papers, newest first. BadRequestError when the
 * text is not an arXiv category; NotFoundError when no visible paper is in it.
 */
export async function loadCategoryPage(
	db: Db,
	category: string,
	request: { page: number; pageSize: number }
): Promise<CategoryPage> {
	if (!isArxivCategory(category)) {
		throw new BadRequestError(
			`"${category.slice(0, 40)}" is not an arXiv category; categories look like cs.CL or hep-th.`
		);
	}
	const { page, pageSize } = request;
	const rows = await listCategoryPapers(db, [category], {
		limit: pageSize + 1,
		offset: page * pageSize
	});
	if (
		rows.length === 0 &&
		(page === 0 || (await listCategoryPapers(db, [category], { limit: 1, offset: 0 })).length === 0)
	) {
		throw new NotFoundError(`No paper here is in the category ${category}.`);
	}
	return {
		category,
		papers: await asCards(db, rows.slice(0, pageSize)),
		hasMore: rows.length > pageSize,
		page,
		pageSize
	};
}

/**
 * What a list page with a follow button needs to know of its reader: which of its papers
 * they vote for and saved (one query), and whether they follow the author or category.
 */
export async function readerStateOf(
	db: Db,
	member: { id: string } | null,
	papers: readonly { id: string }[],
	followed: { kind: FollowKind; target: string }
): Promise<{ votes: ReaderVotes; following: boolean }> {
	const [votes, following] = await Promise.all([
		readerVotes(
			db,
			member,
			papers.map((paper) => paper.id)
		),
		readerFollows(db, member, followed.kind, followed.target)
	]);
	return { votes, following };
}
