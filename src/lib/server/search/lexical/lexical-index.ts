/**
 * An in-memory BM25F inverted index on typed arrays.
 *
 * Layout: one immutable main segment (postings of all terms concatenated; per posting a u32
 * document number and one tf byte per field) plus a small mutable delta segment for documents
 * added since the last compaction, and a liveness bitmap as tombstones. A forward index (term-id
 * gaps + tf per document) serves exact statistics on `remove`, pseudo-relevance feedback and the
 * LSA layer. Statistics (N, df, average field lengths) always count live documents only, so the
 * scores equal a from-scratch BM25F over the live set.
 *
 * Queries over many postings are ranked range-at-a-time with block-max bounds (block-bounds.ts):
 * document numbers are cut into ranges of 1024, each query term's per-block score maxima bound
 * every range, ranges are scored best bound first into a small cache-resident accumulator, and
 * ranking stops when no remaining range can reach the k-th score; inside a range the exact
 * "continue" pruning of Moffat & Zobel lets later (common) terms update only the candidates that
 * can still make it (see `rankByRanges`). Small queries are scored term-at-a-time into a dense
 * accumulator with the same "continue" pruning over whole lists (see `rank`). Both are exact:
 * the top k equal an exhaustive BM25F ranking, scores bit for bit.
 *
 * This file holds the ranking; `LexicalIndex` extends `LexicalStore` (lexical-store.ts), which
 * owns the documents, terms, postings and live statistics, so the hot loops below read the
 * postings as fields of `this`.
 */
import { analyze } from './analyzer';
import { computeBlockMaxima, driftSlack, fillRangeBounds, type BlockMaxima } from './block-bounds';
import { SnapshotBuilder } from './lexical-builder';
import { decodeSnapshot } from './lexical-codec';
import { LexicalStore, type IndexStats } from './lexical-store';
import {
	DEFAULT_BM25F,
	FIELD_COUNT,
	type Bm25fParams,
	type IndexDocument,
	type IndexSnapshot
} from './lexical-types';
import { TopK, type RankedItem } from '../shared/top-k';

export { DEFAULT_BM25F, type Bm25fParams, type IndexDocument } from './lexical-types';
export type { IndexStats } from './lexical-store';

/** Query-time options of {@link LexicalIndex.search}. */
export interface SearchOptions {
	/** How many hits to return (default 10). */
	k?: number;
	/** Keeps only documents for which this returns true (see `idOf`). */
	filter?: (docNo: number) => boolean;
	/**
	 * Conjunctive constraints over analyzed terms: every group must match, a group matches when
	 * the document contains at least one of its terms (AND of ORs). Constraints do not score:
	 * results are the documents matching at least one query term that also meet them, so a
	 * parser should put required terms among the query terms too. With no query terms at all,
	 * every document meeting the constraints is returned with score 0 (a pure filter).
	 */
	required?: readonly (readonly string[])[];
	/** Documents containing any of these analyzed terms are dropped. */
	excluded?: readonly string[];
}

/** One search result. */
export interface SearchHit {
	id: string;
	score: number;
}

/** A query: analyzed terms (repeats add weight) or explicit term weights. */
export type LexicalQuery = readonly string[] | ReadonlyMap<string, number>;

/**
 * Knobs of the range-at-a-time path of {@link LexicalIndex.rank}. Module state so tests can
 * shrink them to exercise it on small corpora; production never changes them.
 */
export const PRUNING_TUNING = {
	/** Postings per block of the block-max bounds. */
	blockSize: 128,
	/** Documents per range are 2^rangeShift. */
	rangeShift: 10,
	/** Queries touching fewer main-segment postings than this are scored exhaustively. */
	minPostings: 16384,
	/** Bounds are recomputed once the average field lengths have drifted this much. */
	maxDrift: 1.02
};

// Range sort keys: quantised bound × RANGE_KEY + range number, exact in a double.
const RANGE_KEY = 65536;
const KEY_SCALE = 2 ** 24;
const KEY_CAP = 2 ** 12;
// Sums of bounds are compared with this much slack for floating-point rounding.
const BOUND_MARGIN = 1 + 1e-9;
// Marks a candidate holding an excluded term in the per-range term masks (bits 0–30: query terms).
const EXCLUDED_BIT = 0x80000000;

