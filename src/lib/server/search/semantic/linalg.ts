/**
 * The little dense linear algebra the LSA layer needs, on Float64Arrays: a seeded Gaussian
 * generator, column orthonormalisation and a symmetric eigensolver. Matrices are row-major
 * `rows × cols` unless a name says otherwise.
 */

// Reproducible models need a fixed seed; the generator lives in core.
export { mulberry32 } from '$lib/core/random';

/** Fills a matrix with standard normal samples (Box–Muller). */
export function gaussian(length: number, random: () => number): Float64Array {
	const out = new Float64Array(length);
	for (let i = 0; i < length; i += 2) {
		const u = Math.max(random(), 1e-300);
		const v = random();
		const r = Math.sqrt(-2 * Math.log(u));
		out[i] = r * Math.cos(2 * Math.PI * v);
		if (i + 1 < length) out[i + 1] = r * Math.sin(2 * Math.PI * v);
	}
	return out;
}

/**
 * Orthonormalises the columns of a row-major `rows × cols` matrix in place with modified
 * Gram–Schmidt, run twice ("twice is enough") so that orthogonality holds to machine precision.
 * Columns that vanish (the matrix has lower rank) are set to zero rather than amplifying noise.
 * The robust fallback of {@link orthonormalizeColumns}.
 */
export function gramSchmidt(matrix: Float64Array, rows: number, cols: number): void {
	// Work column-major so each dot product streams contiguous memory.
	const columns = new Float64Array(rows * cols);
	for (let r = 0; r < rows; r++)
		for (let c = 0; c < cols; c++) columns[c * rows + r] = matrix[r * cols + c];
	const norms = new Float64Array(cols);
	for (let c = 0; c < cols; c++) {
		const base = c * rows;
		let original = 0;
		for (let r = 0; r < rows; r++) original += columns[base + r] * columns[base + r];
		for (let pass = 0; pass < 2; pass++) {
			for (let p = 0; p < c; p++) {
				if (norms[p] === 0) continue;
				const other = p * rows;
				let dot = 0;
				for (let r = 0; r < rows; r++) dot += columns[base + r] * columns[other + r];
				for (let r = 0; r < rows; r++) columns[base + r] -= dot * columns[other + r];
			}
		}
		let norm = 0;
		for (let r = 0; r < rows; r++) norm += columns[base + r] * columns[base + r];
		norm = Math.sqrt(norm);
		// Relative test: what is left after projection is rounding noise of a dependent column.
		if (norm === 0 || norm <= 1e-10 * Math.sqrt(original)) {
			norms[c] = 0;
			for (let r = 0; r < rows; r++) columns[base + r] = 0;
		} else {
			norms[c] = norm;
			for (let r = 0; r < rows; r++) columns[base + r] /= norm;
		}
	}
	for (let r = 0; r < rows; r++)
		for (let c = 0; c < cols; c++) matrix[r * cols + c] = columns[c * rows + r];
}

/** The upper triangle of YᵀY for a row-major `rows × cols` Y (row by row, contiguous reads). */
function gramUpper(matrix: Float64Array, rows: number, cols: number): Float64Array {
	const gram = new Float64Array(cols * cols);
	for (let r = 0; r < rows; r++) {
		const base = r * cols;
		for (let i = 0; i < cols; i++) {
			const a = matrix[base + i];
			if (a === 0) continue;
			const g = i * cols;
			for (let j = i; j < cols; j++) gram[g + j] += a * matrix[base + j];
		}
	}
	return gram;
}

/**
 * Upper-triangular R with RᵀR = G, in place over G's upper triangle (the lower is ignored).
 * Returns false when a pivot is lost to cancellation, i.e. the columns are dependent.
 */
function cholesky(gram: Float64Array, cols: number): boolean {
	for (let i = 0; i < cols; i++) {
		let pivot = gram[i * cols + i];
		const scale = pivot;
		for (let k = 0; k < i; k++) pivot -= gram[k * cols + i] * gram[k * cols + i];
		if (scale === 0 || !(pivot > 1e-10 * scale)) return false;
		const rii = Math.sqrt(pivot);
		gram[i * cols + i] = rii;
		for (let j = i + 1; j < cols; j++) {
			let v = gram[i * cols + j];
			for (let k = 0; k < i; k++) v -= gram[k * cols + i] * gram[k * cols + j];
			gram[i * cols + j] = v / rii;
		}
	}
	return true;
}

/**
 * One Cholesky-QR step: Q = Y·R⁻¹ where RᵀR = YᵀY. Half the arithmetic of Gram–Schmidt and
 * every loop runs over contiguous rows, which matters on slow cores. Returns false (leaving the
 * matrix untouched) when YᵀY is numerically singular, so the caller can fall back.
 */
