import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config';
import { msUntilNextRun } from './harvest-scheduler';

const HOUR = 60 * 60_000;

describe('msUntilNextRun', () => {
	it('waits until the hour today when it is still ahead', () => {
		expect(msUntilNextRun(new Date('2024-01-05T01:30:00Z'), 3)).toBe(1.5 * HOUR);
	});

	it('waits until tomorrow once the hour has passed, or is now', () => {
		expect(msUntilNextRun(new Date('2024-01-05T03:00:01Z'), 3)).toBe(24 * HOUR - 1000);
		expect(msUntilNextRun(new Date('2024-01-05T03:00:00Z'), 3)).toBe(24 * HOUR);
		expect(msUntilNextRun(new Date('2024-12-31T23:00:00Z'), 0)).toBe(HOUR);
	});
});

describe('harvest configuration', () => {
	it('is off by default, with arXiv defaults', () => {
		expect(loadConfig({}).harvest).toEqual({
			oaiUrl: 'https://export.arxiv.org/oai2',
			delayMs: 3000,
			sets: [],
			hourUtc: 3
		});
	});

	it('reads a comma-separated list of sets and the hour', () => {
		const config = loadConfig({
			DP_HARVEST_SETS: ' cs, math ,,physics:hep-th',
			DP_HARVEST_HOUR_UTC: '22'
		});
		expect(config.harvest).toMatchObject({ sets: ['cs', 'math', 'physics:hep-th'], hourUtc: 22 });
	});

	it('names every bad setting', () => {
		const problems = (() => {
			try {
				loadConfig({ DP_HARVEST_SETS: 'cs; drop table', DP_HARVEST_HOUR_UTC: '24' });
				return [];
			} catch (error) {
				expect(error).toBeInstanceOf(ConfigError);
				return (error as ConfigError).problems;
			}
		})();
		expect(problems.map((p) => p.split(':')[0])).toEqual([
			'DP_HARVEST_SETS',
			'DP_HARVEST_HOUR_UTC'
		]);
	});
});
