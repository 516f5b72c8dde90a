/**
 * The retrieval core: a BM25F lexical index, optional RM3 query expansion, an optional LSA
 * semantic layer learned from the same corpus, and the fusion of their rankings. One
 * {@link RetrievalConfig} describes a whole pipeline so that benchmarks and the site run the
 * very same code.
 */
import { analyze } from './lexical/analyzer';
import { convexFusion, reciprocalRankFusion, type Normalization, type ScoredId } from './fusion';
import {
	bm25Idf,
	LexicalIndex,
	type Bm25fParams,
	type IndexDocument,
	type SearchHit,
	type SearchOptions
} from './lexical/lexical-index';
import { DEFAULT_BM25F } from './lexical/lexical-types';
import { DEFAULT_LSA, LsaIndex, type LsaParams } from './semantic/lsa';
import { DEFAULT_RM3, rm3Expand, type Rm3Params } from './lexical/rm3';

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

// The lexical "similar papers" query: enough terms to describe a paper, few enough to be fast.
const SIMILAR_QUERY_TERMS = 30;

// Below this the query counts as fully covered by its top lexical hit.
const MISMATCH_EPSILON = 1e-9;

/** A complete retrieval pipeline. */
export interface RetrievalConfig {
	/** Lexical side: BM25F, BM25F over the RM3-expanded query, or none. */
	lexical: 'bm25f' | 'rm3' | 'off';
	/** Whether the LSA side runs (needs an engine built with LSA). */
	semantic: boolean;
	fusion: FusionConfig;
	/**
	 * Scales the semantic weight and the RM3 expansion weight by the query's vocabulary mismatch:
	 * 1 − the idf-weighted share of the query's terms that the top BM25F hit contains. A query
	 * whose words all occur in one document (a title look-up) keeps its exact lexical ranking; a
	 * query whose words no document covers (a paraphrase, a verbose topic) leans on the layers
	 * that bridge vocabulary. Parameter-free, so there is nothing to tune per collection.
	 */
	mismatchAdaptive: boolean;
	/** Candidates taken from each side before fusion. */
	depth: number;
	rm3: Rm3Params;
}

/**
 * The default pipeline, chosen by measurement (docs/benchmarks.md, "Search quality (BEIR)"):
 * BM25F fused with LSA by a convex combination whose semantic weight is the query's vocabulary
 * mismatch (semanticWeight 1 × mismatch).
 */
export const DEFAULT_RETRIEVAL: RetrievalConfig = {
	lexical: 'bm25f',
	semantic: true,
	fusion: { method: 'convex', semanticWeight: 1, normalization: 'minmax' },
	mismatchAdaptive: true,
	depth: 100,
	rm3: DEFAULT_RM3
};

/** Lexical-only BM25F, the baseline the hybrid must never lose to. */
export const LEXICAL_ONLY: RetrievalConfig = {
	...DEFAULT_RETRIEVAL,
	lexical: 'bm25f',
	semantic: false,
	mismatchAdaptive: false
};

/** LSA-only, for measurement. */
export const SEMANTIC_ONLY: RetrievalConfig = {
	...DEFAULT_RETRIEVAL,
	lexical: 'off',
	semantic: true,
	mismatchAdaptive: false
};

/**
 * A semantic layer searched with a query vector from a pretrained embedding model
 * (embeddings/document-embeddings.ts). When it is attached and the query has a vector, it takes
 * the place of LSA on the semantic side.
 */
export interface DenseLayer {
	search(query: Float32Array, k: number, accept?: (id: string) => boolean): ScoredId[];
}

/** Search options plus the query's embedding, when a model is loaded. */
export interface EngineSearchOptions extends SearchOptions {
	queryVector?: Float32Array | null;
}

/** Options of {@link SearchEngine.build}. */
export interface EngineOptions {
	bm25f?: Bm25fParams;
	/** LSA parameters, or false for a lexical-only engine. */
	lsa?: LsaParams | false;
}

/** Lexical index plus (optionally) the LSA layer, kept in step on add/remove. */
export class SearchEngine {
	/** The model-based semantic layer, attached by the replica when a model is loaded. */
	dense: DenseLayer | null = null;

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

	/** Encodes both layers (two files, so the lexical one can be used alone). */
	serialize(): { lexical: Buffer; lsa: Buffer | null } {
		return { lexical: this.lexical.serialize(), lsa: this.lsa?.serialize() ?? null };
	}

	/** Restores an engine from {@link SearchEngine.serialize} output. */
	static deserialize(files: { lexical: Uint8Array; lsa: Uint8Array | null }): SearchEngine {
		return new SearchEngine(
			LexicalIndex.deserialize(files.lexical),
			files.lsa === null ? null : LsaIndex.deserialize(files.lsa)
		);
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
		options: EngineSearchOptions = {}
	): SearchHit[] {
		return this.search(analyze(text), config, options);
	}