/** What every range of one query shares (see `LexicalIndex.rankByRanges`). */
interface RangePlan {
	ranges: number;
	/** Query terms, rarest first, with their weight w = query weight · idf · (k1 + 1). */
	terms: readonly { termId: number; w: number }[];
	/** Per term and range (`term * ranges + range`): an upper bound on the term's score there. */
	bounds: Float64Array;
	/** Per term, then per excluded term, and range: a posting index at or before the range. */
	first: Int32Array;
	/** Required groups as masks over the query terms' bits. */
	groupMasks: readonly number[];
	excludedIds: readonly number[];
	/** Every query term is a required group of its own (phrase candidates). */
	conjunctive: boolean;
	filter: ((docNo: number) => boolean) | undefined;
}

/** Robertson–Spärck Jones idf as in Lucene: always positive, so every match adds score. */
export function bm25Idf(docs: number, docFreq: number): number {
	return Math.log(1 + (docs - docFreq + 0.5) / (docFreq + 0.5));
}

/**
 * The first index in `[from, end)` whose document is ≥ `doc` (or `end`): exponential then binary
 * search, so a run of nearby candidates costs little and a far jump costs O(log gap).
 */
function gallop(docs: Uint32Array, from: number, end: number, doc: number): number {
	if (from >= end || docs[from] >= doc) return from;
	let low = from;
	let step = 1;
	let high = from + 1;
	while (high < end && docs[high] < doc) {
		low = high;
		step *= 2;
		high = low + step;
	}
	if (high > end) high = end;
	// Invariant: docs[low] < doc, and high === end or docs[high] >= doc.
	while (high - low > 1) {
		const mid = (low + high) >>> 1;
		if (docs[mid] < doc) low = mid;
		else high = mid;
	}
	return high;
}

/**
 * A BM25F index over the title, abstract and authors fields: the ranking, over the documents and
 * postings of a {@link LexicalStore}.
 */
export class LexicalIndex extends LexicalStore {
	// Per document and field: weight / (1 - b + b * len / avgLen), rebuilt lazily after changes.
	private norms = new Float32Array(0);
	// The store's revision the norms were computed at (-1: never).
	private normsRevision = -1;
	// Block-max bounds of the main segment (see block-bounds.ts), computed on first use.
	private maxima: BlockMaxima | null = null;
	// Per-range scratch of the range-at-a-time path.
	private rangeAcc = new Float64Array(0);
	private rangeMask = new Uint32Array(0);
	private rangeTouched = new Uint32Array(0);
	// Scratch space reused across queries.
	private acc = new Float64Array(0);
	private touched = new Uint32Array(0);
	private stamp = new Uint16Array(0);

	private constructor(snapshot: IndexSnapshot, dead: readonly number[]) {
		super(snapshot, dead);
	}

	/** Wraps a snapshot (e.g. one just deserialized) as a searchable index. */
	static fromSnapshot(snapshot: IndexSnapshot): LexicalIndex {
		return new LexicalIndex(snapshot, []);
	}

	/** Builds an index in bulk; later documents replace earlier ones with the same id. */
	static build(docs: Iterable<IndexDocument>, params: Bm25fParams = DEFAULT_BM25F): LexicalIndex {
		const builder = new SnapshotBuilder(params);
		for (const doc of docs) builder.add(doc);
		return LexicalIndex.finishBuild(builder);
	}

	/** Like {@link LexicalIndex.build} for a streamed source such as a JSONL file reader. */
	static async buildAsync(
		docs: AsyncIterable<IndexDocument> | Iterable<IndexDocument>,
		params: Bm25fParams = DEFAULT_BM25F
	): Promise<LexicalIndex> {
		const builder = new SnapshotBuilder(params);
		for await (const doc of docs) builder.add(doc);
		return LexicalIndex.finishBuild(builder);
	}

	private static finishBuild(builder: SnapshotBuilder): LexicalIndex {
		const replaced = builder.replacedDocs.slice();
		const index = new LexicalIndex(builder.finish(), replaced);
		return replaced.length > 0 ? index.compacted() : index;
	}

	/** Restores an index written by {@link LexicalIndex.serialize}. */
	static deserialize(bytes: Uint8Array): LexicalIndex {
		return LexicalIndex.fromSnapshot(decodeSnapshot(bytes));
	}

	protected compacted(): LexicalIndex {
		return new LexicalIndex(this.snapshot(), []);
	}

