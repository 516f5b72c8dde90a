/**
 * Randomized truncated SVD (Halko, Martinsson & Tropp 2011, algorithm 4.4 with subspace
 * iteration) of a sparse matrix given by columns. Only the left singular vectors and values are
 * returned: LSA folds every document in afterwards, including the ones used for training.
 */
import { gaussian, mulberry32, orthonormalizeColumns, symmetricEigen } from './linalg';

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
		iterations = 2,
		seed = 1
	}: { oversample?: number; iterations?: number; seed?: number } = {}
): TruncatedSvd {
	const l = Math.max(1, Math.min(rank + oversample, a.rows, a.cols));
	const kept = Math.min(rank, l);
	const omega = gaussian(a.cols * l, mulberry32(seed));
	let y = multiply(a, omega, l);
	orthonormalizeColumns(y, a.rows, l, iterations === 0);
	for (let i = 0; i < iterations; i++) {
		// Intermediate bases only need to stay well-conditioned, so one Cholesky-QR pass suffices.
		const z = multiplyTransposed(a, y, l);
		orthonormalizeColumns(z, a.cols, l, false);
		y = multiply(a, z, l);
		orthonormalizeColumns(y, a.rows, l, i < iterations - 1 ? false : true);
	}
	// B = Qᵀ A is l × cols; its Gram matrix B Bᵀ = Zᵀ Z (Z = Aᵀ Q) is small, and its eigenvectors
	// rotate Q into the left singular vectors of A.
	const z = multiplyTransposed(a, y, l);
	const gram = new Float64Array(l * l);
	for (let j = 0; j < a.cols; j++) {
		const zj = j * l;
		for (let r = 0; r < l; r++) {
			const zr = z[zj + r];
			if (zr === 0) continue;
			for (let c = r; c < l; c++) gram[r * l + c] += zr * z[zj + c];
		}
	}
	for (let r = 0; r < l; r++) for (let c = 0; c < r; c++) gram[r * l + c] = gram[c * l + r];
	const { values, vectors } = symmetricEigen(gram, l);
	const u = new Float64Array(a.rows * kept);
	for (let row = 0; row < a.rows; row++) {
		const out = row * kept;
		for (let m = 0; m < l; m++) {
			const q = y[row * l + m];
			if (q === 0) continue;
			const w = m * l;
			for (let c = 0; c < kept; c++) u[out + c] += q * vectors[w + c];
		}
	}
	const sigma = new Float64Array(kept);
	for (let c = 0; c < kept; c++) sigma[c] = Math.sqrt(Math.max(values[c], 0));
	return { rank: kept, u, sigma };
}
