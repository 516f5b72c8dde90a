/**
 * RM3 pseudo-relevance feedback (Lavrenko & Croft's relevance model, interpolated with the
 * original query as in Anserini/Indri): the top documents of a first pass are assumed relevant,
 * their term distributions weighted by retrieval score form an expansion model, and the final
 * query mixes the original terms with the strongest expansion terms.
 */
import type { LexicalIndex, LexicalQuery, SearchOptions } from './lexical-index';
import type { RankedItem } from '../shared/top-k';

/** RM3 parameters. */
export interface Rm3Params {
	/** Feedback documents taken from the first pass. */
	fbDocs: number;
	/** Expansion terms kept. */
	fbTerms: number;
	/** Weight of the original query in the interpolation, in [0, 1]. */
	originalWeight: number;
}

/**
 * Anserini's published RM3 defaults (fbDocs 10, fbTerms 10, originalQueryWeight 0.5). They are
 * used as-is: not tuned on any test collection here.
 */
export const DEFAULT_RM3: Rm3Params = { fbDocs: 10, fbTerms: 10, originalWeight: 0.5 };

function l1Normalized(weights: Map<string, number>): Map<string, number> {
	let total = 0;
	for (const w of weights.values()) total += w;
	if (total > 0) for (const [term, w] of weights) weights.set(term, w / total);
	return weights;
}

/**
 * Builds the RM3 query for analyzed `terms` from first-pass `feedback` (best first; the top
 * `fbDocs` are used): a map of term → weight that {@link LexicalIndex.search} accepts.
 * Returns the plain query (as weights) when there is no feedback.
 */
export function rm3Expand(
	index: LexicalIndex,
	terms: readonly string[],
	feedback: readonly RankedItem[],
	params: Rm3Params = DEFAULT_RM3
): Map<string, number> {
	const original = new Map<string, number>();
	for (const term of terms) original.set(term, (original.get(term) ?? 0) + 1);
	l1Normalized(original);
	if (feedback.length === 0 || params.fbTerms <= 0 || params.originalWeight >= 1) return original;
	// p(w|R) ∝ Σ_D p(w|D) · score(D): each document's terms are L1-normalised so long documents
	// do not dominate, then weighted by how well the document matched the query.
	const model = new Map<number, number>();
	for (const { item: docNo, score } of feedback.slice(0, params.fbDocs)) {
		let length = 0;
		index.forEachTerm(docNo, (_termId, tf) => {
			length += tf;
		});
		if (length === 0) continue;
		index.forEachTerm(docNo, (termId, tf) => {
			model.set(termId, (model.get(termId) ?? 0) + (tf / length) * score);
		});
	}
	const top = [...model.entries()]
		.sort((a, b) => b[1] - a[1] || a[0] - b[0])
		.slice(0, params.fbTerms);
	const expansion = l1Normalized(new Map(top.map(([termId, w]) => [index.term(termId), w])));
	const mixed = new Map<string, number>();
	for (const [term, w] of original) mixed.set(term, params.originalWeight * w);
	for (const [term, w] of expansion)
		mixed.set(term, (mixed.get(term) ?? 0) + (1 - params.originalWeight) * w);
	return mixed;
}

/** Runs the first pass and builds the RM3 query (see {@link rm3Expand}). */
export function rm3Query(
	index: LexicalIndex,
	terms: readonly string[],
	params: Rm3Params = DEFAULT_RM3,
	options: Pick<SearchOptions, 'filter' | 'required' | 'excluded'> = {}
): Map<string, number> {
	return rm3Expand(index, terms, index.rank(terms, { ...options, k: params.fbDocs }), params);
}

/** Convenience: the RM3-expanded search. */
export function rm3Search(
	index: LexicalIndex,
	terms: readonly string[],
	params: Rm3Params = DEFAULT_RM3,
	options: SearchOptions = {}
): ReturnType<LexicalIndex['search']> {
	const query: LexicalQuery = rm3Query(index, terms, params, options);
	return index.search(query, options);
}
