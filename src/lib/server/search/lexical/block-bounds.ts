/**
 * Score upper bounds for dynamic pruning over docid-ordered postings.
 *
 * Every posting list of the main segment is cut into blocks of `blockSize` postings, and each
 * block keeps the largest saturating input `tfn = Σ_f tf_f · norm_f` of its postings. BM25's
 * `w · tfn / (k1 + tfn)` rises with tfn, so the block maximum bounds the score of every posting
 * in the block for any idf and k1. The bounds live in memory only: they depend on the field
 * weights and average lengths, are computed in one pass over the postings (≈1 s per 100M), and
 * stay valid as the averages drift (see {@link driftSlack}).
 *
 * At query time the blocks are mapped onto a grid of fixed docid ranges, which gives, per query
 * term and range, a bound and the first posting to read ({@link fillRangeBounds}); the index then
 * scores ranges best bound first and stops when no range can beat the k-th score.
 */
import { FIELD_COUNT } from './lexical-types';

/** Per-block maxima of one main segment, with what they were computed from. */
export interface BlockMaxima {
	blockSize: number;
	/** Blocks of term t are `[blockStart[t], blockStart[t + 1])`. */
	blockStart: Float64Array;
	/** Largest tfn of each block, under `norms` at computation time. */
	maxTfn: Float64Array;
	/** Average field lengths the norms were computed with. */
	averages: Float64Array;
	/** The parameters object the norms were computed with (identity: params are replaced whole). */
	params: object;
}

/** Computes the block maxima of postings `[postOffsets[t], postOffsets[t + 1])` per term t. */
export function computeBlockMaxima(
	postOffsets: Float64Array,
	postDocs: Uint32Array,
	postTf: Uint8Array,
	norms: Float32Array,
	blockSize: number,
	averages: Float64Array,
	params: object
): BlockMaxima {
	const terms = postOffsets.length - 1;
	const blockStart = new Float64Array(terms + 1);
	for (let t = 0; t < terms; t++)
		blockStart[t + 1] =
			blockStart[t] + Math.ceil((postOffsets[t + 1] - postOffsets[t]) / blockSize);
	const maxTfn = new Float64Array(blockStart[terms]);
	let b = 0;
	for (let t = 0; t < terms; t++) {
		const end = postOffsets[t + 1];
		for (let p = postOffsets[t]; p < end; p += blockSize, b++) {
			const last = Math.min(p + blockSize, end);
			let max = 0;
			for (let q = p; q < last; q++) {
				const d = postDocs[q] * FIELD_COUNT;
				const f = q * FIELD_COUNT;
				// The same expression, in the same order, as the scoring loops: bounds equal scores.
				const tfn =
					postTf[f] * norms[d] + postTf[f + 1] * norms[d + 1] + postTf[f + 2] * norms[d + 2];
				if (tfn > max) max = tfn;
			}
			maxTfn[b] = max;
		}
	}
	return { blockSize, blockStart, maxTfn, averages: averages.slice(), params };
}

/**
 * How much larger any document's tfn can be now than when the maxima were computed, or
 * Infinity when no bound holds (then recompute). A field's norm is
 * `weight / (1 − b + b · len / avg)`: as the average grows from a0 to a1 the norm grows by at
 * most a1 / a0 (the limit of long documents), and it never grows as the average shrinks. A field
 * that was empty everywhere (average 0, norm = weight) or became so has no such bound.
 */
export function driftSlack(
	computed: Float64Array,
	now: Float64Array,
	bs: readonly number[]
): number {
	let slack = 1;
	for (let f = 0; f < FIELD_COUNT; f++) {
		if (bs[f] === 0) continue;
		if ((computed[f] === 0) !== (now[f] === 0)) return Infinity;
		if (computed[f] > 0 && now[f] > computed[f]) slack = Math.max(slack, now[f] / computed[f]);
	}
	// Norms are float32: allow their rounding (≈6e-8 relative) on top.
	return slack * (1 + 1e-6);
}

// A block spanning more ranges than this is mapped posting by posting: a rare term's single block
// would otherwise claim every range between its first and last document.
const MAX_BLOCK_SPAN = 8;

/**
 * Fills, for one term, `bound[r]` (the largest score bound of its blocks overlapping range r, 0
 * when it has no posting there) and `first[r]` (a posting index at or before its first posting in
 * range r, −1 when none). Ranges are `[r << shift, (r + 1) << shift)` of document numbers.
 */
export function fillRangeBounds(
	maxima: BlockMaxima,
	termId: number,
	postOffsets: Float64Array,
	postDocs: Uint32Array,
	shift: number,
	score: (tfn: number) => number,
	bound: Float64Array,
	first: Int32Array
): void {
	const { blockSize, blockStart, maxTfn } = maxima;
	const end = postOffsets[termId + 1];
	let b = blockStart[termId];
	for (let p = postOffsets[termId]; p < end; p += blockSize, b++) {
		const last = Math.min(p + blockSize, end) - 1;
		const value = score(maxTfn[b]);
		const r0 = postDocs[p] >>> shift;
		const r1 = postDocs[last] >>> shift;
		if (r1 - r0 <= MAX_BLOCK_SPAN) {
			for (let r = r0; r <= r1; r++) {
				if (value > bound[r]) bound[r] = value;
				if (first[r] < 0) first[r] = p;
			}
		} else {
			for (let q = p; q <= last; q++) {
				const r = postDocs[q] >>> shift;
				if (value > bound[r]) bound[r] = value;
				if (first[r] < 0) first[r] = q;
			}
		}
	}
}
