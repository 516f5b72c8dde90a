import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, parseDay, parseMonth, parseWeek, shiftPeriod, weekOf } from './period';

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
		expect(shiftPeriod(parseMonth('2024-01')!, -1).key).toBe('2023-12');
		expect(shiftPeriod(parseWeek('2024-W52')!, 1).key).toBe('2025-W01');
		expect(shiftPeriod(parseDay('2024-03-01')!, -1).key).toBe('2024-02-29');
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
});
