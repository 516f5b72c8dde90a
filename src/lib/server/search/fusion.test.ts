import { describe, expect, it } from 'vitest';
import { convexFusion, normalizeScores, reciprocalRankFusion } from './fusion';

const a = [
	{ id: 'x', score: 10 },
	{ id: 'y', score: 5 },
	{ id: 'z', score: 0 }
];
const b = [
	{ id: 'z', score: 0.9 },
	{ id: 'w', score: 0.5 }
];

describe('reciprocalRankFusion', () => {
	it('sums weight / (k + rank) over lists', () => {
		const fused = reciprocalRankFusion(
			[
				{ hits: a, weight: 1 },
				{ hits: b, weight: 1 }
			],
			10,
			60
		);
		const score = new Map(fused.map((h) => [h.id, h.score]));
		expect(score.get('z')).toBeCloseTo(1 / 63 + 1 / 61, 12);
		expect(score.get('x')).toBeCloseTo(1 / 61, 12);
		expect(fused[0].id).toBe('z');
		expect(fused).toHaveLength(4);
	});
});

describe('normalizeScores', () => {
	it('supports min–max, max and z-score', () => {
		expect([...normalizeScores(a, 'minmax').values()]).toEqual([1, 0.5, 0]);
		expect([...normalizeScores(a, 'max').values()]).toEqual([1, 0.5, 0]);
		const z = [...normalizeScores(a, 'zscore').values()];
		expect(z.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 12);
	});
});

describe('convexFusion', () => {
	it('combines normalised scores; a missing id gets the list floor', () => {
		const fused = convexFusion(
			[
				{ hits: a, weight: 0.5 },
				{ hits: b, weight: 0.5 }
			],
			10,
			'minmax'
		);
		const score = new Map(fused.map((h) => [h.id, h.score]));
		expect(score.get('x')).toBeCloseTo(0.5 * 1 + 0.5 * 0, 12);
		expect(score.get('z')).toBeCloseTo(0.5 * 0 + 0.5 * 1, 12);
		expect(score.get('w')).toBeCloseTo(0, 12);
		expect(fused.map((h) => h.id)).toEqual(['x', 'z', 'y', 'w']);
	});

	it('with weight 0 on a list reproduces the other list order', () => {
		const fused = convexFusion(
			[
				{ hits: a, weight: 1 },
				{ hits: b, weight: 0 }
			],
			2
		);
		expect(fused.map((h) => h.id)).toEqual(['x', 'y']);
	});
});
