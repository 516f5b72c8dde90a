/**
 * Approximate nearest-neighbour search by cosine over document vectors, keyed by document
 * ordinal: an inverted-file index (IVF). Spherical k-means on a sample learns list centroids;
 * every vector lives in the list of its nearest centroid as int8 codes with one float scale; a
 * query scans only the lists whose centroids are nearest to it. Small collections keep a single
 * list, which makes the same code an exact scan.
 *
 * The codes of every list live in one WebAssembly memory so that the scan runs as a SIMD kernel
 * (vector-kernel.ts, ~25× the JavaScript loop): each list is a block of that memory that grows
 * by moving to the end (the space left behind is reclaimed by {@link VectorIndex.compact}).
 * Candidates are re-scored in float against the int8 codes (or against float copies with
 * `rerank`), so the scores are those of an exact int8 scan.
 *
 * Bulk assignment is the build's cost (N × lists dot products), so centroids are learned in two
 * levels (√lists groups, then lists within each group) and a vector is routed through its
 * nearest groups only. Vectors of any dimension; they are normalised on the way in, so scores
 * are cosines.
 */
import { mulberry32 } from '$lib/core/random';
import { encodeSections, SectionReader } from '../shared/sections';
import { TopK, type RankedItem } from '../shared/top-k';
import { Growable } from '../shared/typed-arrays';
import { CHUNK, CodeArena, List, PAGE } from './code-arena';
import { dotRow, sphericalKmeans } from './kmeans';
import { LANES } from './vector-kernel';

/** Tuning of {@link VectorIndex}; the defaults are measured (docs/benchmarks.md, "Vector search"). */
export interface VectorIndexOptions {
	/** Inverted lists; 0 picks automatically: 1 below `exactBelow`, else round(√N). */
	lists: number;
	/** Collections smaller than this are scanned exactly (one list). */
	exactBelow: number;
	/** Lists probed per query; 0 picks automatically from the number of lists. */
	probes: number;
	/** Keep float32 copies and re-rank this many × k int8 candidates exactly (0 = int8 only). */
	rerank: number;
	/** Training points per list for k-means (the sample is capped by the collection). */
	samplePerList: number;
	/** k-means iterations per level. */
	iterations: number;
	/** Groups a vector is routed through when it is assigned to a list. */
	routeGroups: number;
	seed: number;
}

export const DEFAULT_VECTOR_INDEX: VectorIndexOptions = {
	lists: 0,
	exactBelow: 500_000,
	probes: 0,
	rerank: 0,
	samplePerList: 64,
	iterations: 8,
	routeGroups: 4,
	seed: 42
};

/** Options of one {@link VectorIndex.search}. */
export interface VectorSearchOptions {
	/** Only ordinals it accepts are returned; more lists are probed until k are found. */
	filter?: (ordinal: number) => boolean;
	/** Overrides the index's probe count for this query. */
	probes?: number;
}

/** Any dense vector: Float32Array, Float64Array or a plain array. */
export type Vector = ArrayLike<number>;

const MAGIC = 0x56495044; // "DPIV" little-endian
const VERSION = 1;

interface Header {
	options: VectorIndexOptions;
	dims: number;
	lists: number;
	groups: number;
	entries: number;
	floats: boolean;
}

// Candidates kept from the int scores beyond k before the float re-score.
const RESCORE_MARGIN = 16;

/** A unit-length Float64 copy of `vector` (all zeros stays all zeros). */
function unit(vector: Vector, dims: number): Float64Array {
	if (vector.length !== dims)
		throw new Error(`vector has ${vector.length} dimensions, the index ${dims}`);
	const out = new Float64Array(dims);
	let norm = 0;
	for (let c = 0; c < dims; c++) {
		const x = vector[c];
		if (!Number.isFinite(x)) throw new Error('vector has a non-finite component');
		out[c] = x;
		norm += x * x;
	}
	if (norm > 0) {
		norm = Math.sqrt(norm);
		for (let c = 0; c < dims; c++) out[c] /= norm;
	}
	return out;
}

