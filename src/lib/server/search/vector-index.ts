/**
 * Approximate nearest-neighbour search by cosine over document vectors, keyed by document
 * ordinal: an inverted-file index (IVF). Spherical k-means on a sample learns ~√N list centroids;
 * every vector lives in the list of its nearest centroid as int8 codes with one float scale
 * (d + 4 bytes); a query scans only the lists whose centroids are nearest to it. Small
 * collections keep a single list, which makes the same code an exact scan.
 *
 * Bulk assignment is the build's cost (N × lists dot products), so centroids are learned in two
 * levels (√lists groups, then lists within each group) and a vector is routed to its nearest
 * groups first: ~4√lists dot products per vector instead of `lists`. Queries still rank every
 * centroid exactly (a few thousand dot products, well under a millisecond).
 *
 * Optionally a float32 copy of each vector is kept to re-rank the int8 candidates exactly.
 * Vectors of any dimension; they are normalised on the way in, so scores are cosines.
 */
import { mulberry32 } from './linalg';
import { encodeSections, SectionReader } from './sections';
import { TopK, type RankedItem } from './top-k';
import { Growable } from './typed-arrays';

/** Tuning of {@link VectorIndex}; every field has a measured default (docs/benchmarks.md). */
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
	exactBelow: 20_000,
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

/** One inverted list: parallel arrays, entry i is one vector. */
class List {
	ordinals = new Growable(new Int32Array(0));
	scales = new Growable(new Float32Array(0));
	codes = new Growable(new Int8Array(0));
	floats = new Growable(new Float32Array(0));

	get length(): number {
		return this.ordinals.length;
	}
}

/** Dot product of row `row` of a row-major matrix with a query (4 accumulators: ~1.5× faster). */
function dotRow(matrix: ArrayLike<number>, row: number, query: Float64Array, dims: number): number {
	const base = row * dims;
	let s0 = 0;
	let s1 = 0;
	let s2 = 0;
	let s3 = 0;
	let c = 0;
	for (; c + 3 < dims; c += 4) {
		s0 += matrix[base + c] * query[c];
		s1 += matrix[base + c + 1] * query[c + 1];
		s2 += matrix[base + c + 2] * query[c + 2];
		s3 += matrix[base + c + 3] * query[c + 3];
	}
	for (; c < dims; c++) s0 += matrix[base + c] * query[c];
	return s0 + s1 + s2 + s3;
}

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

/** The index of the best-scoring row among `rows` (or all rows when omitted). */
function nearestRow(
	matrix: Float32Array,
	dims: number,
	vector: Float64Array,
	count: number
): { row: number; score: number } {
	let best = 0;
	let bestScore = -Infinity;
	for (let r = 0; r < count; r++) {
		const s = dotRow(matrix, r, vector, dims);
		if (s > bestScore) {
			bestScore = s;
			best = r;
		}
	}
	return { row: best, score: bestScore };
}

/**
 * Spherical k-means (cosine) on the rows of `data`: seeded random initial centroids, `iterations`
 * rounds of assign + renormalised mean; an emptied cluster is reseeded with a random point.
 */
