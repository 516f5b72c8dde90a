/**
 * The shapes pages and components show, shared by the server (which builds them)
 * and components (which render them) without components importing server code.
 */
import type { PaperRecord } from './paper';
import type { Period } from './period';

/** A stored paper: the record plus what only the store knows. */
export interface StoredPaper extends PaperRecord {
	sourceUpvotes: number;
	/** Votes of our members (server/votes). */
	memberUpvotes: number;
	/**
	 * The one number readers see as "upvotes" (feed order, paper page, API, search
	 * `sort:upvotes`): the source's count plus our members' votes. A member who
	 * also upvoted on Hugging Face counts twice; we cannot tell the two apart.
	 */
	upvotes: number;
	/** The source's (Hugging Face's) count of comments, kept as imported; nobody can read those here. */
	numComments: number;
	/**
	 * Comments readers can read here (not deleted, not hidden): what cards, the paper page,
	 * the API's `numComments` and trending show, so a card never promises comments nobody can read.
	 */
	comments: number;
	seq: number;
	createdAt: string;
	modifiedAt: string;
	/** When a moderator hid the paper (gone from feeds, search and the API); absent when shown. */
	hiddenAt?: string;
	/** When a moderator locked its discussion (no new comments); absent when open. */
	threadLockedAt?: string;
}

/** Who put a paper in the daily list, as cards, the paper page and the API show them. */
export interface PickSubmitter {
	/** The member's id (their avatar's address); null for a name from imported Hugging Face data. */
	memberId: string | null;
	/** The member's username now (linked to their profile), or the imported name (not linked). */
	name: string;
	/** The member's display name; the imported name again otherwise. */
	displayName: string;
}

/** A paper in the feed, with the pick that put it there. */
export interface FeedPaper extends StoredPaper {
	pickDay: string;
	/** The name stored with the pick (a member's username at the time, or Hugging Face's name). */
	submittedBy: string;
	submittedAt: string;
	/** Who submitted it to the daily list, resolved (submissions/submission.service.ts withSubmitters); `submitter` is arXiv's. */
	pickSubmitter?: PickSubmitter;
}

/** One page of the feed for a day, week or month. */
export interface Feed {
	period: Period;
	papers: FeedPaper[];
	total: number;
	page: number;
	pageSize: number;
	/** Keys of the neighbouring periods worth linking to. */
	previous: string | null;
	next: string | null;
	/** True when no period was asked for and today had no picks, so the latest day is shown. */
	showingLatest: boolean;
	/** True when the store holds no picks at all. */
	storeIsEmpty: boolean;
}

/**
 * What the reader asking for a page has voted for among its papers, so each vote
 * button shows pressed or not. `signedIn` false: buttons lead to the sign-in page.
 */
export interface ReaderVotes {
	signedIn: boolean;
	/** Ids of the page's papers the signed-in member votes for. */
	voted: string[];
	/** Ids of the page's papers on the signed-in member's reading list (server/library). */
	saved?: string[];
}

/**
 * One search result as the search page shows it, and nothing more: the page
 * hydrates, so every field here travels twice (HTML and hydration data).
 */
export interface SearchHitSummary {
	id: string;
	/** Escaped title with `<mark>`ed matches. */
	titleHtml: string;
	/** Escaped window of the abstract with `<mark>`ed matches, never the whole abstract. */
	snippetHtml: string;
	/** The first authors shown, and how many there are in all. */
	authors: string[];
	authorCount: number;
	/** `YYYY-MM-DD`. */
	publishedDay: string;
	upvotes: number;
	exact: boolean;
}
