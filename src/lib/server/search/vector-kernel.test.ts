import { describe, expect, it } from 'vitest';
import { mulberry32 } from './linalg';
import { createDotKernel } from './vector-kernel';

/** Fills a kernel's memory with random int8 codes and an int16 query, runs scan, returns out. */
function run(simd: boolean, count: number, stride: number): { kernelSimd: boolean; out: number[] } {
	const kernel = createDotKernel(4, { simd });
	const random = mulberry32(11);
	const queryAt = 0;
	const outAt = 4096;
	const codesAt = outAt + 4 * count;
	const codes = new Int8Array(kernel.memory.buffer, codesAt, count * stride);
	for (let i = 0; i < codes.length; i++) codes[i] = Math.floor(random() * 256) - 128;
	const query = new Int16Array(kernel.memory.buffer, queryAt, stride);
	for (let c = 0; c < stride; c++) query[c] = Math.floor(random() * 65535) - 32767;
	kernel.scan(codesAt, count, stride, queryAt, outAt);
	return {
		kernelSimd: kernel.simd,
		out: Array.from(new Int32Array(kernel.memory.buffer, outAt, count))
	};
}

describe('dot kernel', () => {
	it('computes exact int8 × int16 dot products, in WebAssembly SIMD and in JavaScript alike', () => {
		const count = 300;
		const stride = 136; // 17 × 8 lanes: not a multiple of 16
		const simd = run(true, count, stride);
		const js = run(false, count, stride);
		expect(simd.kernelSimd).toBe(true);
		expect(js.kernelSimd).toBe(false);
		expect(simd.out).toEqual(js.out);
		// An independent reference for the first vectors: the same seeded data, summed here.
		const random = mulberry32(11);
		const codes = Array.from({ length: count * stride }, () => Math.floor(random() * 256) - 128);
		const query = Array.from({ length: stride }, () => Math.floor(random() * 65535) - 32767);
		for (let v = 0; v < 5; v++) {
			let sum = 0;
			for (let c = 0; c < stride; c++) sum += codes[v * stride + c] * query[c];
			expect(simd.out[v]).toBe(sum);
		}
		expect(new Set(simd.out).size).toBeGreaterThan(count / 2);
	});
});