	/** Size figures, counting the ranking caches and scratch space among the bytes. */
	stats(): IndexStats {
		const stats = super.stats();
		const caches =
			this.norms.byteLength +
			this.acc.byteLength +
			this.touched.byteLength +
			this.stamp.byteLength +
			(this.maxima === null
				? 0
				: this.maxima.blockStart.byteLength + this.maxima.maxTfn.byteLength);
		return { ...stats, bytes: stats.bytes + caches };
	}

	private ensureNorms(): void {
		const docs = this.ids.length;
		if (this.normsRevision === this.revision && this.norms.length >= docs * FIELD_COUNT) return;
		if (this.norms.length < docs * FIELD_COUNT) this.norms = new Float32Array(docs * FIELD_COUNT);
		const fields = [
			this.paramsValue.fields.title,
			this.paramsValue.fields.abstract,
			this.paramsValue.fields.authors
		];
		const lens = this.fieldLen.data;
		for (let f = 0; f < FIELD_COUNT; f++) {
			const { weight, b } = fields[f];
			const avg = this.liveCount > 0 ? this.fieldLenSum[f] / this.liveCount : 0;
			// A field empty everywhere (no authors in a BEIR corpus) has no length to normalise by.
			const scale = avg > 0 ? b / avg : 0;
			const base = avg > 0 ? 1 - b : 1;
			for (let d = 0; d < docs; d++)
				this.norms[d * FIELD_COUNT + f] = weight / (base + scale * lens[d * FIELD_COUNT + f]);
		}
		this.normsRevision = this.revision;
	}

	private queryWeights(query: LexicalQuery): Map<number, number> {
		const weights = new Map<number, number>();
		const add = (term: string, weight: number): void => {
			const id = this.vocabulary.get(term);
			if (id >= 0 && this.df[id] > 0 && weight > 0)
				weights.set(id, (weights.get(id) ?? 0) + weight);
		};
		if (Array.isArray(query)) for (const term of query as readonly string[]) add(term, 1);
		else for (const [term, weight] of query as ReadonlyMap<string, number>) add(term, weight);
		return weights;
	}

