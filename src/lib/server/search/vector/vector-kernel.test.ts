import { describe, expect, it } from 'vitest';
import { mulberry32 } from '$lib/core/random';
import { createDotKernel } from './vector-kernel';

const count = 300;
const stride = 136; // 17 × 8 lanes: not a multiple of 16

/** Seeded int8 codes, float scales and an int16 query, as plain arrays. */
function data() {
	const random = mulberry32(11);
	const codes = Array.from({ length: count * stride }, () => Math.floor(random() * 256) - 128);
	const query = Array.from({ length: stride }, () => Math.floor(random() * 65535) - 32767);
	const scales = Array.from({ length: count }, () => random() / 100);
	return { codes, query, scales };
}

/** Runs one scan with a fresh kernel; returns the (index, score) pairs it appended. */
function scan(simd: boolean, threshold: number) {
	const kernel = createDotKernel(4, { simd });
	const { codes, query, scales } = data();
	const queryAt = 0;
	const outAt = 1024;
	const scalesAt = outAt + 8 * count;
	const codesAt = scalesAt + 4 * count;
	new Int8Array(kernel.memory.buffer, codesAt, codes.length).set(codes);
	new Int16Array(kernel.memory.buffer, queryAt, stride).set(query);
	new Float32Array(kernel.memory.buffer, scalesAt, count).set(scales);
	const hits = kernel.scan(codesAt, scalesAt, count, stride, queryAt, outAt, threshold);
	const indexes = new Int32Array(kernel.memory.buffer, outAt, 2 * hits);
	const scores = new Float32Array(kernel.memory.buffer, outAt, 2 * hits);
	const pairs: [number, number][] = [];
	for (let h = 0; h < hits; h++) pairs.push([indexes[2 * h], scores[2 * h + 1]]);
	return { simd: kernel.simd, pairs };
}

/** The expected scores, computed here independently of both kernels. */
function reference(): number[] {
	const { codes, query, scales } = data();
	return scales.map((scale, v) => {
		let sum = 0;
		for (let c = 0; c < stride; c++) sum += codes[v * stride + c] * query[c];
		return Math.fround(Math.fround(sum) * Math.fround(scale));
	});
}

describe('dot kernel', () => {
	it('scores every vector exactly, in WebAssembly SIMD and in JavaScript alike', () => {
		const expected = reference().map((score, v) => [v, score]);
		const simd = scan(true, -Infinity);
		const js = scan(false, -Infinity);
		expect(simd.simd).toBe(true);
		expect(js.simd).toBe(false);
		expect(simd.pairs).toEqual(expected);
		expect(js.pairs).toEqual(expected);
	});

	it('returns only the vectors scoring above the threshold', () => {
		const scores = reference();
		const median = [...scores].sort((a, b) => a - b)[count / 2];
		const expected = scores.flatMap((score, v) => (score > median ? [[v, score]] : []));
		expect(expected.length).toBeGreaterThan(100);
		expect(scan(true, median).pairs).toEqual(expected);
		expect(scan(false, median).pairs).toEqual(expected);
	});
});
