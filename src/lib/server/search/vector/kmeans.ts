/**
 * Spherical k-means over unit vectors, which learns the list centroids of a vector index
 * (vector-index.ts), and the dot product it and the index score rows with.
 */

/** Dot product of row `row` of a row-major matrix with a query (4 accumulators: ~1.5× faster). */
export function dotRow(
	matrix: ArrayLike<number>,
	row: number,
	query: Float64Array,
	dims: number
): number {
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
export function sphericalKmeans(
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