	/**
	 * Ranks documents for a query of analyzed terms; returns internal document numbers. Use
	 * {@link LexicalIndex.search} for external ids.
	 */
	rank(query: LexicalQuery, options: SearchOptions = {}): RankedItem[] {
		const k = options.k ?? 10;
		const docs = this.ids.length;
		if (this.acc.length < docs) {
			this.acc = new Float64Array(Math.ceil(docs * 1.25));
			this.touched = new Uint32Array(this.acc.length);
		}
		this.ensureNorms();
		const acc = this.acc;
		const touched = this.touched;
		const live = this.live.data;
		const norms = this.norms;
		const k1 = this.paramsValue.k1;
		let touchedCount = 0;
		// Rarest terms first: they carry most of the score and produce the fewest candidates.
		const terms = [...this.queryWeights(query)]
			.map(([termId, queryWeight]) => ({
				termId,
				w: queryWeight * bm25Idf(this.liveCount, this.df[termId]) * (k1 + 1)
			}))
			.sort((a, b) => this.df[a.termId] - this.df[b.termId] || a.termId - b.termId);
		const ranged = this.rankByRanges(terms, k, options);
		if (ranged !== null) return ranged;
		// A term adds at most w (tfn / (k1 + tfn) < 1). Once the bounds of the terms still to come
		// sum below the k-th best score so far, no unseen document can reach the top k, and the
		// remaining (long, common-term) lists only need to update existing candidates — looked up
		// by galloping instead of scanned ("continue" strategy; exact, not an approximation).
		// Constraints and filters change which scores count, so pruning is off with them.
		const prune =
			k > 0 &&
			terms.length > 1 &&
			options.filter === undefined &&
			(options.required?.length ?? 0) === 0 &&
			(options.excluded?.length ?? 0) === 0;
		let remaining = terms.reduce((sum, t) => sum + t.w, 0);
		let remainingPostings = terms.reduce((sum, t) => sum + this.postingCount(t.termId), 0);
		let maxAcc = 0;
		let nextCheck = Infinity;
		let candidates: Uint32Array | null = null;
		for (let i = 0; i < terms.length; i++) {
			const { termId, w } = terms[i];
			if (candidates !== null) {
				this.addToCandidates(termId, w, candidates);
			} else {
				// Two copies of the loop keep each one monomorphic (typed arrays vs delta JS arrays).
				if (termId < this.mainTerms) {
					const postDocs = this.postDocs;
					const postTf = this.postTf;
					const end = this.postOffsets[termId + 1];
					for (let p = this.postOffsets[termId]; p < end; p++) {
						const d = postDocs[p];
						if (live[d] === 0) continue;
						const q = p * FIELD_COUNT;
						const n = d * FIELD_COUNT;
						const tfn =
							postTf[q] * norms[n] + postTf[q + 1] * norms[n + 1] + postTf[q + 2] * norms[n + 2];
						if (acc[d] === 0) touched[touchedCount++] = d;
						const score = acc[d] + (w * tfn) / (k1 + tfn);
						acc[d] = score;
						if (score > maxAcc) maxAcc = score;
					}
				}
				const list = this.delta.get(termId);
				if (list !== undefined) {
					const { docs: deltaDocs, tf } = list;
					for (let j = 0; j < deltaDocs.length; j++) {
						const d = deltaDocs[j];
						if (live[d] === 0) continue;
						const q = j * FIELD_COUNT;
						const n = d * FIELD_COUNT;
						const tfn = tf[q] * norms[n] + tf[q + 1] * norms[n + 1] + tf[q + 2] * norms[n + 2];
						if (acc[d] === 0) touched[touchedCount++] = d;
						const score = acc[d] + (w * tfn) / (k1 + tfn);
						acc[d] = score;
						if (score > maxAcc) maxAcc = score;
					}
				}
			}
			remaining -= w;
			remainingPostings -= this.postingCount(termId);
			// θ ≤ maxAcc, so the k-th score is only worth computing once the bound is below maxAcc;
			// after a failed check, the next waits until the bound has halved (O(log) checks, which
			// matters for verbose queries whose bound never falls low enough).
			if (
				prune &&
				candidates === null &&
				i < terms.length - 1 &&
				touchedCount >= k &&
				// Only worth it when candidates are sparse next to the lists still to read.
				touchedCount * 8 < remainingPostings &&
				remaining < maxAcc &&
				remaining < nextCheck
			) {
				const heap = new TopK(k);
				for (let j = 0; j < touchedCount; j++) heap.push(touched[j], acc[touched[j]]);
				if (remaining < heap.threshold) candidates = touched.slice(0, touchedCount).sort();
				else nextCheck = remaining / 2;
			}
		}
		const emptyQuery = Array.isArray(query)
			? query.length === 0
			: (query as ReadonlyMap<string, number>).size === 0;
		return this.collect(touchedCount, k, options, emptyQuery);
	}

	/** Continue mode of {@link LexicalIndex.rank}: adds a term's score to existing candidates only. */
	private addToCandidates(termId: number, w: number, candidates: Uint32Array): void {
		const acc = this.acc;
		const norms = this.norms;
		const k1 = this.paramsValue.k1;
		const add = (d: number, tf0: number, tf1: number, tf2: number): void => {
			const n = d * FIELD_COUNT;
			const tfn = tf0 * norms[n] + tf1 * norms[n + 1] + tf2 * norms[n + 2];
			acc[d] += (w * tfn) / (k1 + tfn);
		};
		if (termId < this.mainTerms) {
			const postDocs = this.postDocs;
			const postTf = this.postTf;
			const end = this.postOffsets[termId + 1];
			const start = this.postOffsets[termId];
			if (end - start < 8 * candidates.length) {
				// Dense candidates: a scan that skips non-candidates beats a search per candidate.
				for (let p = start; p < end; p++) {
					const d = postDocs[p];
					if (acc[d] > 0) {
						const q = p * FIELD_COUNT;
						add(d, postTf[q], postTf[q + 1], postTf[q + 2]);
					}
				}
			} else {
				let p = start;
				for (let c = 0; c < candidates.length && p < end; c++) {
					const d = candidates[c];
					p = gallop(postDocs, p, end, d);
					if (p < end && postDocs[p] === d) {
						const q = p * FIELD_COUNT;
						add(d, postTf[q], postTf[q + 1], postTf[q + 2]);
					}
				}
			}
		}
		const list = this.delta.get(termId);
		if (list !== undefined) {
			// Candidates have a positive accumulator (and are live); the delta is small, so scan it.
			for (let j = 0; j < list.docs.length; j++) {
				const d = list.docs[j];
				const q = j * FIELD_COUNT;
				if (acc[d] > 0) add(d, list.tf[q], list.tf[q + 1], list.tf[q + 2]);
			}
		}
	}

