/**
 * A small, polite client for the arXiv API (`export.arxiv.org/api/query`):
 * id lookups in chunks, spaced by arXiv's requested courtesy delay, retrying
 * only what arXiv asks to be retried (503/429, honouring Retry-After) and
 * transient network failures.
 */
import { parseArxivId } from '$lib/core/arxiv-id';
import { ArxivApiError, parseArxivAtom, type AtomParseResult } from './arxiv-atom';
import { ArxivRequestError, requestArxiv, type ArxivHttpOptions } from './arxiv-http';

/** How to reach the arXiv API; every field has arXiv's recommended default. */
export interface ArxivApiOptions extends ArxivHttpOptions {
	/** Default `https://export.arxiv.org/api/query`. */
	baseUrl?: string;
}

export { ArxivRequestError };

const DEFAULT_BASE_URL = 'https://export.arxiv.org/api/query';
const DEFAULT_USER_AGENT = 'dailypapers (self-hosted; arXiv API client)';
/** arXiv documents id_list lookups of up to a few hundred; 100 keeps each response small. */
const CHUNK_SIZE = 100;

/** The arXiv message of an error-feed body, or null when the body is something else. */
function errorFeedMessage(body: string): string | null {
	try {
		parseArxivAtom(body);
		return null;
	} catch (error) {
		return error instanceof ArxivApiError && error.errorId !== null ? error.message : null;
	}
}

/** Fetches one URL and parses it, retrying what arXiv says is worth retrying. */
function requestFeed(url: string, options: ArxivApiOptions): Promise<AtomParseResult> {
	return requestArxiv(
		url,
		{ ...options, userAgent: options.userAgent ?? DEFAULT_USER_AGENT },
		{
			service: 'arXiv API',
			accept: 'application/atom+xml',
			parse: parseArxivAtom,
			errorMessage: errorFeedMessage
		}
	);
}

/** Validated, canonical (`id` or `idvN`), de-duplicated ids; throws naming the first bad one. */
function canonicalIds(ids: string[]): string[] {
	const canonical = new Set<string>();
	for (const raw of ids) {
		const parsed = parseArxivId(raw);
		if (!parsed) throw new Error(`Not an arXiv id: ${JSON.stringify(raw)}`);
		canonical.add(parsed.version === null ? parsed.id : `${parsed.id}v${parsed.version}`);
	}
	return [...canonical];
}

/**
 * Looks papers up by arXiv id (with or without version), at most 100 per request,
 * and merges the responses. Every id is validated before any request is made.
 * Ids arXiv does not know are simply absent from `papers` (arXiv returns no entry).
 * Throws ArxivRequestError when a request fails for good.
 */
export async function fetchArxivByIds(
	ids: string[],
	options: ArxivApiOptions = {}
): Promise<AtomParseResult> {
	const wanted = canonicalIds(ids);
	const merged: AtomParseResult = {
		papers: [],
		skipped: [],
		totalResults: 0,
		startIndex: 0,
		itemsPerPage: 0
	};
	const baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
	let entriesSoFar = 0;
	for (let start = 0; start < wanted.length; start += CHUNK_SIZE) {
		const chunk = wanted.slice(start, start + CHUNK_SIZE);
		const url = new URL(baseUrl);
		// Commas stay literal (as arXiv documents id_list); each id is still encoded (`/`).
		url.search = `id_list=${chunk.map(encodeURIComponent).join(',')}&max_results=${chunk.length}`;
		const page = await requestFeed(url.href, options);
		merged.papers.push(...page.papers);
		// Skipped indexes count entries across all chunks, as if it were one feed.
		merged.skipped.push(...page.skipped.map((s) => ({ ...s, index: s.index + entriesSoFar })));
		entriesSoFar += page.papers.length + page.skipped.length;
		merged.totalResults = (merged.totalResults ?? 0) + (page.totalResults ?? 0);
		merged.itemsPerPage = (merged.itemsPerPage ?? 0) + (page.itemsPerPage ?? chunk.length);
	}
	return merged;
}
