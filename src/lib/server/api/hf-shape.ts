/**
 * Maps stored papers to the Hugging Face papers API shapes (field names as HF
 * uses them), so existing HF clients work against this server. Our additions
 * (`version`, `categories`, links) are extra fields that HF clients ignore.
 */
import { arxivAbsUrl, arxivPdfUrl } from '$lib/core/arxiv-id';
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
	submittedOnDailyBy?: { fullname: string; name: string };
	version: number | null;
	categories: string[];
	updatedAt: string;
	arxivUrl: string;
	pdfUrl: string;
	doi?: string;
	journalRef?: string;
}

export interface HfDailyEntry {
	paper: HfPaper;
	publishedAt: string;
	title: string;
	summary: string;
	numComments: number;
	submittedBy: { fullname: string; name: string };
	isAuthorParticipating: boolean;
}

/** A paper in the shape of HF's `GET /api/papers/{id}`. */
export function toHfPaper(
	paper: StoredPaper,
	pick?: { submittedAt: string; submittedBy: string }
): HfPaper {
	const shaped: HfPaper = {
		id: paper.id,
		authors: paper.authors.map((name) => ({ name, hidden: false })),
		publishedAt: paper.publishedAt,
		title: paper.title,
		summary: paper.abstract,
		// HF's field name; our number is HF's count plus this site's members' votes.
		upvotes: paper.upvotes,
		numComments: paper.numComments,
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
		shaped.submittedOnDailyBy = { fullname: pick.submittedBy, name: pick.submittedBy };
	}
	return shaped;
}

/** A feed entry in the shape of HF's `GET /api/daily_papers`. */
export function toHfDailyEntry(paper: FeedPaper): HfDailyEntry {
	return {
		paper: toHfPaper(paper, paper),
		publishedAt: paper.submittedAt,
		title: paper.title,
		summary: paper.abstract,
		numComments: paper.numComments,
		submittedBy: { fullname: paper.submittedBy, name: paper.submittedBy },
		isAuthorParticipating: false
	};
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
		numComments: hit.paper.numComments,
		score: hit.score
	};
}