/** The number of lists automatic sizing gives a collection of `size` vectors. */
export function listsFor(size: number, options: VectorIndexOptions = DEFAULT_VECTOR_INDEX): number {
	if (options.lists > 0) return options.lists;
	if (size < options.exactBelow) return 1;
	return Math.max(1, Math.round(Math.sqrt(size)));
}

/** The number of lists probed per query by default for an index of `lists` lists. */
export function probesFor(
	lists: number,
	options: VectorIndexOptions = DEFAULT_VECTOR_INDEX
): number {
	if (options.probes > 0) return Math.min(options.probes, lists);
	// 60 % of the lists: on the LSA vectors of the generated corpus (low contrast: the 10th and
	// 11th neighbours differ by ~0.004 cosine) recall@10 is 0.94 at half the lists and 0.97 at
	// 70 % (docs/benchmarks.md, "Vector search"); the SIMD scan makes that affordable.
	return Math.min(lists, Math.max(1, Math.ceil(lists * 0.6)));
}

/** An IVF index of int8-quantised unit vectors keyed by non-negative integer ordinals. */
export class VectorIndex {
	private readonly lists: List[];
	/** Per ordinal: its list, or -1 when absent. */
	private readonly listOf = new Growable(new Int32Array(0));
	/** Per ordinal: its entry within the list. */
	private readonly slotOf = new Growable(new Int32Array(0));
	private count = 0;
	private readonly groupScores: Float64Array;
	private readonly arena: CodeArena;
	/** Int8 bytes per vector: dims padded to the kernel's lanes. */
	private readonly stride: number;

	private constructor(
		readonly dims: number,
		readonly options: VectorIndexOptions,
		/** Row-major `lists × dims` unit centroids. */
		private readonly centroids: Float32Array,
		/** Row-major `groups × dims` unit centroids of the routing level. */
		private readonly groupCentroids: Float32Array,
		/** The group each list belongs to. */
		private readonly listGroup: Int32Array,
		/** Entries to make room for up front (spread evenly over the lists). */
		expectedSize: number
	) {
		this.stride = Math.ceil(dims / LANES) * LANES;
		this.lists = Array.from({ length: this.listCount }, () => new List());
		this.groupScores = new Float64Array(this.groupCount);
		// A quarter more than an even share, so most lists never move while they fill.
		const perList = expectedSize > 0 ? Math.ceil((1.25 * expectedSize) / this.listCount) : 0;
		this.arena = new CodeArena(this.stride, perList * this.listCount * (this.stride + 4));
		if (perList > 0) for (const list of this.lists) this.resize(list, perList);
	}

	/** The number of inverted lists (1 = exact scan). */
	get listCount(): number {
		return this.centroids.length / this.dims;
	}

	private get groupCount(): number {
		return this.groupCentroids.length / this.dims;
	}

	/** The number of vectors held. */
	get size(): number {
		return this.count;
	}

	/** Whether the index scans everything (one list). */
	get exact(): boolean {
		return this.listCount === 1;
	}

	/** Whether float copies are kept for the exact re-rank. */
	get keepsFloats(): boolean {
		return this.options.rerank > 0;
	}

	/** Whether the scan runs as WebAssembly SIMD (false: the JavaScript fallback). */
	get simd(): boolean {
		return this.arena.kernel.simd;
	}

