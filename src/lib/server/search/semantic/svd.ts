/**
 * Randomized truncated SVD (Halko, Martinsson & Tropp 2011, algorithm 4.4 with subspace
 * iteration) of a sparse matrix given by columns. Only the left singular vectors and values are
 * returned: LSA folds every document in afterwards, including the ones used for training.
 */
import {
	choleskyInverseFactor,
	gaussian,
	mulberry32,
	orthonormalizeColumns,
	symmetricEigen
} from './linalg';

/** A sparse `rows × cols` matrix in compressed-column form. */
export interface SparseColumns {
	rows: number;
	cols: number;
	/** Column j holds entries `[colStart[j], colStart[j + 1])`. */
	colStart: Float64Array;
	rowIndex: Int32Array;
	values: Float64Array;
}

/** The leading left singular vectors (row-major `rows × rank`) and singular values. */
export interface TruncatedSvd {
	rank: number;
	u: Float64Array;
	sigma: Float64Array;
}

/** Y (rows × l) = A · X (cols × l), row-major, exploiting sparsity of A. */
function multiply(a: SparseColumns, x: Float64Array, l: number): Float64Array {
	const y = new Float64Array(a.rows * l);
	for (let j = 0; j < a.cols; j++) {
		const xj = j * l;
		for (let p = a.colStart[j]; p < a.colStart[j + 1]; p++) {
			const yr = a.rowIndex[p] * l;
			const v = a.values[p];
			for (let c = 0; c < l; c++) y[yr + c] += v * x[xj + c];
		}
	}
	return y;
}

/** Z (cols × l) = Aᵀ · Y (rows × l). */
function multiplyTransposed(a: SparseColumns, y: Float64Array, l: number): Float64Array {
	const z = new Float64Array(a.cols * l);
	for (let j = 0; j < a.cols; j++) {
		const zj = j * l;
		for (let p = a.colStart[j]; p < a.colStart[j + 1]; p++) {
			const yr = a.rowIndex[p] * l;
			const v = a.values[p];
			for (let c = 0; c < l; c++) z[zj + c] += v * y[yr + c];
		}
	}
	return z;
}

/**
 * Computes the top `rank` singular triplets' left vectors and values. `oversample` extra sketch
 * columns and `iterations` power iterations trade time for accuracy on the flat spectra of text
 * matrices, where the trailing kept directions would otherwise be noisy.
 */
export function truncatedSvd(
	a: SparseColumns,
	rank: number,
	{
		oversample = 16,
		iterations = 1,
		seed = 1
	}: { oversample?: number; iterations?: number; seed?: number } = {}
): TruncatedSvd {
	const l = Math.max(1, Math.min(rank + oversample, a.rows, a.cols));
	const kept = Math.min(rank, l);
	const omega = gaussian(a.cols * l, mulberry32(seed));
	let y = multiply(a, omega, l);
	for (let i = 0; i < iterations; i++) {
		// Orthonormalising the (smaller) document side each iteration keeps the sketch well
		// conditioned; the term side is only factored once, below, which halves the dense work.
		const z = multiplyTransposed(a, y, l);
		orthonormalizeColumns(z, a.cols, l, false);
		y = multiply(a, z, l);
	}
	// Q = Y·R⁻¹ with RᵀR = YᵀY is never formed: B = QᵀA = R⁻ᵀ·Zᵀ with Z = AᵀY, so
	// B·Bᵀ = R⁻ᵀ(ZᵀZ)R⁻¹ is an l × l matrix, and U = Q·W = Y·(R⁻¹W).
	let rInverse = choleskyInverseFactor(y, a.rows, l);
	if (rInverse === null) {
		// Rank-deficient sketch (a corpus smaller than the sketch): orthonormalise Y explicitly.
		orthonormalizeColumns(y, a.rows, l);
		rInverse = identity(l);
	}
	const z = multiplyTransposed(a, y, l);
	const zz = new Float64Array(l * l);
	for (let j = 0; j < a.cols; j++) {
		const zj = j * l;
		for (let r = 0; r < l; r++) {
			const zr = z[zj + r];
			if (zr === 0) continue;
			for (let c = r; c < l; c++) zz[r * l + c] += zr * z[zj + c];
		}
	}
	for (let r = 0; r < l; r++) for (let c = 0; c < r; c++) zz[r * l + c] = zz[c * l + r];
	const gram = multiplyDense(transpose(rInverse, l), multiplyDense(zz, rInverse, l), l);
	const { values, vectors } = symmetricEigen(gram, l);
	const basis = multiplyDense(rInverse, vectors, l);
	const u = new Float64Array(a.rows * kept);
	for (let row = 0; row < a.rows; row++) {
		const out = row * kept;
		for (let m = 0; m < l; m++) {
			const q = y[row * l + m];
			if (q === 0) continue;
			const w = m * l;
			for (let c = 0; c < kept; c++) u[out + c] += q * basis[w + c];
		}
	}
	const sigma = new Float64Array(kept);
	for (let c = 0; c < kept; c++) sigma[c] = Math.sqrt(Math.max(values[c], 0));
	return { rank: kept, u, sigma };
}

function identity(n: number): Float64Array {
	const out = new Float64Array(n * n);
	for (let i = 0; i < n; i++) out[i * n + i] = 1;
	return out;
}

function transpose(m: Float64Array, n: number): Float64Array {
	const out = new Float64Array(n * n);
	for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[j * n + i] = m[i * n + j];
	return out;
}

/** Product of two row-major n × n matrices. */
function multiplyDense(x: Float64Array, y: Float64Array, n: number): Float64Array {
	const out = new Float64Array(n * n);
	for (let i = 0; i < n; i++)
		for (let k = 0; k < n; k++) {
			const v = x[i * n + k];
			if (v === 0) continue;
			for (let j = 0; j < n; j++) out[i * n + j] += v * y[k * n + j];
		}
	return out;
}