	/**
	 * Runs a pipeline for analyzed query terms. `filter`, `required` and `excluded` constrain
	 * both sides, so fusion never brings back a document the lexical side would have dropped.
	 */
	search(
		terms: readonly string[],
		config: RetrievalConfig = DEFAULT_RETRIEVAL,
		options: EngineSearchOptions = {}
	): SearchHit[] {
		const k = options.k ?? 10;
		const useSemantic = config.semantic && (this.lsa !== null || this.usesDense(options));
		if (config.lexical === 'off') return useSemantic ? this.semanticSide(terms, options, k) : [];
		const depth = useSemantic ? Math.max(config.depth, k) : k;
		const rm3 = config.lexical === 'rm3';
		const needFirstPass = rm3 || (useSemantic && config.mismatchAdaptive);
		if (!needFirstPass) {
			const lexicalHits = this.lexical.search(terms, { ...options, k: depth });
			return useSemantic ? this.fuse(lexicalHits, terms, config, options, 1, k) : lexicalHits;
		}
		const firstPass = this.lexical.rank(terms, {
			...options,
			k: Math.max(depth, rm3 ? config.rm3.fbDocs : 1)
		});
		// Coverage sums the same idf weights in two orders; rounding must not turn "fully
		// covered" into a tiny mismatch that still pays for the semantic side.
		const rawMismatch = config.mismatchAdaptive ? 1 - this.coverage(terms, firstPass[0]?.item) : 1;
		const mismatch = rawMismatch < MISMATCH_EPSILON ? 0 : rawMismatch;
		let lexicalHits: SearchHit[];
		if (rm3) {
			// The expansion's share (1 − originalWeight) shrinks with the mismatch: a query fully
			// matched by its top hit is not expanded, so look-ups do not drift.
			const originalWeight = 1 - (1 - config.rm3.originalWeight) * mismatch;
			const query = rm3Expand(this.lexical, terms, firstPass, { ...config.rm3, originalWeight });
			lexicalHits = this.lexical.search(query, { ...options, k: depth });
		} else {
			lexicalHits = firstPass
				.slice(0, depth)
				.map(({ item, score }) => ({ id: this.lexical.idOf(item), score }));
		}
		return useSemantic
			? this.fuse(lexicalHits, terms, config, options, mismatch, k)
			: lexicalHits.slice(0, k);
	}

	private fuse(
		lexicalHits: SearchHit[],
		terms: readonly string[],
		config: RetrievalConfig,
		options: EngineSearchOptions,
		mismatch: number,
		k: number
	): SearchHit[] {
		const w = config.fusion.semanticWeight * mismatch;
		if (w <= 0) return lexicalHits.slice(0, k);
		const lists = [
			{ hits: lexicalHits, weight: 1 - w },
			{ hits: this.semanticSide(terms, options, config.depth), weight: w }
		];
		return config.fusion.method === 'rrf'
			? reciprocalRankFusion(lists, k, config.fusion.k)
			: convexFusion(lists, k, config.fusion.normalization);
	}

	/** The idf-weighted share of the query's distinct terms that document `docNo` contains. */
	private coverage(terms: readonly string[], docNo: number | undefined): number {
		if (docNo === undefined) return 0;
		const weights = new Map<number, number>();
		let total = 0;
		for (const term of new Set(terms)) {
			const termId = this.lexical.termId(term);
			const df = this.lexical.docFreq(termId);
			// A term no document contains still counts in the total: nothing covers it.
			const w = bm25Idf(this.lexical.size, df);
			if (df > 0) weights.set(termId, w);
			total += w;
		}
		if (total === 0) return 0;
		let covered = 0;
		this.lexical.forEachTerm(docNo, (termId) => {
			covered += weights.get(termId) ?? 0;
		});
		return covered / total;
	}

	private usesDense(options: EngineSearchOptions): boolean {
		return this.dense !== null && options.queryVector != null;
	}

	/**
	 * The k documents most like document `id`, itself excluded: its nearest neighbours by LSA
	 * vector, or — without a semantic layer, or for a document with no vector — its 30 most
	 * distinctive terms (tf·idf from the forward index) run as a weighted lexical query.
	 */
	similar(id: string, k = 10): SearchHit[] {
		if (k <= 0 || !this.lexical.has(id)) return [];
		return this.lsa?.neighbours(id, k) ?? this.lexicalNeighbours(id, k);
	}

	private lexicalNeighbours(id: string, k: number): SearchHit[] {
		const index = this.lexical;
		const docNo = index.docNoOf(id);
		const weighted: { termId: number; weight: number }[] = [];
		const docs = index.size;
		index.forEachTerm(docNo, (termId, tf) => {
			const df = index.docFreq(termId);
			// Terms in one paper only say nothing about neighbours.
			if (df < 2) return;
			weighted.push({ termId, weight: (1 + Math.log(tf)) * Math.log(docs / df) });
		});
		weighted.sort((a, b) => b.weight - a.weight);
		const query = new Map(
			weighted.slice(0, SIMILAR_QUERY_TERMS).map((w) => [index.term(w.termId), w.weight])
		);
		return index.search(query, { k, filter: (d) => d !== docNo });
	}

	private semanticSide(
		terms: readonly string[],
		options: EngineSearchOptions,
		k: number
	): ScoredId[] {
		const queryVector = this.usesDense(options) ? options.queryVector : null;
		if (!queryVector && this.lsa === null) return [];
		const { filter } = options;
		const constrained =
			filter !== undefined ||
			(options.required?.length ?? 0) > 0 ||
			(options.excluded?.length ?? 0) > 0;
		const accept = constrained
			? (id: string): boolean => {
					const docNo = this.lexical.docNoOf(id);
					return (
						docNo >= 0 &&
						(filter === undefined || filter(docNo)) &&
						this.lexical.satisfies(docNo, options)
					);
				}
			: undefined;
		if (queryVector && this.dense) return this.dense.search(queryVector, k, accept);
		return this.lsa?.search(terms, k, accept) ?? [];
	}
}