function sphericalKmeans(
	data: Float32Array,
	count: number,
	dims: number,
	k: number,
	iterations: number,
	random: () => number
): { centroids: Float32Array; assignment: Int32Array } {
	const centroids = new Float32Array(k * dims);
	const assignment = new Int32Array(count);
	// Distinct initial points: a partial Fisher–Yates shuffle of the row numbers.
	const order = new Int32Array(count);
	for (let i = 0; i < count; i++) order[i] = i;
	for (let i = 0; i < k; i++) {
		const j = i + Math.floor(random() * (count - i));
		const t = order[i];
		order[i] = order[j];
		order[j] = t;
		centroids.set(data.subarray(order[i] * dims, (order[i] + 1) * dims), i * dims);
	}
	const row = new Float64Array(dims);
	const sums = new Float64Array(k * dims);
	const sizes = new Int32Array(k);
	for (let iteration = 0; iteration <= iterations; iteration++) {
		for (let i = 0; i < count; i++) {
			for (let c = 0; c < dims; c++) row[c] = data[i * dims + c];
			assignment[i] = nearestRow(centroids, dims, row, k).row;
		}
		if (iteration === iterations) break;
		sums.fill(0);
		sizes.fill(0);
		for (let i = 0; i < count; i++) {
			const a = assignment[i];
			sizes[a]++;
			for (let c = 0; c < dims; c++) sums[a * dims + c] += data[i * dims + c];
		}
		for (let j = 0; j < k; j++) {
			let norm = 0;
			for (let c = 0; c < dims; c++) norm += sums[j * dims + c] ** 2;
			if (sizes[j] === 0 || norm === 0) {
				const pick = Math.floor(random() * count);
				centroids.set(data.subarray(pick * dims, (pick + 1) * dims), j * dims);
				continue;
			}
			norm = Math.sqrt(norm);
			for (let c = 0; c < dims; c++) centroids[j * dims + c] = sums[j * dims + c] / norm;
		}
	}
	return { centroids, assignment };
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
	return Math.min(lists, Math.max(1, Math.ceil(lists / 24)));
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

	private constructor(
		readonly dims: number,
		readonly options: VectorIndexOptions,
		/** Row-major `lists × dims` unit centroids. */
		private readonly centroids: Float32Array,
		/** Row-major `groups × dims` unit centroids of the routing level. */
		private readonly groupCentroids: Float32Array,
		/** The group each list belongs to. */
		private readonly listGroup: Int32Array
	) {
		this.lists = Array.from({ length: this.listCount }, () => new List());
		this.groupScores = new Float64Array(this.groupCount);
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
			return new VectorIndex(dims, opts, one, one, new Int32Array(1));
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
			Int32Array.from(listGroup)
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
		let max = 0;
		for (let c = 0; c < dims; c++) max = Math.max(max, Math.abs(v[c]));
		// Symmetric int8 quantisation per vector; the scale restores the unit-length cosine.
		const scale = max > 0 ? max / 127 : 0;
		list.codes.reserve(dims);
		const codes = list.codes.data;
		const at = list.codes.length;
		for (let c = 0; c < dims; c++) codes[at + c] = scale > 0 ? Math.round(v[c] / scale) : 0;
		list.codes.length += dims;
		list.scales.push(scale);
		if (this.keepsFloats) {
			list.floats.reserve(dims);
			list.floats.data.set(v, list.floats.length);
			list.floats.length += dims;
		}
		const slot = list.ordinals.length;
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
		const list = this.lists[this.listOf.data[ordinal]];
		const slot = this.slotOf.data[ordinal];
		const last = list.length - 1;
		if (slot !== last) {
			const moved = list.ordinals.data[last];
			list.ordinals.data[slot] = moved;
			list.scales.data[slot] = list.scales.data[last];
			list.codes.data.copyWithin(slot * dims, last * dims, (last + 1) * dims);
			if (this.keepsFloats)
				list.floats.data.copyWithin(slot * dims, last * dims, (last + 1) * dims);
			this.slotOf.data[moved] = slot;
		}
		list.ordinals.length = last;
		list.scales.length = last;
		list.codes.length = last * dims;
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
		const scale = list.scales.data[slot];
		for (let c = 0; c < dims; c++) out[c] = list.codes.data[slot * dims + c] * scale;
		return out;
	}

	/** Cosine of the stored vector of `ordinal` with a unit query (NaN when absent). */
	similarity(ordinal: number, query: Float64Array): number {
		if (!this.has(ordinal)) return NaN;
		const list = this.lists[this.listOf.data[ordinal]];
		const slot = this.slotOf.data[ordinal];
		return this.keepsFloats
			? dotRow(list.floats.data, slot, query, this.dims)
			: dotRow(list.codes.data, slot, query, this.dims) * list.scales.data[slot];
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
	 * The approximately k nearest vectors to `query` by cosine, best first (ties: smaller
	 * ordinal). Scans the `probes` nearest lists; with a filter, keeps probing further lists
	 * until k accepted vectors are found or every list has been scanned.
	 */
	search(query: Vector, k: number, options: VectorSearchOptions = {}): RankedItem[] {
		if (k <= 0 || this.count === 0) return [];
		const q = unit(query, this.dims);
		const dims = this.dims;
		const { filter } = options;
		const order = this.probeOrder(q);
		const probes =
			options.probes !== undefined
				? Math.max(1, Math.min(options.probes, order.length))
				: probesFor(order.length, this.options);
		const heap = new TopK(this.keepsFloats ? k * this.options.rerank : k);
		for (let p = 0; p < order.length; p++) {
			if (p >= probes && (filter === undefined || heap.length >= k)) break;
			const list = this.lists[order[p]];
			const codes = list.codes.data;
			const scales = list.scales.data;
			const ordinals = list.ordinals.data;
			for (let i = 0; i < list.length; i++) {
				const score = dotRow(codes, i, q, dims) * scales[i];
				if (score <= heap.threshold) continue;
				if (filter !== undefined && !filter(ordinals[i])) continue;
				heap.push(ordinals[i], score);
			}
		}
		const candidates = heap.sorted();
		if (!this.keepsFloats) return candidates;
		const exact = new TopK(k);
		for (const { item } of candidates) exact.push(item, this.similarity(item, q));
		return exact.sorted();
	}

	/** Exact top-k by scanning every list (the reference the approximate search is measured by). */
	searchExact(query: Vector, k: number, options: VectorSearchOptions = {}): RankedItem[] {
		return this.search(query, k, { ...options, probes: this.listCount });
	}

	/** Moves every vector to a new ordinal (`newOrdinal[old]`; -1 or missing drops it). */
	renumber(newOrdinal: Int32Array): void {
		const dims = this.dims;
		let maxOrdinal = -1;
		for (const to of newOrdinal) maxOrdinal = Math.max(maxOrdinal, to);
		const listOf = new Int32Array(maxOrdinal + 1).fill(-1);
		const slotOf = new Int32Array(maxOrdinal + 1).fill(-1);
		this.count = 0;
		this.lists.forEach((list, l) => {
			let kept = 0;
			for (let i = 0; i < list.length; i++) {
				const to = newOrdinal[list.ordinals.data[i]] ?? -1;
				if (to < 0) continue;
				list.ordinals.data[kept] = to;
				list.scales.data[kept] = list.scales.data[i];
				list.codes.data.copyWithin(kept * dims, i * dims, (i + 1) * dims);
				if (this.keepsFloats) list.floats.data.copyWithin(kept * dims, i * dims, (i + 1) * dims);
				listOf[to] = l;
				slotOf[to] = kept++;
			}
			list.ordinals.length = kept;
			list.scales.length = kept;
			list.codes.length = kept * dims;
			if (this.keepsFloats) list.floats.length = kept * dims;
			this.count += kept;
		});
		this.listOf.data = listOf;
		this.listOf.length = listOf.length;
		this.slotOf.data = slotOf;
		this.slotOf.length = slotOf.length;
	}

	/** Encodes the index (see sections.ts); lists are stored back to back. */
	serialize(): Buffer {
		const dims = this.dims;
		const lengths = new Uint32Array(this.lists.length);
		this.lists.forEach((list, l) => (lengths[l] = list.length));
		const entries = this.count;
		const ordinals = new Int32Array(entries);
		const scales = new Float32Array(entries);
		const codes = new Int8Array(entries * dims);
		const floats = new Float32Array(this.keepsFloats ? entries * dims : 0);
		let at = 0;
		for (const list of this.lists) {
			ordinals.set(list.ordinals.data.subarray(0, list.length), at);
			scales.set(list.scales.data.subarray(0, list.length), at);
			codes.set(list.codes.data.subarray(0, list.length * dims), at * dims);
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

	/** Restores an index written by {@link VectorIndex.serialize} (lists view the input's memory). */
	static deserialize(bytes: Uint8Array): VectorIndex {
		const reader = new SectionReader<Header>(bytes, MAGIC, VERSION, 'vector index');
		const { header } = reader;
		const dims = header.dims;
		const centroids = reader.typed(Float32Array, header.lists * dims);
		const groupCentroids = reader.typed(Float32Array, header.groups * dims);
		const listGroup = reader.typed(Int32Array, header.lists);
		const lengths = reader.typed(Uint32Array, header.lists);
		const ordinals = reader.typed(Int32Array, header.entries);
		const scales = reader.typed(Float32Array, header.entries);
		const codes = reader.typed(Int8Array, header.entries * dims);
		const floats = reader.typed(Float32Array, header.floats ? header.entries * dims : 0);
		const index = new VectorIndex(dims, header.options, centroids, groupCentroids, listGroup);
		let maxOrdinal = -1;
		for (let i = 0; i < ordinals.length; i++) maxOrdinal = Math.max(maxOrdinal, ordinals[i]);
		index.listOf.data = new Int32Array(maxOrdinal + 1).fill(-1);
		index.listOf.length = maxOrdinal + 1;
		index.slotOf.data = new Int32Array(maxOrdinal + 1).fill(-1);
		index.slotOf.length = maxOrdinal + 1;
		let at = 0;
		index.lists.forEach((list, l) => {
			const n = lengths[l];
			const view = <T extends Growable<Int8Array | Int32Array | Float32Array>>(
				target: T,
				data: T['data']
			) => {
				target.data = data;
				target.length = data.length;
			};
			view(list.ordinals, ordinals.subarray(at, at + n));
			view(list.scales, scales.subarray(at, at + n));
			view(list.codes, codes.subarray(at * dims, (at + n) * dims));
			if (header.floats) view(list.floats, floats.subarray(at * dims, (at + n) * dims));
			for (let i = 0; i < n; i++) {
				index.listOf.data[ordinals[at + i]] = l;
				index.slotOf.data[ordinals[at + i]] = i;
			}
			at += n;
		});
		index.count = header.entries;
		return index;
	}

	/** Bytes held: codes, scales, ordinals, float copies, centroids and the ordinal maps. */
	bytes(): number {
		let total =
			this.centroids.byteLength +
			this.groupCentroids.byteLength +
			this.listOf.data.byteLength +
			this.slotOf.data.byteLength;
		for (const list of this.lists)
			total +=
				list.codes.data.byteLength +
				list.scales.data.byteLength +
				list.ordinals.data.byteLength +
				list.floats.data.byteLength;
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