	/**
	 * An empty index whose lists are learned from `sample` (row-major, `dims` columns) and sized
	 * for a collection of `expectedSize` vectors; fill it with {@link VectorIndex.add}.
	 */
	static train(
		sample: Float32Array,
		dims: number,
		expectedSize: number,
		options: Partial<VectorIndexOptions> = {}
	): VectorIndex {
		const opts = { ...DEFAULT_VECTOR_INDEX, ...options };
		if (!Number.isInteger(dims) || dims <= 0)
			throw new Error('dimensions must be a positive integer');
		if (sample.length % dims !== 0) throw new Error('sample length is not a multiple of dims');
		const rows = sample.length / dims;
		const normalized = new Float32Array(sample.length);
		for (let r = 0; r < rows; r++)
			normalized.set(unit(sample.subarray(r * dims, (r + 1) * dims), dims), r * dims);
		const lists = Math.max(1, Math.min(listsFor(expectedSize, opts), rows));
		if (lists === 1) {
			const one = new Float32Array(dims);
			return new VectorIndex(dims, opts, one, one, new Int32Array(1), expectedSize);
		}
		const random = mulberry32(opts.seed);
		const groups = Math.max(1, Math.min(Math.round(Math.sqrt(lists)), lists));
		const top = sphericalKmeans(normalized, rows, dims, groups, opts.iterations, random);
		// Members of each group, then lists per group in proportion to its share of the sample.
		const members: number[][] = Array.from({ length: groups }, () => []);
		for (let r = 0; r < rows; r++) members[top.assignment[r]].push(r);
		const share = members.map((m) => Math.max(1, Math.round((lists * m.length) / rows)));
		const centroids: number[] = [];
		const listGroup: number[] = [];
		const groupCentroids = new Float32Array(groups * dims);
		let usedGroups = 0;
		for (let g = 0; g < groups; g++) {
			const rowsOfGroup = members[g];
			if (rowsOfGroup.length === 0) continue;
			const data = new Float32Array(rowsOfGroup.length * dims);
			rowsOfGroup.forEach((r, i) =>
				data.set(normalized.subarray(r * dims, (r + 1) * dims), i * dims)
			);
			const k = Math.min(share[g], rowsOfGroup.length);
			const sub = sphericalKmeans(data, rowsOfGroup.length, dims, k, opts.iterations, random);
			for (let j = 0; j < k; j++) {
				for (let c = 0; c < dims; c++) centroids.push(sub.centroids[j * dims + c]);
				listGroup.push(usedGroups);
			}
			groupCentroids.set(top.centroids.subarray(g * dims, (g + 1) * dims), usedGroups * dims);
			usedGroups++;
		}
		return new VectorIndex(
			dims,
			opts,
			Float32Array.from(centroids),
			groupCentroids.slice(0, usedGroups * dims),
			Int32Array.from(listGroup),
			expectedSize
		);
	}

	/**
	 * Builds an index over the rows of a row-major matrix; row i gets ordinal i. Trains on a
	 * seeded sample of rows (`samplePerList` per list), then assigns every row.
	 */
	static build(
		matrix: Float32Array,
		dims: number,
		options: Partial<VectorIndexOptions> = {}
	): VectorIndex {
		const opts = { ...DEFAULT_VECTOR_INDEX, ...options };
		if (!Number.isInteger(dims) || dims <= 0)
			throw new Error('dimensions must be a positive integer');
		if (matrix.length % dims !== 0) throw new Error('matrix length is not a multiple of dims');
		const rows = matrix.length / dims;
		const lists = listsFor(rows, opts);
		const sampleRows = lists === 1 ? 0 : Math.min(rows, lists * opts.samplePerList);
		const all = Array.from({ length: sampleRows === 0 ? 0 : rows }, (_, r) => r);
		const picked = sampleSorted(all, sampleRows, opts.seed);
		const sample = new Float32Array(picked.length * dims);
		picked.forEach((r, i) => sample.set(matrix.subarray(r * dims, (r + 1) * dims), i * dims));
		const index = VectorIndex.train(sample, dims, rows, opts);
		for (let r = 0; r < rows; r++) index.add(r, matrix.subarray(r * dims, (r + 1) * dims));
		return index;
	}

	/** The list a unit vector belongs to: nearest centroid among the nearest groups' lists. */
	private route(vector: Float64Array): number {
		if (this.exact) return 0;
		const dims = this.dims;
		const groups = this.groupCount;
		const groupScores = this.groupScores;
		for (let g = 0; g < groups; g++) groupScores[g] = dotRow(this.groupCentroids, g, vector, dims);
		// The routeGroups-th best group score: lists of groups scoring at least this are candidates.
		const cutoff =
			groups <= this.options.routeGroups
				? -Infinity
				: Float64Array.from(groupScores).sort()[groups - this.options.routeGroups];
		let best = 0;
		let bestScore = -Infinity;
		for (let l = 0; l < this.listCount; l++) {
			if (groupScores[this.listGroup[l]] < cutoff) continue;
			const s = dotRow(this.centroids, l, vector, dims);
			if (s > bestScore) {
				bestScore = s;
				best = l;
			}
		}
		return best;
	}

