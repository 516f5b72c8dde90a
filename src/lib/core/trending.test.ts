import { describe, expect, it } from 'vitest';
import { isTrendingWindow, trendingScore } from './trending';

const now = new Date('2030-01-10T12:00:00Z');

describe('trendingScore', () => {
	it('follows (votes + comments/2) / (age hours + 2)^1.8', () => {
		const score = trendingScore(
			{ upvotes: 10, comments: 4, publishedAt: '2030-01-10T02:00:00Z' },
			now
		);
		expect(score).toBeCloseTo(12 / Math.pow(12, 1.8), 12);
	});

	it('lets a fresh paper with few votes pass an old one with many', () => {
		const fresh = trendingScore(
			{ upvotes: 5, comments: 0, publishedAt: '2030-01-10T10:00:00Z' },
			now
		);
		const old = trendingScore(
			{ upvotes: 50, comments: 0, publishedAt: '2030-01-05T12:00:00Z' },
			now
		);
		expect(fresh).toBeGreaterThan(old);
	});

	it('ranks more votes higher at the same age, and treats a future date as age zero', () => {
		const at = '2030-01-09T12:00:00Z';
		expect(trendingScore({ upvotes: 3, comments: 0, publishedAt: at }, now)).toBeGreaterThan(
			trendingScore({ upvotes: 2, comments: 0, publishedAt: at }, now)
		);
		expect(
			trendingScore({ upvotes: 4, comments: 0, publishedAt: '2031-01-01T00:00:00Z' }, now)
		).toBeCloseTo(4 / Math.pow(2, 1.8), 12);
	});

	it('knows its windows', () => {
		expect(isTrendingWindow('week')).toBe(true);
		expect(isTrendingWindow('year')).toBe(false);
		expect(isTrendingWindow(null)).toBe(false);
	});
});
