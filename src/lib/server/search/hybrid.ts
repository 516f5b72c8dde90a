/**
 * The retrieval core: a BM25F lexical index, optional RM3 query expansion, an optional LSA
 * semantic layer learned from the same corpus, and the fusion of their rankings. One
 * {@link RetrievalConfig} describes a whole pipeline so that benchmarks and the site run the
 * very same code.
 */
import { analyze } from './analyzer';
import { convexFusion, reciprocalRankFusion, type Normalization, type ScoredId } from './fusion';
import {
	LexicalIndex,
	type Bm25fParams,
	type IndexDocument,
	type SearchHit,
	type SearchOptions
} from './lexical-index';
import { DEFAULT_BM25F } from './lexical-types';
import { DEFAULT_LSA, LsaIndex, type LsaParams } from './lsa';
import { DEFAULT_RM3, rm3Query, type Rm3Params } from './rm3';

/** How the lexical and semantic rankings are combined. */
export type FusionConfig =
	| {
			/** Reciprocal-rank fusion: Σ w / (k + rank). */
			method: 'rrf';
			k: number;
			semanticWeight: number;
	  }
	| {
			/** (1 − w) · lexical + w · semantic on normalised scores. */
			method: 'convex';
			semanticWeight: number;
			normalization: Normalization;
	  };

/** A complete retrieval pipeline. */
export interface RetrievalConfig {
	/** Lexical side: BM25F, BM25F over the RM3-expanded query, or none. */
	lexical: 'bm25f' | 'rm3' | 'off';
	/** Whether the LSA side runs (needs an engine built with LSA). */
	semantic: boolean;
	fusion: FusionConfig;
	/** Candidates taken from each side before fusion. */
	depth: number;
	rm3: Rm3Params;
}

/**
 * The default pipeline, chosen by measurement (docs/benchmarks.md, "Search quality"): RM3 on the
 * lexical side fused with LSA by a convex combination of min–max normalised scores.
 */
export const DEFAULT_RETRIEVAL: RetrievalConfig = {
	lexical: 'rm3',
	semantic: true,
	fusion: { method: 'convex', semanticWeight: 0.3, normalization: 'minmax' },
	depth: 100,
	rm3: DEFAULT_RM3
};

/** Lexical-only BM25F, the baseline the hybrid must never lose to. */
export const LEXICAL_ONLY: RetrievalConfig = {
	...DEFAULT_RETRIEVAL,
	lexical: 'bm25f',
	semantic: false
};

/** LSA-only, for measurement. */
export const SEMANTIC_ONLY: RetrievalConfig = {
	...DEFAULT_RETRIEVAL,
	lexical: 'off',
	semantic: true
};

/** Options of {@link SearchEngine.build}. */
export interface EngineOptions {
	bm25f?: Bm25fParams;
	/** LSA parameters, or false for a lexical-only engine. */
	lsa?: LsaParams | false;
}

/** Lexical index plus (optionally) the LSA layer, kept in step on add/remove. */
export class SearchEngine {
	/** Wraps existing layers; `lsa` must have been trained on (a version of) `lexical`. */
	constructor(
		readonly lexical: LexicalIndex,
		readonly lsa: LsaIndex | null
	) {}

	/** Indexes a document stream, then learns the LSA layer from the built index. */
	static async build(
		docs: AsyncIterable<IndexDocument> | Iterable<IndexDocument>,
		options: EngineOptions = {}
	): Promise<SearchEngine> {
		const lexical = await LexicalIndex.buildAsync(docs, options.bm25f ?? DEFAULT_BM25F);
		const lsa = options.lsa === false ? null : LsaIndex.train(lexical, options.lsa ?? DEFAULT_LSA);
		return new SearchEngine(lexical, lsa);
	}

	/** Adds or replaces a document in both layers (the LSA basis is kept; the doc is folded in). */
	add(doc: IndexDocument): void {
		this.lexical.add(doc);
		this.lsa?.addFromIndex(this.lexical, doc.id);
	}

	/** Removes a document from both layers; unknown ids are a no-op. */
	remove(id: string): void {
		this.lexical.remove(id);
		this.lsa?.remove(id);
	}

	/** Runs a pipeline for free text. */
	searchText(
		text: string,
		config: RetrievalConfig = DEFAULT_RETRIEVAL,
		options: SearchOptions = {}
	): SearchHit[] {
		return this.search(analyze(text), config, options);
	}

	/**
	 * Runs a pipeline for analyzed query terms. Filters apply to both sides; the semantic side
	 * honours `filter` (by document number of the lexical index) but not term constraints, so
	 * with `required`/`excluded` only the lexical candidates are fused.
	 */
	search(
		terms: readonly string[],
		config: RetrievalConfig = DEFAULT_RETRIEVAL,
		options: SearchOptions = {}
	): SearchHit[] {
		const k = options.k ?? 10;
		const useSemantic = config.semantic && this.lsa !== null;
		const lexicalHits = this.lexicalSide(terms, config, {
			...options,
			k: useSemantic ? config.depth : k
		});
		if (!useSemantic || this.lsa === null) return lexicalHits.slice(0, k);
		const semanticHits = this.semanticSide(terms, config, options);
		if (config.lexical === 'off') return semanticHits.slice(0, k);
		const w = config.fusion.semanticWeight;
		const lists = [
			{ hits: lexicalHits, weight: 1 - w },
			{ hits: semanticHits, weight: w }
		];
		return config.fusion.method === 'rrf'
			? reciprocalRankFusion(lists, k, config.fusion.k)
			: convexFusion(lists, k, config.fusion.normalization);
	}

	private lexicalSide(
		terms: readonly string[],
		config: RetrievalConfig,
		options: SearchOptions
	): SearchHit[] {
		if (config.lexical === 'off') return [];
		if (config.lexical === 'bm25f') return this.lexical.search(terms, options);
		return this.lexical.search(rm3Query(this.lexical, terms, config.rm3, options), options);
	}

	private semanticSide(
		terms: readonly string[],
		config: RetrievalConfig,
		options: SearchOptions
	): ScoredId[] {
		if (this.lsa === null) return [];
		const hasTermConstraints =
			(options.required?.length ?? 0) > 0 || (options.excluded?.length ?? 0) > 0;
		if (hasTermConstraints && config.lexical !== 'off') return [];
		const { filter } = options;
		const byId =
			filter === undefined
				? undefined
				: (id: string): boolean => {
						const docNo = this.lexical.docNoOf(id);
						return docNo >= 0 && filter(docNo);
					};
		return this.lsa.search(terms, config.depth, byId);
	}
}
