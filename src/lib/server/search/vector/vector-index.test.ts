import { describe, expect, it } from 'vitest';
import { mulberry32 } from '$lib/core/random';
import { VectorIndex } from './vector-index';

/** Unit vectors around `clusters` random centres (row-major), like topic-clustered documents. */
function clusteredVectors(
	count: number,
	dims: number,
	clusters: number,
	seed: number,
	pointSeed = 0
) {
	let random = mulberry32(seed);
	const normal = () => {
		const u = Math.max(random(), 1e-12);
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
	};
	const centres = Array.from({ length: clusters }, () => Array.from({ length: dims }, normal));
	// Same centres, different points: queries from the distribution, not copies of the data.
	if (pointSeed !== 0) random = mulberry32(pointSeed);
	const out = new Float32Array(count * dims);
	for (let i = 0; i < count; i++) {
		const centre = centres[Math.floor(random() * clusters)];
		for (let c = 0; c < dims; c++) out[i * dims + c] = centre[c] + 0.6 * normal();
	}
	return out;
}

/** Exact cosine top-k by brute force on the float vectors: the reference for recall. */
function bruteForce(matrix: Float32Array, dims: number, query: Float32Array, k: number): number[] {
	const norm = (v: ArrayLike<number>, base: number) => {
		let s = 0;
		for (let c = 0; c < dims; c++) s += v[base + c] ** 2;
		return Math.sqrt(s);
	};
	const qn = norm(query, 0);
	const scored: { row: number; score: number }[] = [];
	for (let r = 0; r < matrix.length / dims; r++) {
		let dot = 0;
		for (let c = 0; c < dims; c++) dot += matrix[r * dims + c] * query[c];
		scored.push({ row: r, score: dot / (norm(matrix, r * dims) * qn) });
	}
	scored.sort((a, b) => b.score - a.score || a.row - b.row);
	return scored.slice(0, k).map((s) => s.row);
}

const dims = 32;