	/** Moves a list to a new block of `capacity` entries at the end of the arena. */
	private resize(list: List, capacity: number): void {
		const at = this.arena.allocate(this.arena.blockBytes(capacity));
		const codes = this.arena.codes;
		const scales = this.arena.scalesAt(list);
		codes.copyWithin(at, list.offset, list.offset + list.length * this.stride);
		codes.copyWithin(at + capacity * this.stride, scales, scales + 4 * list.length);
		list.offset = at;
		list.capacity = capacity;
	}

	/** Whether `ordinal` holds a vector. */
	has(ordinal: number): boolean {
		return ordinal >= 0 && ordinal < this.listOf.length && this.listOf.data[ordinal] >= 0;
	}

	/**
	 * Adds (or replaces) the vector of `ordinal`. The vector is normalised; an all-zero vector is
	 * kept and scores 0 against everything.
	 */
	add(ordinal: number, vector: Vector): void {
		if (!Number.isSafeInteger(ordinal) || ordinal < 0 || ordinal > 0x7fffffff)
			throw new Error(`invalid ordinal ${ordinal}`);
		const dims = this.dims;
		const v = unit(vector, dims);
		this.remove(ordinal);
		const listNo = this.route(v);
		const list = this.lists[listNo];
		if (list.length === list.capacity) {
			// Space left behind by moved lists is reclaimed once it outweighs the live codes.
			if (this.arena.used > 2 * this.arena.blockBytes(this.count + 1) + 4 * PAGE) this.compact();
			this.resize(list, Math.max(16, Math.ceil(list.capacity * 1.5)));
		}
		let max = 0;
		for (let c = 0; c < dims; c++) max = Math.max(max, Math.abs(v[c]));
		// Symmetric int8 quantisation per vector; the scale restores the unit-length cosine.
		const scale = max > 0 ? max / 127 : 0;
		const slot = list.length;
		const codes = this.arena.codes;
		const base = list.offset + slot * this.stride;
		for (let c = 0; c < dims; c++) codes[base + c] = scale > 0 ? Math.round(v[c] / scale) : 0;
		codes.fill(0, base + dims, base + this.stride);
		this.arena.floats[(this.arena.scalesAt(list) >> 2) + slot] = scale;
		if (this.keepsFloats) {
			list.floats.reserve(dims);
			list.floats.data.set(v, list.floats.length);
			list.floats.length += dims;
		}
		list.ordinals.push(ordinal);
		while (this.listOf.length <= ordinal) {
			this.listOf.push(-1);
			this.slotOf.push(-1);
		}
		this.listOf.data[ordinal] = listNo;
		this.slotOf.data[ordinal] = slot;
		this.count++;
	}

	/** Removes the vector of `ordinal` (the list's last entry moves into its slot). */
	remove(ordinal: number): boolean {
		if (!this.has(ordinal)) return false;
		const dims = this.dims;
		const stride = this.stride;
		const list = this.lists[this.listOf.data[ordinal]];
		const slot = this.slotOf.data[ordinal];
		const last = list.length - 1;
		if (slot !== last) {
			const moved = list.ordinals.data[last];
			list.ordinals.data[slot] = moved;
			const scales = this.arena.floats;
			const scalesBase = this.arena.scalesAt(list) >> 2;
			scales[scalesBase + slot] = scales[scalesBase + last];
			const from = list.offset + last * stride;
			this.arena.codes.copyWithin(list.offset + slot * stride, from, from + stride);
			if (this.keepsFloats)
				list.floats.data.copyWithin(slot * dims, last * dims, (last + 1) * dims);
			this.slotOf.data[moved] = slot;
		}
		list.ordinals.length = last;
		if (this.keepsFloats) list.floats.length = last * dims;
		this.listOf.data[ordinal] = -1;
		this.slotOf.data[ordinal] = -1;
		this.count--;
		return true;
	}