function choleskyQr(matrix: Float64Array, rows: number, cols: number): boolean {
	const r = gramUpper(matrix, rows, cols);
	if (!cholesky(r, cols)) return false;
	// Each row solves q · R = y by forward substitution, reading R row by row.
	for (let row = 0; row < rows; row++) {
		const base = row * cols;
		for (let k = 0; k < cols; k++) {
			const q = matrix[base + k] / r[k * cols + k];
			matrix[base + k] = q;
			if (q === 0) continue;
			const g = k * cols;
			for (let j = k + 1; j < cols; j++) matrix[base + j] -= q * r[g + j];
		}
	}
	return true;
}

/**
 * R⁻¹ (row-major `cols × cols`, upper triangular) for the Cholesky factor R of YᵀY, so that
 * Y·R⁻¹ has orthonormal columns without forming it. Null when YᵀY is numerically singular.
 */
export function choleskyInverseFactor(
	matrix: Float64Array,
	rows: number,
	cols: number
): Float64Array | null {
	const r = gramUpper(matrix, rows, cols);
	if (!cholesky(r, cols)) return null;
	const inverse = new Float64Array(cols * cols);
	// Back substitution column by column: R · X = I.
	for (let c = 0; c < cols; c++) {
		for (let i = c; i >= 0; i--) {
			let v = i === c ? 1 : 0;
			for (let k = i + 1; k <= c; k++) v -= r[i * cols + k] * inverse[k * cols + c];
			inverse[i * cols + c] = v / r[i * cols + i];
		}
	}
	return inverse;
}

/**
 * Orthonormalises the columns of a row-major `rows × cols` matrix in place: Cholesky-QR, repeated
 * once when `precise` (CholeskyQR2 restores orthogonality to machine precision), falling back to
 * Gram–Schmidt for rank-deficient input such as a corpus smaller than the sketch.
 */
export function orthonormalizeColumns(
	matrix: Float64Array,
	rows: number,
	cols: number,
	precise = true
): void {
	if (!choleskyQr(matrix, rows, cols) || (precise && !choleskyQr(matrix, rows, cols)))
		gramSchmidt(matrix, rows, cols);
}

/** Eigenvalues (descending) and eigenvectors (columns of a row-major `n × n` matrix). */
export interface Eigen {
	values: Float64Array;
	vectors: Float64Array;
}

/**
 * Eigendecomposition of a symmetric `n × n` matrix by cyclic Jacobi rotations. O(n³) per sweep;
 * for the n ≈ 200 sketches LSA needs this is a fraction of a second and simple to get right.
 */
export function symmetricEigen(input: Float64Array, n: number): Eigen {
	const a = Float64Array.from(input);
	const v = new Float64Array(n * n);
	for (let i = 0; i < n; i++) v[i * n + i] = 1;
	for (let sweep = 0; sweep < 60; sweep++) {
		let off = 0;
		let total = 0;
		for (let i = 0; i < n; i++)
			for (let j = 0; j < n; j++) {
				const x = a[i * n + j] * a[i * n + j];
				total += x;
				if (i !== j) off += x;
			}
		if (off <= 1e-22 * total || off === 0) break;
		for (let p = 0; p < n - 1; p++) {
			for (let q = p + 1; q < n; q++) {
				const apq = a[p * n + q];
				if (Math.abs(apq) < 1e-300) continue;
				const app = a[p * n + p];
				const aqq = a[q * n + q];
				const theta = (aqq - app) / (2 * apq);
				const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
				const c = 1 / Math.sqrt(t * t + 1);
				const s = t * c;
				for (let k = 0; k < n; k++) {
					const akp = a[k * n + p];
					const akq = a[k * n + q];
					a[k * n + p] = c * akp - s * akq;
					a[k * n + q] = s * akp + c * akq;
				}
				for (let k = 0; k < n; k++) {
					const apk = a[p * n + k];
					const aqk = a[q * n + k];
					a[p * n + k] = c * apk - s * aqk;
					a[q * n + k] = s * apk + c * aqk;
				}
				for (let k = 0; k < n; k++) {
					const vkp = v[k * n + p];
					const vkq = v[k * n + q];
					v[k * n + p] = c * vkp - s * vkq;
					v[k * n + q] = s * vkp + c * vkq;
				}
			}
		}
	}
	const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y * n + y] - a[x * n + x]);
	const values = new Float64Array(n);
	const vectors = new Float64Array(n * n);
	order.forEach((from, to) => {
		values[to] = a[from * n + from];
		for (let k = 0; k < n; k++) vectors[k * n + to] = v[k * n + from];
	});
	return { values, vectors };
}
