import { describe, expect, it } from 'vitest';
import { gaussian, gramSchmidt, mulberry32, orthonormalizeColumns, symmetricEigen } from './linalg';
import { truncatedSvd, type SparseColumns } from './svd';

/** Column-compressed form of a dense row-major matrix. */
function sparse(dense: Float64Array, rows: number, cols: number): SparseColumns {
	const colStart = new Float64Array(cols + 1);
	const rowIndex: number[] = [];
	const values: number[] = [];
	for (let c = 0; c < cols; c++) {
		for (let r = 0; r < rows; r++) {
			const v = dense[r * cols + c];
			if (v !== 0) {
				rowIndex.push(r);
				values.push(v);
			}
		}
		colStart[c + 1] = rowIndex.length;
	}
	return {
		rows,
		cols,
		colStart,
		rowIndex: Int32Array.from(rowIndex),
		values: Float64Array.from(values)
	};
}

function gramOfColumns(m: Float64Array, rows: number, cols: number): Float64Array {
	const g = new Float64Array(cols * cols);
	for (let i = 0; i < cols; i++)
		for (let j = 0; j < cols; j++) {
			let s = 0;
			for (let r = 0; r < rows; r++) s += m[r * cols + i] * m[r * cols + j];
			g[i * cols + j] = s;
		}
	return g;
}

describe('symmetricEigen', () => {
	it('returns A·v = λ·v with eigenvalues sorted descending', () => {
		const n = 7;
		const x = gaussian(n * n, mulberry32(3));
		const a = new Float64Array(n * n);
		for (let i = 0; i < n; i++)
			for (let j = 0; j < n; j++) a[i * n + j] = x[i * n + j] + x[j * n + i];
		const { values, vectors } = symmetricEigen(a, n);
		for (let c = 0; c < n; c++) {
			if (c > 0) expect(values[c]).toBeLessThanOrEqual(values[c - 1]);
			for (let i = 0; i < n; i++) {
				let av = 0;
				for (let k = 0; k < n; k++) av += a[i * n + k] * vectors[k * n + c];
				expect(av).toBeCloseTo(values[c] * vectors[i * n + c], 9);
			}
		}
	});
});

describe('orthonormalizeColumns', () => {
	it('produces orthonormal columns spanning the input (Cholesky-QR and Gram–Schmidt)', () => {
		for (const method of [orthonormalizeColumns, gramSchmidt]) {
			const m = gaussian(50 * 6, mulberry32(5));
			method(m, 50, 6);
			const g = gramOfColumns(m, 50, 6);
			for (let i = 0; i < 6; i++)
				for (let j = 0; j < 6; j++) expect(g[i * 6 + j]).toBeCloseTo(i === j ? 1 : 0, 10);
		}
	});

	it('falls back gracefully on rank-deficient input (a zero column stays zero)', () => {
		const m = gaussian(20 * 3, mulberry32(9));
		for (let r = 0; r < 20; r++) m[r * 3 + 2] = 2 * m[r * 3 + 0];
		orthonormalizeColumns(m, 20, 3);
		const g = gramOfColumns(m, 20, 3);
		expect(g[0]).toBeCloseTo(1, 10);
		expect(g[4]).toBeCloseTo(1, 10);
		expect(g[8]).toBeCloseTo(0, 10);
	});
});

describe('truncatedSvd', () => {
	it('recovers the exact singular values and subspace of a low-rank sparse matrix', () => {
		const rows = 60;
		const cols = 40;
		const rank = 4;
		const random = mulberry32(11);
		const left = gaussian(rows * rank, random);
		const right = gaussian(rank * cols, random);
		const dense = new Float64Array(rows * cols);
		for (let r = 0; r < rows; r++)
			for (let c = 0; c < cols; c++) {
				let s = 0;
				for (let k = 0; k < rank; k++) s += left[r * rank + k] * right[k * cols + c] * (k + 1);
				dense[r * cols + c] = s;
			}
		const svd = truncatedSvd(sparse(dense, rows, cols), rank, { oversample: 4, iterations: 1 });
		// Reference: eigenvalues of AᵀA (cols × cols) are σ².
		const { values } = symmetricEigen(gramOfColumns(dense, rows, cols), cols);
		for (let k = 0; k < rank; k++) expect(svd.sigma[k]).toBeCloseTo(Math.sqrt(values[k]), 6);
		const g = gramOfColumns(svd.u, rows, rank);
		for (let i = 0; i < rank; i++)
			for (let j = 0; j < rank; j++) expect(g[i * rank + j]).toBeCloseTo(i === j ? 1 : 0, 8);
		// U Uᵀ A = A for a rank-4 matrix.
		for (let c = 0; c < cols; c += 7) {
			for (let r = 0; r < rows; r += 5) {
				let proj = 0;
				for (let k = 0; k < rank; k++) {
					let dot = 0;
					for (let i = 0; i < rows; i++) dot += svd.u[i * rank + k] * dense[i * cols + c];
					proj += svd.u[r * rank + k] * dot;
				}
				expect(proj).toBeCloseTo(dense[r * cols + c], 6);
			}
		}
	});

	it('copes with a matrix smaller than the sketch', () => {
		const dense = Float64Array.from([1, 0, 0, 2, 0, 0]);
		const svd = truncatedSvd(sparse(dense, 3, 2), 8);
		expect(svd.rank).toBe(2);
		expect([...svd.sigma].map((s) => Number(s.toFixed(9)))).toEqual([2, 1]);
	});
});
