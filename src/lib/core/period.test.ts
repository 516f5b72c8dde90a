import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	addDays,
	FIRST_FEED_YEAR,
	feedPeriodProblem,
	isFeedPeriod,
	LAST_FEED_YEAR,
	parseDay,
	parseMonth,
	parseWeek,
	shiftPeriod,
	weekOf,
	type Period
} from './period';
import { enclosingPeriods } from './period-label';

describe('periods', () => {
	it('accepts real days only', () => {
		expect(parseDay('2024-02-29')?.to).toBe('2024-02-29');
		expect(parseDay('2023-02-29')).toBeNull();
		expect(parseDay('2024-13-01')).toBeNull();
		expect(parseDay('24-01-01')).toBeNull();
	});

	it('maps ISO weeks to Monday..Sunday, including week 53 and year edges', () => {
		expect(parseWeek('2024-W01')).toMatchObject({ from: '2024-01-01', to: '2024-01-07' });
		expect(parseWeek('2020-W53')).toMatchObject({ from: '2020-12-28', to: '2021-01-03' });
		expect(parseWeek('2021-W53')).toBeNull();
		expect(parseWeek('2025-W01')).toMatchObject({ from: '2024-12-30' });
	});

	it('maps months to their first and last day', () => {
		expect(parseMonth('2024-02')).toMatchObject({ from: '2024-02-01', to: '2024-02-29' });
		expect(parseMonth('2024-00')).toBeNull();
	});

	it('shifts periods across year boundaries', () => {
		expect(shiftPeriod(parseMonth('2024-01')!, -1)?.key).toBe('2023-12');
		expect(shiftPeriod(parseWeek('2024-W52')!, 1)?.key).toBe('2025-W01');
		expect(shiftPeriod(parseDay('2024-03-01')!, -1)?.key).toBe('2024-02-29');
	});

	it('puts every day inside the week weekOf names', () => {
		const days = fc.integer({ min: 0, max: 40_000 }).map((n) => addDays('1990-01-01', n));
		fc.assert(
			fc.property(days, (day) => {
				const week = parseWeek(weekOf(day))!;
				expect(week.from <= day && day <= week.to).toBe(true);
			})
		);
	});

	it('reads years 0000–0099 as written, not as 1900–1999', () => {
		expect(parseMonth('0000-01')).toMatchObject({ from: '0000-01-01', to: '0000-01-31' });
		expect(parseMonth('0099-02')?.to).toBe('0099-02-28');
		expect(parseDay('0004-02-29')?.key).toBe('0004-02-29');
		expect(parseDay('0100-02-29')).toBeNull();
		expect(addDays('0001-01-01', -1)).toBe('0000-12-31');
		expect(weekOf('0050-06-15')).toMatch(/^0050-W\d\d$/);
	});

	it('shows only the years 1991 to 9999, with a sentence for the others', () => {
		expect(isFeedPeriod(parseMonth('1991-01')!)).toBe(true);
		expect(isFeedPeriod(parseMonth('9999-12')!)).toBe(true);
		expect(isFeedPeriod(parseMonth('1990-12')!)).toBe(false);
		expect(isFeedPeriod(parseMonth('0000-01')!)).toBe(false);
		// Its Sunday is 10000-01-02, which no key can name.
		expect(isFeedPeriod(parseWeek('9999-W52')!)).toBe(false);
		expect(feedPeriodProblem(parseMonth('0000-01')!)).toBe(
			'The feed covers 1991 to 9999; 0000-01 is outside it.'
		);
		expect(feedPeriodProblem(parseMonth('2024-06')!)).toBeNull();
	});

	it('has no neighbour past the first or last period a feed shows', () => {
		expect(shiftPeriod(parseMonth('9999-12')!, 1)).toBeNull();
		expect(shiftPeriod(parseMonth('9999-12')!, -1)?.key).toBe('9999-11');
		expect(shiftPeriod(parseMonth('1991-01')!, -1)).toBeNull();
		expect(shiftPeriod(parseDay('9999-12-31')!, 1)).toBeNull();
		expect(shiftPeriod(parseDay('1991-01-01')!, -1)).toBeNull();
		expect(shiftPeriod(parseWeek('9999-W51')!, 1)).toBeNull();
		expect(shiftPeriod(parseWeek('1991-W01')!, -1)).toBeNull();
	});

	const periodKinds = fc.constantFrom('day', 'week', 'month');
	const anyYearDay = fc.integer({ min: 0, max: 3_652_058 }).map((n) => addDays('0000-01-01', n));
	const periodHolding = (kind: string, day: string): Period | null =>
		kind === 'day'
			? parseDay(day)
			: kind === 'week'
				? parseWeek(weekOf(day))
				: parseMonth(day.slice(0, 7));

	it('parses back every key it writes, for any day of years 0000–9999', () => {
		fc.assert(
			fc.property(anyYearDay, periodKinds, (day, kind) => {
				const period = periodHolding(kind, day);
				// Only the first days of 0000 and the last of 9999 lie in weeks (year -1, 10000) no key can name.
				if (period === null) {
					expect(kind === 'week' && (day <= '0000-01-03' || day >= '9999-12-27')).toBe(true);
					return;
				}
				expect(period.from <= day && day <= period.to).toBe(true);
				expect(period.key.startsWith(day.slice(0, 4)) || kind === 'week').toBe(true);
			})
		);
	});

	it('links only to neighbours and enclosing periods a feed can show, and never throws', () => {
		fc.assert(
			fc.property(
				anyYearDay,
				periodKinds,
				fc.constantFrom(-1 as const, 1 as const),
				(day, kind, step) => {
					const period = periodHolding(kind, day);
					if (period === null) return;
					const neighbour = shiftPeriod(period, step);
					if (neighbour !== null) {
						expect(isFeedPeriod(neighbour)).toBe(true);
						expect(neighbour.kind).toBe(period.kind);
						if (step === 1) expect(neighbour.from).toBe(addDays(period.to, 1));
						else expect(neighbour.to).toBe(addDays(period.from, -1));
					} else if (isFeedPeriod(period)) {
						// A shown period lacks a neighbour only at the edges of 1991–9999.
						const edge =
							step === 1 ? period.to >= '9999-12' : period.from < `${FIRST_FEED_YEAR}-02`;
						expect(edge).toBe(true);
					}
					for (const key of Object.values(enclosingPeriods(period))) {
						if (key === null) continue;
						const year = Number(key.slice(0, 4));
						expect(year >= FIRST_FEED_YEAR && year <= LAST_FEED_YEAR).toBe(true);
					}
				}
			)
		);
	});
});

describe('enclosingPeriods with a selected day', () => {
	it('keeps the selected day instead of the Monday or the 1st', () => {
		const week = parseWeek('2024-W23')!;
		expect(enclosingPeriods(week)).toEqual({
			day: '2024-06-03',
			week: '2024-W23',
			month: '2024-06'
		});
		expect(enclosingPeriods(week, '2024-06-05')).toEqual({
			day: '2024-06-05',
			week: '2024-W23',
			month: '2024-06'
		});
		expect(enclosingPeriods(parseMonth('2024-06')!, '2024-06-19').day).toBe('2024-06-19');
		expect(enclosingPeriods(parseMonth('2024-06')!, '2024-06-19').week).toBe('2024-W25');
	});
});
