/**
 * The search page's data, cut down to what it renders. The page hydrates, so
 * its load data is serialized into the HTML and sent again as `__data.json`;
 * whole stored papers there (a 1 MB abstract) would travel for nothing.
 */
import { escapeHtml } from '$lib/core/latex';
import { shortenText } from '$lib/core/paper';
import { stripUnsafeCharacters } from '$lib/core/paper-safety';
import type { SearchHitSummary } from '$lib/core/paper-views';
import type { SearchHitView, SearchResponse } from './search.service';

/** Authors a result lists before "et al.". */
export const SHOWN_AUTHORS = 5;
/**
 * Longer highlighted HTML only comes from text no import lets in (a word of
 * thousands of characters): such a field is shown shortened, unmarked.
 */
const MAX_TITLE_HTML = 4_000;
const MAX_SNIPPET_HTML = 2_000;

function bounded(html: string, max: number, source: string, shortenTo: number): string {
	if (html.length <= max) return stripUnsafeCharacters(html);
	return escapeHtml(stripUnsafeCharacters(shortenText(source, shortenTo)));
}

/** One hit as the page shows it: marked title and snippet, the first authors, day and votes. */
export function summarizeHit(hit: SearchHitView): SearchHitSummary {
	const { paper } = hit;
	return {
		id: paper.id,
		titleHtml: bounded(hit.titleHtml, MAX_TITLE_HTML, paper.title, 1_000),
		snippetHtml: bounded(hit.snippetHtml, MAX_SNIPPET_HTML, paper.abstract, 400),
		authors: paper.authors.slice(0, SHOWN_AUTHORS).map(stripUnsafeCharacters),
		authorCount: paper.authors.length,
		publishedDay: paper.publishedAt.slice(0, 10),
		upvotes: paper.upvotes,
		exact: hit.exact
	};
}

/** A search response as the page renders it: the hits summarized, the parsed query reduced to its warnings. */
export function searchPageResult(result: SearchResponse) {
	return {
		hits: result.hits.map(summarizeHit),
		warnings: result.query.warnings,
		total: result.total,
		totalIsLowerBound: result.totalIsLowerBound,
		offset: result.offset,
		chips: result.chips.map(({ label, queryWithout }) => ({ label, queryWithout })),
		suggestion: result.suggestion,
		tookMs: result.tookMs
	};
}
