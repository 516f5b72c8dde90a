/**
 * The query service behind the search box, the API and "similar papers":
 * parse the query → retrieve from the replica (with filters) → verify phrases
 * → sort → load the page of papers from the store → highlight.
 */
import {
	filterChips,
	formatSearchQuery,
	parseSearchQuery,
	type ParsedQuery
} from '$lib/core/search-query';
import type { Db } from '../db/create-db';
import { BadRequestError } from '../errors';
import {
	findPaper,
	findPapers,
	findPaperTexts,
	type StoredPaper
} from '../papers/paper.repository';
import { analyze, tokenize } from './lexical/analyzer';
import { DEFAULT_RETRIEVAL } from './search-engine';
import { dayNumber, type PaperAttributes } from './paper-document';
import { verifyPhrases } from './phrase-verify';
import type { SearchReplica } from './search-replica';
import { highlightAll, snippet } from './snippet';
import { suggestSpelling } from './spelling';

/** Deeper pages are refused: nobody reads them, and they cost the most. */
export const MAX_OFFSET = 1000;
export const MAX_LIMIT = 100;
// Candidates fetched before phrase checks and re-sorting; also the cap on the reported total.
const CANDIDATES = 1000;

export interface SearchRequest {
	q: string;
	limit: number;
	offset: number;
}

export interface SearchHitView {
	paper: StoredPaper;
	score: number;
	titleHtml: string;
	snippetHtml: string;
	/** True when the query was this paper's id or URL. */
	exact: boolean;
}

export interface SearchResponse {
	query: ParsedQuery;
	hits: SearchHitView[];
	/** Matches found, up to the candidate cap (then `totalIsLowerBound`). */
	total: number;
	totalIsLowerBound: boolean;
	offset: number;
	limit: number;
	chips: ReturnType<typeof filterChips>;
	/** A respelled query when few results were found and a word looks misspelled. */
	suggestion: string | null;
	tookMs: number;
}

// Fewer hits than this and unknown words get a "did you mean".
const SUGGEST_BELOW = 3;

/** A search the engine refuses (paging past the last result it ranks): a bad request. */
export class SearchRequestError extends BadRequestError {}

function hasFilters(q: ParsedQuery): boolean {
	return (
		q.authors.length > 0 ||
		q.categories.length > 0 ||
		q.year !== null ||
		q.after !== null ||
		q.before !== null
	);
}

/** A predicate over paper attributes for the query's filters, or undefined when it has none. */
export function attributeFilter(q: ParsedQuery): ((a: PaperAttributes) => boolean) | undefined {
	if (!hasFilters(q)) return undefined;
	let from = -Infinity;
	let until = Infinity; // exclusive
	if (q.year !== null) {
		from = dayNumber(`${q.year}-01-01`);
		until = dayNumber(`${q.year + 1}-01-01`);
	}
	if (q.after) from = Math.max(from, dayNumber(q.after));
	if (q.before) until = Math.min(until, dayNumber(q.before));
	const authors = q.authors.map((name) => ` ${tokenize(name).join(' ')} `);
	const categories = q.categories.map((c) => c.toLowerCase());
	return (a) => {
		if (a.day < from || a.day >= until) return false;
		for (const author of authors) if (!a.authorTokens.includes(author)) return false;
		if (categories.length > 0) {
			const ok = categories.some((wanted) =>
				a.categories.some((c) => {
					const have = c.toLowerCase();
					return have === wanted || (!wanted.includes('.') && have.startsWith(`${wanted}.`));
				})
			);
			if (!ok) return false;
		}
		return true;
	};
}

interface Candidate {
	id: string;
	score: number;
}

interface Retrieved {
	/** Best first, phrases verified as deep as asked for. */
	candidates: Candidate[];
	/** Whether `candidates` may miss matches: the candidate cap was hit or phrases were only
	 * verified part of the way. */
	partial: boolean;
}

/**
 * Ranked candidate ids for a parsed query, filters applied, best first. With phrases, only the
 * first `need` matches in relevance order are guaranteed to be verified (all with another sort).
 */