	/** Live average length of each field, as {@link LexicalIndex.ensureNorms} uses them. */
	private averages(): Float64Array {
		const averages = new Float64Array(FIELD_COUNT);
		for (let f = 0; f < FIELD_COUNT; f++)
			averages[f] = this.liveCount > 0 ? this.fieldLenSum[f] / this.liveCount : 0;
		return averages;
	}

	/**
	 * The main segment's block maxima and the factor their tfn must be scaled by to bound today's
	 * norms; recomputed (one pass over the postings) after a parameter change or once the average
	 * lengths have drifted past {@link PRUNING_TUNING}.maxDrift.
	 */
	private blockBounds(): { maxima: BlockMaxima; slack: number } {
		const { blockSize, maxDrift } = PRUNING_TUNING;
		const averages = this.averages();
		const { title, abstract, authors } = this.paramsValue.fields;
		let maxima = this.maxima;
		let slack =
			maxima !== null && maxima.params === this.paramsValue && maxima.blockSize === blockSize
				? driftSlack(maxima.averages, averages, [title.b, abstract.b, authors.b])
				: Infinity;
		if (maxima === null || slack > maxDrift) {
			this.ensureNorms();
			maxima = computeBlockMaxima(
				this.postOffsets,
				this.postDocs,
				this.postTf,
				this.norms,
				blockSize,
				averages,
				this.paramsValue
			);
			this.maxima = maxima;
			slack = 1 + 1e-6;
		}
		return { maxima, slack };
	}

	/**
	 * Range-at-a-time ranking with block-max bounds, exact: the main segment's document numbers
	 * are cut into ranges of 2^rangeShift; each query term's block maxima give every range an upper
	 * bound on the score of any document in it; ranges are scored best bound first (term by term
	 * into a small accumulator, in the same order and arithmetic as the exhaustive path, so scores
	 * are bit-identical) and the search stops once no remaining range's bound reaches the k-th
	 * score. Required groups rule out ranges where a group has no posting; when every query term
	 * is required (phrase candidates), later terms only visit the documents that still qualify.
	 * The small delta segment is scored exhaustively first. Returns null when the query is better
	 * served (or only served) by the term-at-a-time path: few postings, > 31 terms, or a required
	 * term that is not a query term.
	 */
	private rankByRanges(
		terms: readonly { termId: number; w: number }[],
		k: number,
		options: SearchOptions
	): RankedItem[] | null {
		const { rangeShift: shift, minPostings } = PRUNING_TUNING;
		const n = terms.length;
		if (k <= 0 || n === 0 || n > 31 || this.mainDocs === 0) return null;
		let mainPostings = 0;
		for (const { termId } of terms)
			if (termId < this.mainTerms)
				mainPostings += this.postOffsets[termId + 1] - this.postOffsets[termId];
		if (mainPostings < minPostings) return null;
		const ranges = ((this.mainDocs - 1) >>> shift) + 1;
		if (ranges > RANGE_KEY) return null;
		const position = new Map<number, number>();
		terms.forEach(({ termId }, i) => position.set(termId, i));
		const groupMasks: number[] = [];
		for (const group of options.required ?? []) {
			let mask = 0;
			for (const term of group) {
				const termId = this.vocabulary.get(term);
				if (termId < 0 || this.df[termId] === 0) continue;
				const i = position.get(termId);
				if (i === undefined) return null;
				mask |= 1 << i;
			}
			// A group none of whose terms occurs can never be met.
			if (mask === 0) return [];
			groupMasks.push(mask);
		}
		const excludedIds = (options.excluded ?? [])
			.map((term) => this.vocabulary.get(term))
			.filter((termId) => termId >= 0 && this.df[termId] > 0);
		const singletons = new Set(groupMasks.filter((mask) => (mask & (mask - 1)) === 0));
		const conjunctive = singletons.size === n;

		const heap = new TopK(k);
		this.rankDelta(terms, groupMasks, excludedIds, options.filter, heap);

		const { maxima, slack } = this.blockBounds();
		const k1 = this.paramsValue.k1;
		const bounds = new Float64Array(n * ranges);
		const first = new Int32Array((n + excludedIds.length) * ranges).fill(-1);
		for (let i = 0; i < n; i++) {
			const { termId, w } = terms[i];
			if (termId >= this.mainTerms) continue;
			fillRangeBounds(
				maxima,
				termId,
				this.postOffsets,
				this.postDocs,
				shift,
				(tfn) => (w * tfn * slack) / (k1 + tfn * slack),
				bounds.subarray(i * ranges, (i + 1) * ranges),
				first.subarray(i * ranges, (i + 1) * ranges)
			);
		}
		const unused = new Float64Array(ranges);
		excludedIds.forEach((termId, e) => {
			if (termId < this.mainTerms)
				fillRangeBounds(
					maxima,
					termId,
					this.postOffsets,
					this.postDocs,
					shift,
					() => 0,
					unused,
					first.subarray((n + e) * ranges, (n + e + 1) * ranges)
				);
		});
		// Per range: the bound of a document there (sum over terms, with a margin for rounding),
		// and a sort key that orders ranges by bound (quantised; the order only affects speed).
		const total = new Float64Array(ranges);
		const keys = new Float64Array(ranges);
		let keyCount = 0;
		for (let r = 0; r < ranges; r++) {
			let sum = 0;
			let present = 0;
			for (let i = 0; i < n; i++) {
				if (first[i * ranges + r] >= 0) {
					sum += bounds[i * ranges + r];
					present |= 1 << i;
				}
			}
			if (present === 0) continue;
			let feasible = true;
			for (const mask of groupMasks) if ((present & mask) === 0) feasible = false;
			if (!feasible) continue;
			total[r] = sum * (1 + 1e-9);
			keys[keyCount++] = Math.floor(Math.min(total[r], KEY_CAP) * KEY_SCALE) * RANGE_KEY + r;
		}
		const order = keys.subarray(0, keyCount).sort();
		const plan: RangePlan = {
			ranges,
			terms,
			bounds,
			first,
			groupMasks,
			excludedIds,
			conjunctive,
			filter: options.filter
		};
		const size = 1 << shift;
		if (this.rangeAcc.length < size) {
			this.rangeAcc = new Float64Array(size);
			this.rangeMask = new Uint32Array(size);
			this.rangeTouched = new Uint32Array(size);
		}
		for (let j = keyCount - 1; j >= 0; j--) {
			const key = order[j];
			const r = key % RANGE_KEY;
			const threshold = heap.threshold;
			if (total[r] < threshold) {
				// Later ranges' bounds are below this range's quantised key + one step.
				if (total[r] < KEY_CAP && (Math.floor(key / RANGE_KEY) + 1) / KEY_SCALE < threshold) break;
				continue;
			}
			this.rankRange(r, plan, heap);
		}
		return heap.sorted();
	}