	/** The stored (unit, dequantised unless floats are kept) vector of `ordinal`, or null. */
	vector(ordinal: number): Float32Array | null {
		if (!this.has(ordinal)) return null;
		const dims = this.dims;
		const list = this.lists[this.listOf.data[ordinal]];
		const slot = this.slotOf.data[ordinal];
		if (this.keepsFloats) return list.floats.data.slice(slot * dims, (slot + 1) * dims);
		const out = new Float32Array(dims);
		const scale = this.arena.floats[(this.arena.scalesAt(list) >> 2) + slot];
		const codes = this.arena.codes;
		const base = list.offset + slot * this.stride;
		for (let c = 0; c < dims; c++) out[c] = codes[base + c] * scale;
		return out;
	}

	/** Cosine of the stored vector of `ordinal` with a unit query (NaN when absent). */
	similarity(ordinal: number, query: Float64Array): number {
		if (!this.has(ordinal)) return NaN;
		return this.score(this.listOf.data[ordinal], this.slotOf.data[ordinal], query);
	}

	/** The float score of one entry: its float copy, or its int8 codes times its scale. */
	private score(listNo: number, slot: number, query: Float64Array): number {
		const list = this.lists[listNo];
		if (this.keepsFloats) return dotRow(list.floats.data, slot, query, this.dims);
		const codes = this.arena.codes;
		const base = list.offset + slot * this.stride;
		// The same four-accumulator order as dotRow, on the codes of this entry.
		let s0 = 0;
		let s1 = 0;
		let s2 = 0;
		let s3 = 0;
		let c = 0;
		const dims = this.dims;
		for (; c + 3 < dims; c += 4) {
			s0 += codes[base + c] * query[c];
			s1 += codes[base + c + 1] * query[c + 1];
			s2 += codes[base + c + 2] * query[c + 2];
			s3 += codes[base + c + 3] * query[c + 3];
		}
		for (; c < dims; c++) s0 += codes[base + c] * query[c];
		return (s0 + s1 + s2 + s3) * this.arena.floats[(this.arena.scalesAt(list) >> 2) + slot];
	}

	/** The lists to scan for a unit query, nearest centroid first. */
	private probeOrder(query: Float64Array): Int32Array {
		const lists = this.listCount;
		const order = new Int32Array(lists);
		for (let l = 0; l < lists; l++) order[l] = l;
		if (lists === 1) return order;
		const scores = new Float64Array(lists);
		for (let l = 0; l < lists; l++) scores[l] = dotRow(this.centroids, l, query, this.dims);
		order.sort((a, b) => scores[b] - scores[a] || a - b);
		return order;
	}

	/**
	 * Writes the query into the arena as int16 lanes; returns the factor that turns the kernel's
	 * integer dot products back into cosines (before each vector's own scale).
	 */
	private loadQuery(query: Float64Array): number {
		let max = 0;
		for (let c = 0; c < this.dims; c++) max = Math.max(max, Math.abs(query[c]));
		if (max === 0) return 0;
		// Large enough for precision, small enough that Σ 127 × q never overflows an int32.
		const limit = Math.min(32767, Math.floor(0x7fffffff / (127 * this.stride)));
		const lanes = new Int16Array(this.stride);
		for (let c = 0; c < this.dims; c++) lanes[c] = Math.round((query[c] / max) * limit);
		this.arena.setQuery(lanes);
		return max / limit;
	}