describe('VectorIndex', () => {
	it('keeps one list (an exact scan) for small collections and finds a vector itself first', () => {
		const matrix = clusteredVectors(500, dims, 10, 1);
		const index = VectorIndex.build(matrix, dims);
		expect(index.exact).toBe(true);
		expect(index.size).toBe(500);
		for (const row of [0, 17, 499]) {
			const hits = index.search(matrix.subarray(row * dims, (row + 1) * dims), 5);
			expect(hits[0].item).toBe(row);
			expect(hits[0].score).toBeCloseTo(1, 2);
			expect(hits.map((h) => h.item)).toEqual(
				bruteForce(matrix, dims, matrix.subarray(row * dims, (row + 1) * dims), 5)
			);
		}
	});

	it('reaches recall@10 ≥ 0.9 against an exact scan on clustered vectors', () => {
		const count = 30_000;
		const matrix = clusteredVectors(count, dims, 60, 2);
		const index = VectorIndex.build(matrix, dims, { exactBelow: 1000 });
		expect(index.exact).toBe(false);
		// About √N lists (each group's share is rounded).
		expect(Math.abs(index.listCount - Math.sqrt(count))).toBeLessThan(0.05 * Math.sqrt(count));
		const queries = clusteredVectors(100, dims, 60, 2, 99);
		let found = 0;
		for (let q = 0; q < 100; q++) {
			const query = queries.subarray(q * dims, (q + 1) * dims);
			const truth = new Set(bruteForce(matrix, dims, query, 10));
			for (const hit of index.search(query, 10)) if (truth.has(hit.item)) found++;
		}
		expect(found / 1000).toBeGreaterThanOrEqual(0.9);
	});

	it('re-ranks with float copies when asked, matching the brute force order', () => {
		const matrix = clusteredVectors(3000, dims, 10, 3);
		const index = VectorIndex.build(matrix, dims, { rerank: 4 });
		const query = matrix.subarray(5 * dims, 6 * dims);
		expect(index.search(query, 10).map((h) => h.item)).toEqual(bruteForce(matrix, dims, query, 10));
	});

	it('adds, replaces and removes vectors incrementally', () => {
		const matrix = clusteredVectors(25_000, dims, 30, 4);
		const index = VectorIndex.build(matrix, dims, { exactBelow: 1000 });
		const probe = matrix.subarray(100 * dims, 101 * dims);
		expect(index.remove(100)).toBe(true);
		expect(index.remove(100)).toBe(false);
		expect(index.has(100)).toBe(false);
		expect(index.search(probe, 10).map((h) => h.item)).not.toContain(100);
		// A new ordinal far beyond the others, with a copy of the removed vector.
		index.add(1_000_000, probe);
		expect(index.search(probe, 1)[0].item).toBe(1_000_000);
		// Replacing moves it: searching for its old vector no longer finds it first.
		index.add(1_000_000, matrix.subarray(200 * dims, 201 * dims));
		expect(index.size).toBe(25_000);
		expect(index.search(matrix.subarray(200 * dims, 201 * dims), 2).map((h) => h.item)).toContain(
			1_000_000
		);
		expect(index.search(probe, 10).map((h) => h.item)).not.toContain(1_000_000);
	});

	it('keeps probing lists until a filter has accepted k vectors', () => {
		const matrix = clusteredVectors(25_000, dims, 30, 5);
		const index = VectorIndex.build(matrix, dims, { exactBelow: 1000, probes: 1 });
		// Only every 500th vector passes: one list cannot hold ten of them.
		const filter = (ordinal: number) => ordinal % 500 === 0;
		const hits = index.search(matrix.subarray(0, dims), 10, { filter });
		expect(hits).toHaveLength(10);
		for (const hit of hits) expect(hit.item % 500).toBe(0);
		expect(index.searchExact(matrix.subarray(0, dims), 10, { filter })).toEqual(
			index.search(matrix.subarray(0, dims), 10, { filter, probes: index.listCount })
		);
	});

	it('round-trips through serialize, then keeps accepting changes', () => {
		const matrix = clusteredVectors(22_000, dims, 20, 6);
		const index = VectorIndex.build(matrix, dims, { exactBelow: 1000 });
		index.remove(7);
		const copy = VectorIndex.deserialize(index.serialize());
		expect(copy.size).toBe(index.size);
		expect(copy.listCount).toBe(index.listCount);
		for (const row of [1, 2, 3000, 21_999]) {
			const query = matrix.subarray(row * dims, (row + 1) * dims);
			expect(copy.search(query, 10)).toEqual(index.search(query, 10));
		}
		copy.add(7, matrix.subarray(7 * dims, 8 * dims));
		copy.remove(1);
		expect(copy.search(matrix.subarray(7 * dims, 8 * dims), 1)[0].item).toBe(7);
		expect(copy.has(1)).toBe(false);
		expect(copy.bytes()).toBeGreaterThan(22_000 * (dims + 4));
	});

	it('renumbers ordinals and drops the ones mapped to -1', () => {
		const matrix = clusteredVectors(50, dims, 5, 7);
		const index = VectorIndex.build(matrix, dims);
		const map = new Int32Array(50).map((_, i) => (i % 2 === 0 ? i / 2 : -1));
		index.renumber(map);
		expect(index.size).toBe(25);
		expect(index.search(matrix.subarray(10 * dims, 11 * dims), 1)[0].item).toBe(5);
		expect(index.has(30)).toBe(false);
	});

	it('rejects vectors of the wrong dimension and bad ordinals with clear errors', () => {
		const index = VectorIndex.build(clusteredVectors(10, dims, 2, 8), dims);
		expect(() => index.search(new Float32Array(3), 5)).toThrow(/dimensions/);
		expect(() => index.add(-1, new Float32Array(dims))).toThrow(/ordinal/);
		expect(() => index.add(1, new Float32Array(dims).fill(NaN))).toThrow(/non-finite/);
		expect(() => VectorIndex.build(new Float32Array(10), 3)).toThrow(/multiple/);
		expect(index.search(new Float32Array(dims).fill(1), 0)).toEqual([]);
	});
	it('grows, moves and compacts list blocks under many incremental changes', () => {
		const matrix = clusteredVectors(6000, dims, 12, 9);
		// Trained for nothing: every list starts empty and must grow while vectors arrive.
		const sample = matrix.subarray(0, 2000 * dims);
		const index = VectorIndex.train(sample, dims, 0, { lists: 8, rerank: 4 });
		for (let r = 0; r < 6000; r++) index.add(r, matrix.subarray(r * dims, (r + 1) * dims));
		for (let r = 0; r < 6000; r += 2) index.remove(r);
		for (let r = 0; r < 3000; r += 3) index.add(r, matrix.subarray(r * dims, (r + 1) * dims));
		index.compact();
		const live = (r: number) => r % 2 === 1 || (r < 3000 && r % 3 === 0);
		const liveCount = Array.from({ length: 6000 }, (_, r) => r).filter(live).length;
		expect(index.size).toBe(liveCount);
		for (const row of [1, 3, 5999, 2997]) {
			const query = matrix.subarray(row * dims, (row + 1) * dims);
			const exact = index.searchExact(query, 10).map((h) => h.item);
			const reference = bruteForce(matrix, dims, query, 6000).filter(live).slice(0, 10);
			expect(exact).toEqual(reference);
			expect(exact[0]).toBe(row);
		}
	});
});