	/**
	 * Scores the main-segment documents of range r and offers them to the heap. Within the range
	 * the "continue" strategy of Moffat & Zobel runs on the range's own bounds: once the terms
	 * still to come cannot lift an unseen document to the k-th score, they only update the
	 * candidates that can still make it (all of them required terms: from the second term on).
	 */
	private rankRange(r: number, plan: RangePlan, heap: TopK): void {
		const { ranges, terms, bounds, first, groupMasks, excludedIds, conjunctive, filter } = plan;
		const shift = PRUNING_TUNING.rangeShift;
		const lo = r << shift;
		const hi = Math.min(lo + (1 << shift), this.mainDocs);
		const acc = this.rangeAcc;
		const mask = this.rangeMask;
		const touched = this.rangeTouched;
		const postDocs = this.postDocs;
		const postTf = this.postTf;
		const norms = this.norms;
		const k1 = this.paramsValue.k1;
		const theta = heap.threshold;
		let remaining = 0;
		for (let i = 0; i < terms.length; i++) remaining += bounds[i * ranges + r];
		let count = 0;
		let continuing = false;
		for (let i = 0; i < terms.length; i++) {
			const bound = bounds[i * ranges + r];
			let p = first[i * ranges + r];
			if (!continuing && ((conjunctive && i > 0) || remaining * BOUND_MARGIN < theta)) {
				if (count === 0) return;
				continuing = true;
				// Candidates are galloped to in document order.
				if (!conjunctive) touched.subarray(0, count).sort();
			}
			if (continuing && remaining * BOUND_MARGIN < Infinity && theta > -Infinity) {
				let kept = 0;
				for (let c = 0; c < count; c++) {
					const local = touched[c];
					if ((acc[local] + remaining) * BOUND_MARGIN >= theta) touched[kept++] = local;
					else {
						acc[local] = 0;
						mask[local] = 0;
					}
				}
				count = kept;
				if (count === 0) return;
			}
			remaining -= bound;
			if (p < 0) continue;
			const { termId, w } = terms[i];
			const start = this.postOffsets[termId];
			const end = this.postOffsets[termId + 1];
			const bit = 1 << i;
			if (!continuing) {
				for (p = gallop(postDocs, p, end, lo); p < end; p++) {
					const d = postDocs[p];
					if (d >= hi) break;
					const local = d - lo;
					const q = p * FIELD_COUNT;
					const m = d * FIELD_COUNT;
					const tfn =
						postTf[q] * norms[m] + postTf[q + 1] * norms[m + 1] + postTf[q + 2] * norms[m + 2];
					if (mask[local] === 0) touched[count++] = local;
					acc[local] += (w * tfn) / (k1 + tfn);
					mask[local] |= bit;
				}
				continue;
			}
			if ((end - start) / ranges > 4 * count) {
				// Few candidates next to the term's postings here: search for each one.
				for (let c = 0; c < count && p < end; c++) {
					const d = lo + touched[c];
					p = gallop(postDocs, p, end, d);
					if (p < end && postDocs[p] === d) {
						const q = p * FIELD_COUNT;
						const m = d * FIELD_COUNT;
						const tfn =
							postTf[q] * norms[m] + postTf[q + 1] * norms[m + 1] + postTf[q + 2] * norms[m + 2];
						acc[touched[c]] += (w * tfn) / (k1 + tfn);
						mask[touched[c]] |= bit;
					}
				}
			} else {
				for (p = gallop(postDocs, p, end, lo); p < end; p++) {
					const d = postDocs[p];
					if (d >= hi) break;
					const local = d - lo;
					if (mask[local] === 0) continue;
					const q = p * FIELD_COUNT;
					const m = d * FIELD_COUNT;
					const tfn =
						postTf[q] * norms[m] + postTf[q + 1] * norms[m + 1] + postTf[q + 2] * norms[m + 2];
					acc[local] += (w * tfn) / (k1 + tfn);
					mask[local] |= bit;
				}
			}
			if (conjunctive) {
				let kept = 0;
				for (let c = 0; c < count; c++) {
					const local = touched[c];
					if ((mask[local] & bit) !== 0) touched[kept++] = local;
					else {
						acc[local] = 0;
						mask[local] = 0;
					}
				}
				count = kept;
				if (count === 0) return;
			}
		}
		for (let e = 0; e < excludedIds.length; e++) {
			let p = first[(terms.length + e) * ranges + r];
			if (p < 0) continue;
			const end = this.postOffsets[excludedIds[e] + 1];
			for (p = gallop(postDocs, p, end, lo); p < end; p++) {
				const d = postDocs[p];
				if (d >= hi) break;
				if (mask[d - lo] !== 0) mask[d - lo] |= EXCLUDED_BIT;
			}
		}
		const live = this.live.data;
		for (let c = 0; c < count; c++) {
			const local = touched[c];
			const score = acc[local];
			const matched = mask[local];
			acc[local] = 0;
			mask[local] = 0;
			const d = lo + local;
			if (live[d] === 0 || matched >= EXCLUDED_BIT || score < heap.threshold) continue;
			let ok = true;
			for (const group of groupMasks) if ((matched & group) === 0) ok = false;
			if (!ok || (filter !== undefined && !filter(d))) continue;
			heap.push(d, score);
		}
	}