async function retrieve(
	db: Db,
	replica: SearchReplica,
	q: ParsedQuery,
	need: number
): Promise<Retrieved> {
	const filter = attributeFilter(q);
	const index = replica.index;
	const scoring = analyze([...q.terms, ...q.phrases].join(' '));
	// Author names also score when the query is nothing but filters (author:"Yann LeCun").
	if (scoring.length === 0) scoring.push(...analyze(q.authors.join(' ')));
	const excludedWords = q.excluded.filter((e) => !e.includes(' ')).flatMap((e) => analyze(e));
	let candidates: Candidate[];
	if (scoring.length === 0) {
		if (!filter) return { candidates: [], partial: false };
		// Only filters (cat:cs.CL year:2024): scan the attributes, newest first.
		const matches: { id: string; day: number }[] = [];
		for (const [id, attributes] of replica.attributes) {
			if (filter(attributes)) matches.push({ id, day: attributes.day });
		}
		matches.sort((a, b) => b.day - a.day || (a.id < b.id ? 1 : -1));
		candidates = matches.slice(0, CANDIDATES).map((m) => ({ id: m.id, score: 0 }));
	} else {
		const required = q.phrases.flatMap((p) => analyze(p)).map((term) => [term]);
		// With an embedding model the semantic side compares the query's own embedding (and
		// falls back to LSA should the model fail).
		const queryVector = await replica.embeddings
			?.embedQuery([...q.terms, ...q.phrases].join(' '))
			.catch(() => null);
		candidates = replica.engine.search(scoring, DEFAULT_RETRIEVAL, {
			queryVector,
			k: CANDIDATES,
			required,
			excluded: excludedWords,
			filter: filter
				? (docNo) => {
						const attributes = replica.attributes.get(index.idOf(docNo));
						return attributes !== undefined && filter(attributes);
					}
				: undefined
		});
	}
	const capped = candidates.length >= CANDIDATES;
	let verifiedAll = true;
	const excludedPhrases = q.excluded.filter((e) => e.includes(' ')).map((e) => tokenize(e));
	const phrases = q.phrases.map((p) => tokenize(p)).filter((t) => t.length > 1);
	if (phrases.length > 0 || excludedPhrases.length > 0) {
		// Another sort order re-ranks every match, so then all of them are verified.
		const { matches, complete } = await verifyPhrases(
			candidates,
			{ phrases, excluded: excludedPhrases },
			q.sort === 'relevance' ? need : Infinity,
			(ids) => findPaperTexts(db, ids)
		);
		candidates = matches;
		verifiedAll = complete;
	}
	if (q.sort !== 'relevance') {
		const key = (c: Candidate) => {
			const a = replica.attributes.get(c.id);
			return q.sort === 'date' ? (a?.day ?? 0) : (a?.upvotes ?? 0);
		};
		candidates = [...candidates].sort((a, b) => key(b) - key(a) || b.score - a.score);
	}
	return { candidates, partial: capped || !verifiedAll };
}

/** Runs a search-box query and returns one page of highlighted results. */
export async function searchPapers(
	db: Db,
	replica: SearchReplica,
	request: SearchRequest
): Promise<SearchResponse> {
	const started = performance.now();
	if (request.offset > MAX_OFFSET) {
		throw new SearchRequestError(
			`Results stop at ${MAX_OFFSET}: narrow the query (add words, author:, cat: or a date) instead of paging deeper.`
		);
	}
	const query = parseSearchQuery(request.q);
	let candidates: Candidate[] = [];
	let partial = false;
	let exact: StoredPaper | undefined;
	if (query.arxivId) exact = visible(await findPaper(db, query.arxivId));
	if (!query.arxivId || query.terms.length > 1) {
		// One match beyond the page tells whether there is a next page.
		const need = Math.max(request.offset + request.limit + 1, SUGGEST_BELOW);
		({ candidates, partial } = await retrieve(db, replica, query, need));
	}
	if (exact)
		candidates = [
			{ id: exact.id, score: Infinity },
			...candidates.filter((c) => c.id !== exact.id)
		];

	let suggestion: string | null = null;
	if (candidates.length < SUGGEST_BELOW && query.terms.length > 0) {
		const corrected = await suggestSpelling(db, replica.index, query.terms);
		if (corrected) suggestion = formatSearchQuery({ ...query, terms: corrected });
	}

	const page = candidates.slice(request.offset, request.offset + request.limit);
	const papers = await findPapers(
		db,
		page.map((c) => c.id)
	);
	const terms = new Set(analyze([...query.terms, ...query.phrases, ...query.authors].join(' ')));
	const hits: SearchHitView[] = [];
	for (const candidate of page) {
		const paper = papers.get(candidate.id);
		// A paper deleted or hidden after the replica saw it is simply skipped.
		if (!paper || paper.hiddenAt) continue;
		hits.push({
			paper,
			score: Number.isFinite(candidate.score) ? candidate.score : 0,
			titleHtml: highlightAll(paper.title, terms),
			snippetHtml: snippet(paper.abstract, terms),
			exact: exact?.id === paper.id
		});
	}
	return {
		query,
		hits,
		total: candidates.length,
		totalIsLowerBound: partial || candidates.length >= CANDIDATES,
		offset: request.offset,
		limit: request.limit,
		chips: filterChips(query),
		suggestion,
		tookMs: Math.round((performance.now() - started) * 10) / 10
	};
}

/**
 * Papers most like this one, itself excluded: nearest neighbours by the engine's document vectors,
 * or its most distinctive terms as a query when the replica has no semantic layer.
 */
export async function similarPapers(
	db: Db,
	replica: SearchReplica,
	id: string,
	k = 10
): Promise<StoredPaper[]> {
	const hits = replica.engine.similar(id, k);
	const papers = await findPapers(
		db,
		hits.map((h) => h.id)
	);
	return hits
		.map((h) => visible(papers.get(h.id)))
		.filter((p): p is StoredPaper => p !== undefined);
}

/** The paper unless a moderator hid it (the replica drops it on its next sync; this covers the gap). */
function visible(paper: StoredPaper | undefined): StoredPaper | undefined {
	return paper?.hiddenAt ? undefined : paper;
}
