import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoFromRfc2822 } from './arxiv-fields';

/** The definition the fast path must match: the general parser and the same year bounds. */
function viaDateParse(value: string): string | null {
	const ms = Date.parse(value);
	if (Number.isNaN(ms)) return null;
	const year = new Date(ms).getUTCFullYear();
	return year >= 1986 && year <= 2200 ? new Date(ms).toISOString() : null;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

describe('isoFromRfc2822', () => {
	it("reads arXiv's version dates", () => {
		expect(isoFromRfc2822('Mon, 2 Apr 2007 19:18:42 GMT')).toBe('2007-04-02T19:18:42.000Z');
		expect(isoFromRfc2822('Tue, 24 Jul 2007 20:10:27 GMT')).toBe('2007-07-24T20:10:27.000Z');
	});

	it('rejects what is not a date or lies outside arXiv’s years', () => {
		expect(isoFromRfc2822('yesterday')).toBeNull();
		expect(isoFromRfc2822('')).toBeNull();
		expect(isoFromRfc2822(42)).toBeNull();
		expect(isoFromRfc2822('Mon, 2 Apr 1970 19:18:42 GMT')).toBeNull();
	});

	it('agrees with Date.parse on every well-formed date', () => {
		const instant = fc.date({ min: new Date('1980-01-01'), max: new Date('2210-12-31') });
		fc.assert(
			fc.property(instant, fc.boolean(), (date, padDay) => {
				if (Number.isNaN(date.getTime())) return;
				const day = String(date.getUTCDate()).padStart(padDay ? 2 : 1, '0');
				const value =
					`${DAYS[date.getUTCDay()]}, ${day} ${MONTHS[date.getUTCMonth()]} ` +
					`${date.getUTCFullYear()} ${date.toISOString().slice(11, 19)} GMT`;
				expect(isoFromRfc2822(value)).toBe(viaDateParse(value));
			}),
			{ numRuns: 3000 }
		);
	});

	it('agrees with Date.parse on impossible fields (31 Feb, hour 24, second 60)', () => {
		const field = (max: number) => fc.integer({ min: 0, max }).map(String);
		fc.assert(
			fc.property(
				field(40),
				fc.constantFrom(...MONTHS, 'Foo'),
				field(30),
				field(65),
				field(65),
				(day, month, hours, minutes, seconds) => {
					const two = (n: string) => n.padStart(2, '0');
					const value = `Wed, ${day} ${month} 2010 ${two(hours)}:${two(minutes)}:${two(seconds)} GMT`;
					expect(isoFromRfc2822(value)).toBe(viaDateParse(value));
				}
			),
			{ numRuns: 3000 }
		);
	});
});