	/** The exhaustive part of {@link LexicalIndex.rankByRanges}: documents of the delta segment. */
	private rankDelta(
		terms: readonly { termId: number; w: number }[],
		groupMasks: readonly number[],
		excludedIds: readonly number[],
		filter: ((docNo: number) => boolean) | undefined,
		heap: TopK
	): void {
		if (this.delta.size === 0) return;
		const base = this.mainDocs;
		const acc = this.acc;
		const touched = this.touched;
		const live = this.live.data;
		const norms = this.norms;
		const k1 = this.paramsValue.k1;
		const masks = new Uint32Array(this.ids.length - base);
		let count = 0;
		terms.forEach(({ termId, w }, i) => {
			const list = this.delta.get(termId);
			if (list === undefined) return;
			const { docs, tf } = list;
			for (let j = 0; j < docs.length; j++) {
				const d = docs[j];
				if (live[d] === 0) continue;
				const q = j * FIELD_COUNT;
				const n = d * FIELD_COUNT;
				const tfn = tf[q] * norms[n] + tf[q + 1] * norms[n + 1] + tf[q + 2] * norms[n + 2];
				if (acc[d] === 0) touched[count++] = d;
				acc[d] = acc[d] + (w * tfn) / (k1 + tfn);
				masks[d - base] |= 1 << i;
			}
		});
		for (const termId of excludedIds) {
			const list = this.delta.get(termId);
			if (list !== undefined) for (const d of list.docs) masks[d - base] |= EXCLUDED_BIT;
		}
		for (let c = 0; c < count; c++) {
			const d = touched[c];
			const score = acc[d];
			acc[d] = 0;
			const matched = masks[d - base];
			if (matched >= EXCLUDED_BIT) continue;
			let ok = true;
			for (const group of groupMasks) if ((matched & group) === 0) ok = false;
			if (ok && (filter === undefined || filter(d))) heap.push(d, score);
		}
	}