	/**
	 * The approximately k nearest vectors to `query` by cosine, best first (ties: smaller
	 * ordinal). Scans the `probes` nearest lists; with a filter, keeps probing further lists
	 * until k accepted vectors are found or every list has been scanned.
	 */
	search(query: Vector, k: number, options: VectorSearchOptions = {}): RankedItem[] {
		if (k <= 0 || this.count === 0) return [];
		const q = unit(query, this.dims);
		const { filter } = options;
		const order = this.probeOrder(q);
		const probes =
			options.probes !== undefined
				? Math.max(1, Math.min(options.probes, order.length))
				: probesFor(order.length, this.options);
		const factor = this.loadQuery(q);
		const kernel = this.arena.kernel;
		const stride = this.stride;
		// Candidates by the kernel's scores (int16 query), re-scored in float below.
		const wanted = this.keepsFloats ? k * this.options.rerank : k + RESCORE_MARGIN;
		const heap = new TopK(wanted);
		let accepted = 0;
		for (let p = 0; p < order.length; p++) {
			if (p >= probes && (filter === undefined || accepted >= k)) break;
			const list = this.lists[order[p]];
			const ordinals = list.ordinals.data;
			const scalesAt = this.arena.scalesAt(list);
			for (let from = 0; from < list.length; from += CHUNK) {
				const n = Math.min(CHUNK, list.length - from);
				// The kernel compares in its own units (before the query's factor), a hair lower
				// than the threshold so float32 rounding never drops a candidate.
				const threshold = heap.threshold;
				const limit =
					factor > 0 && threshold > -Infinity
						? (threshold - 1e-6 * Math.abs(threshold) - 1e-9) / factor
						: -Infinity;
				const hits = kernel.scan(
					list.offset + from * stride,
					scalesAt + 4 * from,
					n,
					stride,
					this.arena.queryAt,
					this.arena.outAt,
					limit
				);
				const scores = this.arena.floats;
				const indexes = this.arena.ints;
				const outBase = this.arena.outAt >> 2;
				for (let h = 0; h < hits; h++) {
					const score = scores[outBase + 2 * h + 1] * factor;
					if (score < heap.threshold) continue;
					const ordinal = ordinals[from + indexes[outBase + 2 * h]];
					if (filter !== undefined && !filter(ordinal)) continue;
					accepted++;
					heap.push(ordinal, score);
				}
			}
		}
		const exact = new TopK(k);
		for (const { item } of heap.sorted())
			exact.push(item, this.score(this.listOf.data[item], this.slotOf.data[item], q));
		return exact.sorted();
	}

	/** Exact top-k by scanning every list (the reference the approximate search is measured by). */
	searchExact(query: Vector, k: number, options: VectorSearchOptions = {}): RankedItem[] {
		return this.search(query, k, { ...options, probes: this.listCount });
	}

	/** Moves every vector to a new ordinal (`newOrdinal[old]`; -1 or missing drops it). */
	renumber(newOrdinal: Int32Array): void {
		const dims = this.dims;
		const stride = this.stride;
		const codes = this.arena.codes;
		let maxOrdinal = -1;
		for (const to of newOrdinal) maxOrdinal = Math.max(maxOrdinal, to);
		const listOf = new Int32Array(maxOrdinal + 1).fill(-1);
		const slotOf = new Int32Array(maxOrdinal + 1).fill(-1);
		this.count = 0;
		const scales = this.arena.floats;
		this.lists.forEach((list, l) => {
			const scalesBase = this.arena.scalesAt(list) >> 2;
			let kept = 0;
			for (let i = 0; i < list.length; i++) {
				const to = newOrdinal[list.ordinals.data[i]] ?? -1;
				if (to < 0) continue;
				list.ordinals.data[kept] = to;
				scales[scalesBase + kept] = scales[scalesBase + i];
				const from = list.offset + i * stride;
				codes.copyWithin(list.offset + kept * stride, from, from + stride);
				if (this.keepsFloats) list.floats.data.copyWithin(kept * dims, i * dims, (i + 1) * dims);
				listOf[to] = l;
				slotOf[to] = kept++;
			}
			list.ordinals.length = kept;
			if (this.keepsFloats) list.floats.length = kept * dims;
			this.count += kept;
		});
		this.listOf.data = listOf;
		this.listOf.length = listOf.length;
		this.slotOf.data = slotOf;
		this.slotOf.length = slotOf.length;
	}

	/** Reclaims the arena space left behind by lists that moved (no spare capacity remains). */
	compact(): void {
		this.arena.pack(this.lists);
	}

