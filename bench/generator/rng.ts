/**
 * Small deterministic random helpers for the corpus generator. Everything here is a pure
 * function of its inputs: the generator seeds one stream per record from (seed, ordinal), so a
 * record never depends on how many random numbers an earlier record used.
 */

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

export { mulberry32 } from '../../src/lib/core/random';

/**
 * Mixes integers into one well-spread 32-bit value (murmur3 finaliser per step). Used to derive
 * independent seeds, e.g. hash32(seed, ordinal) for a record, hash32(salt, rank) for an author.
 */
export function hash32(...values: number[]): number {
	let h = 0x9e3779b9;
	for (const value of values) {
		// Split doubles beyond 32 bits into two words so large ordinals stay distinct.
		const lo = value >>> 0;
		const hi = Math.floor(value / 4294967296) >>> 0;
		for (const word of [lo, hi]) {
			let k = Math.imul(word, 0xcc9e2d51);
			k = (k << 15) | (k >>> 17);
			k = Math.imul(k, 0x1b873593);
			h ^= k;
			h = (h << 13) | (h >>> 19);
			h = (Math.imul(h, 5) + 0xe6546b64) >>> 0;
		}
	}
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

/** A uniform number in [0, 1) from a 32-bit hash. */
export function unit(hash: number): number {
	return hash / 4294967296;
}

/** Index i with cumulative[i - 1] <= target < cumulative[i], searching [from, to). */
export function searchCumulative(
	cumulative: ArrayLike<number>,
	from: number,
	to: number,
	target: number
): number {
	let lo = from;
	let hi = to - 1;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (cumulative[mid] > target) hi = mid;
		else lo = mid + 1;
	}
	return lo;
}

/** A categorical distribution over 0..n-1 built once from non-negative weights. */
export class Discrete {
	private readonly cumulative: Float64Array;
	readonly total: number;

	constructor(weights: readonly number[]) {
		this.cumulative = new Float64Array(weights.length);
		let sum = 0;
		for (let i = 0; i < weights.length; i += 1) {
			sum += Math.max(0, weights[i]);
			this.cumulative[i] = sum;
		}
		this.total = sum;
	}

	/** Draws an index; u is uniform in [0, 1). */
	sample(u: number): number {
		return searchCumulative(this.cumulative, 0, this.cumulative.length, u * this.total);
	}
}

/** A uniformly chosen element of a non-empty array. */
export function pick<T>(values: readonly T[], rng: Rng): T {
	return values[Math.floor(rng() * values.length)];
}

/**
 * Splits `total` into integer parts proportional to `weights` (largest remainder, ties to the
 * lower index), so the parts always add up to exactly `total`.
 */
export function apportion(weights: readonly number[], total: number): number[] {
	const sum = weights.reduce((a, b) => a + Math.max(0, b), 0);
	if (sum <= 0 || total <= 0) return weights.map(() => 0);
	const exact = weights.map((w) => (Math.max(0, w) / sum) * total);
	const parts = exact.map(Math.floor);
	let left = total - parts.reduce((a, b) => a + b, 0);
	const order = exact
		.map((x, i) => ({ i, frac: x - Math.floor(x) }))
		.sort((a, b) => b.frac - a.frac || a.i - b.i);
	for (let k = 0; left > 0; k = (k + 1) % order.length, left -= 1) parts[order[k].i] += 1;
	return parts;
}