	private collect(
		touchedCount: number,
		k: number,
		options: SearchOptions,
		emptyQuery: boolean
	): RankedItem[] {
		const acc = this.acc;
		const touched = this.touched;
		const required = options.required ?? [];
		const excluded = options.excluded ?? [];
		const needStamp = required.length > 0 || excluded.length > 0;
		if (needStamp && this.stamp.length < this.ids.length)
			this.stamp = new Uint16Array(this.acc.length);
		const stamp = this.stamp;
		// Required groups advance a per-document stamp: after group g a document holds g + 1 only
		// if it matched every group so far, so no per-group bitmap is needed.
		const groups = required.map((group) => group.map((term) => this.vocabulary.get(term)));
		groups.forEach((group, g) => {
			for (const termId of group)
				this.forEachPosting(termId, (d) => {
					if (stamp[d] === g) stamp[d] = g + 1;
				});
		});
		const excludedMark = 0xffff;
		const excludedIds = excluded.map((term) => this.vocabulary.get(term));
		for (const termId of excludedIds)
			this.forEachPosting(termId, (d) => {
				stamp[d] = excludedMark;
			});
		const wanted = groups.length;
		const live = this.live.data;
		const filter = options.filter;
		const heap = new TopK(k);
		const consider = (d: number, score: number): void => {
			if (live[d] === 0) return;
			if (needStamp && stamp[d] !== wanted) return;
			if (filter !== undefined && !filter(d)) return;
			heap.push(d, score);
		};
		if (emptyQuery && groups.length > 0) {
			// A pure filter query: every document satisfying the constraints, unscored.
			// Each document is considered once: its stamp is moved past `wanted` after the first visit.
			for (const termId of groups[0])
				this.forEachPosting(termId, (d) => {
					if (stamp[d] !== wanted) return;
					consider(d, 0);
					stamp[d] = wanted + 1;
				});
		}
		for (let i = 0; i < touchedCount; i++) {
			const d = touched[i];
			consider(d, acc[d]);
			acc[d] = 0;
		}
		for (const group of groups)
			for (const termId of group)
				this.forEachPosting(termId, (d) => {
					stamp[d] = 0;
				});
		for (const termId of excludedIds)
			this.forEachPosting(termId, (d) => {
				stamp[d] = 0;
			});
		return heap.sorted();
	}

	/**
	 * Whether a document meets the `required` and `excluded` term constraints, read from its
	 * forward vector (for candidates found by other means, e.g. the semantic layer).
	 */
	satisfies(docNo: number, { required = [], excluded = [] }: SearchOptions): boolean {
		if (required.length === 0 && excluded.length === 0) return true;
		const present = new Set<number>();
		this.forEachTerm(docNo, (termId) => present.add(termId));
		for (const term of excluded) if (present.has(this.vocabulary.get(term))) return false;
		return required.every((group) => group.some((term) => present.has(this.vocabulary.get(term))));
	}

	/** The top-k live documents for a query of analyzed terms, best first. */
	search(query: LexicalQuery, options: SearchOptions = {}): SearchHit[] {
		return this.rank(query, options).map(({ item, score }) => ({ id: this.ids[item], score }));
	}

	/** Analyzes free text and searches it (a convenience for tests and tools). */
	searchText(text: string, options: SearchOptions = {}): SearchHit[] {
		return this.search(analyze(text), options);
	}
}
