/**
 * The normalized paper every importer produces and the store keeps.
 * Pure types and helpers: no I/O.
 */

/** A paper as importers hand it to the store: already validated and normalized. */
export interface PaperRecord {
	/** arXiv id without version (`2401.12345`, `hep-th/9901001`). */
	id: string;
	/**
	 * Latest known version number, or null when the source does not say (Hugging Face):
	 * such a record never overrides the bibliographic fields of a versioned one.
	 */
	version: number | null;
	title: string;
	abstract: string;
	/** Author names in byline order. */
	authors: string[];
	/** All categories, primary first; may be empty when the source has none (HF). */
	categories: string[];
	/** ISO 8601 timestamp of the first version. */
	publishedAt: string;
	/** ISO 8601 timestamp of the latest version. */
	updatedAt: string;
	pdfUrl: string | null;
	codeUrl: string | null;
	codeStars: number | null;
	projectPage: string | null;
	aiSummary: string | null;
	aiKeywords: string[];
	doi: string | null;
	journalRef: string | null;
	comment: string | null;
	reportNo: string | null;
	/** License URL as arXiv states it; null when the source does not say. */
	license: string | null;
	/** Who submitted the paper to arXiv (not always an author). */
	submitter: string | null;
	/**
	 * The byline exactly as the source wrote it (LaTeX accents, affiliations), kept
	 * beside the normalized `authors`; null when the source only has a name list.
	 */
	authorsText: string | null;
	/**
	 * The upvote count the source (Hugging Face) reported; null when unknown. It
	 * only rises (mergePaper keeps the larger): our members' votes are counted
	 * apart, in `paper_votes` (server/votes), and never pass through this field.
	 */
	sourceUpvotes: number | null;
	/** The comment count the source reported; null when unknown. */
	numComments: number | null;
	/**
	 * When the source observed the enrichments (code, summary, project page, counts):
	 * the newest observation wins whatever order sources are imported in. Null when
	 * the source carries no enrichments or no time (arXiv).
	 */
	observedAt: string | null;
}

/**
 * The fields arXiv sources never carry (enrichments, community counts, a PDF link
 * of their own), empty: spread into a record built from arXiv metadata.
 */
export function noEnrichments(): Pick<
	PaperRecord,
	| 'pdfUrl'
	| 'codeUrl'
	| 'codeStars'
	| 'projectPage'
	| 'aiSummary'
	| 'aiKeywords'
	| 'sourceUpvotes'
	| 'numComments'
	| 'observedAt'
> {
	return {
		pdfUrl: null,
		codeUrl: null,
		codeStars: null,
		projectPage: null,
		aiSummary: null,
		aiKeywords: [],
		sourceUpvotes: null,
		numComments: null,
		observedAt: null
	};
}

/** A paper picked for a day's feed. */
export interface DailyPickRecord {
	paperId: string;
	/** The day, `YYYY-MM-DD`. */
	date: string;
	/** Who or what picked it: a member name, or `hf-import`. */
	submittedBy: string;
	/** ISO 8601 timestamp of the pick. */
	submittedAt: string;
	source: 'hf' | 'member' | 'admin';
}

/** Collapses runs of whitespace (arXiv wraps titles and abstracts at 80 columns). */
export function collapseWhitespace(text: string): string {
	// Same result as text.replace(/\s+/g, ' ').trim(), in one pass that copies
	// nothing for clean strings: the snapshot import runs this on every title,
	// abstract and name, and the regular expressions were its largest parse cost.
	let start = 0;
	let end = text.length;
	while (start < end && isWhitespace(text.charCodeAt(start))) start += 1;
	while (end > start && isWhitespace(text.charCodeAt(end - 1))) end -= 1;
	let collapsed = '';
	let copiedUpTo = start;
	for (let i = start; i < end; i += 1) {
		const code = text.charCodeAt(i);
		if (!isWhitespace(code)) continue;
		let runEnd = i + 1;
		while (isWhitespace(text.charCodeAt(runEnd))) runEnd += 1;
		if (code !== SPACE || runEnd > i + 1) {
			collapsed += text.slice(copiedUpTo, i) + ' ';
			copiedUpTo = runEnd;
		}
		i = runEnd - 1;
	}
	if (copiedUpTo === 0 && end === text.length) return text;
	return collapsed + text.slice(copiedUpTo, end);
}

const SPACE = 0x20;

/** What `\s` matches in a JavaScript regular expression (and String#trim removes). */
function isWhitespace(code: number): boolean {
	if (code <= SPACE) return code === SPACE || (code >= 0x09 && code <= 0x0d);
	if (code < 0xa0) return false;
	return (
		code === 0xa0 ||
		code === 0x1680 ||
		(code >= 0x2000 && code <= 0x200a) ||
		code === 0x2028 ||
		code === 0x2029 ||
		code === 0x202f ||
		code === 0x205f ||
		code === 0x3000 ||
		code === 0xfeff
	);
}

/**
 * Shortens text to about `max` characters at a word boundary for list views,
 * never cutting inside a `$...$` math span (which would render as broken LaTeX).
 */
export function shortenText(text: string, max: number): string {
	if (text.length <= max) return text;
	let cut = text.lastIndexOf(' ', max);
	if (cut < max / 2) cut = max;
	let head = text.slice(0, cut);
	const dollars = head.match(/(?<!\\)\$/g)?.length ?? 0;
	if (dollars % 2 === 1) head = head.slice(0, head.search(/(?<!\\)\$[^$]*$/));
	return `${head.trimEnd().replace(/[,;:.]$/, '')}…`;
}
