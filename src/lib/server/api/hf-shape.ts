/**
 * Maps stored papers to the Hugging Face papers API shapes (field names as HF
 * uses them), so existing HF clients work against this server. Our additions
 * (`version`, `categories`, links) are extra fields that HF clients ignore.
 */
import { arxivAbsUrl, arxivPdfUrl } from '$lib/core/arxiv-id';
import type { PickSubmitter } from '$lib/core/paper-views';
import { absoluteUrl, links } from '$lib/links';
import type { StoredPaper } from '../papers/paper.repository';
import type { FeedPaper } from '../papers/feed.service';

export interface HfPaper {
	id: string;
	authors: { name: string; hidden: boolean }[];
	publishedAt: string;
	title: string;
	summary: string;
	upvotes: number;
	numComments: number;
	ai_summary?: string;
	ai_keywords?: string[];
	githubRepo?: string;
	githubStars?: number;
	projectPage?: string;
	submittedOnDailyAt?: string;
	submittedOnDailyBy?: HfUser;
	version: number | null;
	categories: string[];
	updatedAt: string;
	arxivUrl: string;
	pdfUrl: string;
	doi?: string;
	journalRef?: string;
}

/**
 * Who submitted a paper, as HF's `submittedOnDailyBy` / `submittedBy` (read by
 * huggingface_hub's `User`: `user` → username, `fullname`, `avatarUrl`, `type`).
 * `name` is kept for clients of this API before `user` existed.
 */
export interface HfUser {
	/** The member's id; null for a name from imported Hugging Face data. */
	_id: string | null;
	user: string;
	name: string;
	fullname: string;
	/** The member's generated avatar on this site (absolute); null when there is none. */
	avatarUrl: string | null;
	type: 'user';
	isPro: boolean;
}

export interface HfDailyEntry {
	paper: HfPaper;
	publishedAt: string;
	title: string;
	summary: string;
	numComments: number;
	submittedBy?: HfUser;
	isAuthorParticipating: boolean;
}

/** The pick a paper is shown with: when, and by whom. */
export interface HfPick {
	submittedAt: string;
	submittedBy: string;
	/** Resolved by submissions' withSubmitters; without it, `submittedBy` is taken as an imported name. */
	pickSubmitter?: PickSubmitter;
}

/** A submitter as HF's user object; undefined when nobody is known (a paper never picked). */
export function toHfUser(pick: HfPick, publicUrl: string): HfUser | undefined {
	const submitter = pick.pickSubmitter ?? {
		memberId: null,
		name: pick.submittedBy,
		displayName: pick.submittedBy
	};
	if (!submitter.name) return undefined;
	return {
		_id: submitter.memberId,
		user: submitter.name,
		name: submitter.name,
		fullname: submitter.displayName,
		avatarUrl: submitter.memberId ? absoluteUrl(publicUrl, links.avatar(submitter.memberId)) : null,
		type: 'user',
		isPro: false
	};
}

/**
 * A paper in the shape of HF's `GET /api/papers/{id}`; `publicUrl` (config.publicUrl)
 * makes members' avatar links absolute.
 */
export function toHfPaper(paper: StoredPaper, pick?: HfPick, publicUrl = ''): HfPaper {
	const shaped: HfPaper = {
		id: paper.id,
		authors: paper.authors.map((name) => ({ name, hidden: false })),
		publishedAt: paper.publishedAt,
		title: paper.title,
		summary: paper.abstract,
		// HF's field name; our number is HF's count plus this site's members' votes.
		upvotes: paper.upvotes,
		numComments: paper.comments,
		version: paper.version,
		categories: paper.categories,
		updatedAt: paper.updatedAt,
		arxivUrl: arxivAbsUrl(paper.id),
		pdfUrl: paper.pdfUrl ?? arxivPdfUrl(paper.id)
	};
	if (paper.aiSummary) shaped.ai_summary = paper.aiSummary;
	if (paper.aiKeywords.length) shaped.ai_keywords = paper.aiKeywords;
	if (paper.codeUrl) shaped.githubRepo = paper.codeUrl;
	if (paper.codeStars !== null) shaped.githubStars = paper.codeStars;
	if (paper.projectPage) shaped.projectPage = paper.projectPage;
	if (paper.doi) shaped.doi = paper.doi;
	if (paper.journalRef) shaped.journalRef = paper.journalRef;
	if (pick) {
		shaped.submittedOnDailyAt = pick.submittedAt;
		const user = toHfUser(pick, publicUrl);
		if (user) shaped.submittedOnDailyBy = user;
	}
	return shaped;
}

/** A feed entry in the shape of HF's `GET /api/daily_papers`. */
export function toHfDailyEntry(paper: FeedPaper, publicUrl: string): HfDailyEntry {
	const entry: HfDailyEntry = {
		paper: toHfPaper(paper, paper, publicUrl),
		publishedAt: paper.submittedAt,
		title: paper.title,
		summary: paper.abstract,
		numComments: paper.comments,
		isAuthorParticipating: false
	};
	const user = toHfUser(paper, publicUrl);
	if (user) entry.submittedBy = user;
	return entry;
}

/** A search result in the shape of HF's `GET /api/papers/search` entries. */
export function toHfSearchEntry(hit: { paper: StoredPaper; score: number }): {
	paper: HfPaper;
	title: string;
	summary: string;
	publishedAt: string;
	numComments: number;
	score: number;
} {
	return {
		paper: toHfPaper(hit.paper),
		title: hit.paper.title,
		summary: hit.paper.abstract,
		publishedAt: hit.paper.publishedAt,
		numComments: hit.paper.comments,
		score: hit.score
	};
}