	/** Encodes the index (see shared/sections.ts); lists are stored back to back. */
	serialize(): Buffer {
		const dims = this.dims;
		const stride = this.stride;
		const lengths = new Uint32Array(this.lists.length);
		this.lists.forEach((list, l) => (lengths[l] = list.length));
		const entries = this.count;
		const ordinals = new Int32Array(entries);
		const scales = new Float32Array(entries);
		const codes = new Int8Array(entries * dims);
		const floats = new Float32Array(this.keepsFloats ? entries * dims : 0);
		const arena = this.arena.codes;
		let at = 0;
		for (const list of this.lists) {
			ordinals.set(list.ordinals.data.subarray(0, list.length), at);
			const scalesBase = this.arena.scalesAt(list) >> 2;
			scales.set(this.arena.floats.subarray(scalesBase, scalesBase + list.length), at);
			for (let i = 0; i < list.length; i++) {
				const from = list.offset + i * stride;
				codes.set(arena.subarray(from, from + dims), (at + i) * dims);
			}
			if (this.keepsFloats) floats.set(list.floats.data.subarray(0, list.length * dims), at * dims);
			at += list.length;
		}
		const header: Header = {
			options: this.options,
			dims,
			lists: this.listCount,
			groups: this.groupCount,
			entries,
			floats: this.keepsFloats
		};
		return encodeSections(MAGIC, VERSION, header, [
			this.centroids,
			this.groupCentroids,
			this.listGroup,
			lengths,
			ordinals,
			scales,
			codes,
			floats
		]);
	}

	/** Restores an index written by {@link VectorIndex.serialize}. */
	static deserialize(bytes: Uint8Array): VectorIndex {
		const reader = new SectionReader<Header>(bytes, MAGIC, VERSION, 'vector index');
		const { header } = reader;
		const dims = header.dims;
		const centroids = reader.typed(Float32Array, header.lists * dims).slice();
		const groupCentroids = reader.typed(Float32Array, header.groups * dims).slice();
		const listGroup = reader.typed(Int32Array, header.lists).slice();
		const lengths = reader.typed(Uint32Array, header.lists);
		const ordinals = reader.typed(Int32Array, header.entries);
		const scales = reader.typed(Float32Array, header.entries);
		const codes = reader.typed(Int8Array, header.entries * dims);
		const floats = reader.typed(Float32Array, header.floats ? header.entries * dims : 0);
		const index = new VectorIndex(dims, header.options, centroids, groupCentroids, listGroup, 0);
		let maxOrdinal = -1;
		for (let i = 0; i < ordinals.length; i++) maxOrdinal = Math.max(maxOrdinal, ordinals[i]);
		index.listOf.data = new Int32Array(maxOrdinal + 1).fill(-1);
		index.listOf.length = maxOrdinal + 1;
		index.slotOf.data = new Int32Array(maxOrdinal + 1).fill(-1);
		index.slotOf.length = maxOrdinal + 1;
		const stride = index.stride;
		index.arena.reserve(header.entries * (stride + 4) + 8 * header.lists);
		let at = 0;
		index.lists.forEach((list, l) => {
			const n = lengths[l];
			index.resize(list, n);
			const arena = index.arena.codes;
			for (let i = 0; i < n; i++)
				arena.set(codes.subarray((at + i) * dims, (at + i + 1) * dims), list.offset + i * stride);
			list.ordinals.data = ordinals.slice(at, at + n);
			list.ordinals.length = n;
			index.arena.floats.set(scales.subarray(at, at + n), index.arena.scalesAt(list) >> 2);
			if (header.floats) {
				list.floats.data = floats.slice(at * dims, (at + n) * dims);
				list.floats.length = n * dims;
			}
			for (let i = 0; i < n; i++) {
				index.listOf.data[ordinals[at + i]] = l;
				index.slotOf.data[ordinals[at + i]] = i;
			}
			at += n;
		});
		index.count = header.entries;
		return index;
	}

	/** Bytes held: the code arena's memory (codes, scales), ordinals, float copies, centroids, maps. */
	bytes(): number {
		let total =
			this.arena.reserved +
			this.centroids.byteLength +
			this.groupCentroids.byteLength +
			this.listOf.data.byteLength +
			this.slotOf.data.byteLength;
		for (const list of this.lists)
			total += list.ordinals.data.byteLength + list.floats.data.byteLength;
		return total;
	}
}

/**
 * A uniform seeded sample of at most `max` items (reservoir sampling, each kept with probability
 * max / n), in ascending order.
 */
export function sampleSorted(items: readonly number[], max: number, seed: number): number[] {
	if (items.length <= max) return [...items];
	const random = mulberry32(seed ^ 0x9e3779b9);
	const picked = items.slice(0, max);
	for (let i = max; i < items.length; i++) {
		const j = Math.floor(random() * (i + 1));
		if (j < max) picked[j] = items[i];
	}
	return picked.sort((a, b) => a - b);
}
