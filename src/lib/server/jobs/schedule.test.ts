import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config';
import {
	daily,
	describeSchedule,
	dueSlot,
	everyMinutes,
	latestSlot,
	msUntilNextSlot,
	nextSlot
} from './schedule';

const HOUR = 60 * 60_000;

/** The daily harvest's wait as the harvest scheduler computed it: to the next `hourUtc`:00 UTC. */
const msUntilNextRun = (now: Date, hourUtc: number) => msUntilNextSlot(daily(hourUtc), now);

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

describe('daily at HH:MM UTC', () => {
	it('has its latest slot today once the time has come, else yesterday', () => {
		const schedule = daily(3, 30);
		expect(latestSlot(schedule, new Date('2026-12-04T03:30:00Z')).toISOString()).toBe(
			'2026-12-04T03:30:00.000Z'
		);
		expect(latestSlot(schedule, new Date('2026-12-04T03:29:59Z')).toISOString()).toBe(
			'2026-12-03T03:30:00.000Z'
		);
		expect(nextSlot(schedule, new Date('2026-12-31T04:00:00Z')).toISOString()).toBe(
			'2027-01-01T03:30:00.000Z'
		);
	});

	it('is due once per slot: not again for the slot it ran for', () => {
		const schedule = daily(3);
		const now = new Date('2026-12-04T03:00:05Z');
		expect(dueSlot(schedule, now, '2026-12-03T03:00:00.000Z')?.toISOString()).toBe(
			'2026-12-04T03:00:00.000Z'
		);
		expect(dueSlot(schedule, now, '2026-12-04T03:00:00.000Z')).toBeNull();
		expect(dueSlot(schedule, new Date('2026-12-04T02:59:59Z'), '2026-12-03T03:00:00.000Z')).toBe(
			null
		);
	});

	it('runs the slots missed during downtime once, for the latest one', () => {
		const schedule = daily(3);
		// Down from Monday 02:00 to Thursday noon: three slots missed, one run due.
		const due = dueSlot(schedule, new Date('2026-12-10T12:00:00Z'), '2026-12-06T03:00:00.000Z');
		expect(due?.toISOString()).toBe('2026-12-10T03:00:00.000Z');
		// Once that run is recorded, nothing is due until Friday.
		expect(dueSlot(schedule, new Date('2026-12-10T12:00:01Z'), due!.toISOString())).toBeNull();
	});

	it('describes itself', () => {
		expect(describeSchedule(daily(3))).toBe('daily at 03:00 UTC');
		expect(describeSchedule(daily(22, 5))).toBe('daily at 22:05 UTC');
	});
});

describe('every N minutes', () => {
	it('has slots at whole multiples of N minutes', () => {
		const schedule = everyMinutes(15);
		const now = new Date('2026-12-04T10:44:59Z');
		expect(latestSlot(schedule, now).toISOString()).toBe('2026-12-04T10:30:00.000Z');
		expect(nextSlot(schedule, now).toISOString()).toBe('2026-12-04T10:45:00.000Z');
		expect(msUntilNextSlot(schedule, now)).toBe(1000);
		expect(describeSchedule(schedule)).toBe('every 15 minute(s)');
	});

	it('runs once after downtime however many slots were missed', () => {
		const schedule = everyMinutes(5);
		const due = dueSlot(schedule, new Date('2026-12-04T12:07:00Z'), '2026-12-04T09:00:00.000Z');
		expect(due?.toISOString()).toBe('2026-12-04T12:05:00.000Z');
		expect(dueSlot(schedule, new Date('2026-12-04T12:09:59Z'), due!.toISOString())).toBeNull();
		expect(dueSlot(schedule, new Date('2026-12-04T12:10:00Z'), due!.toISOString())).not.toBeNull();
	});

	it('is due at once for a job that never ran (no last slot)', () => {
		expect(dueSlot(everyMinutes(5), new Date('2026-12-04T12:07:00Z'), null)?.toISOString()).toBe(
			'2026-12-04T12:05:00.000Z'
		);
	});

	it('refuses a period that is not a whole number of minutes', () => {
		expect(() => everyMinutes(0)).toThrow(RangeError);
		expect(() => everyMinutes(1.5)).toThrow(RangeError);
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
