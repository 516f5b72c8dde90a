/**
 * The spans a feed can show: a day (`2024-06-03`), an ISO week (`2024-W23`) or a
 * month (`2024-06`), with their first and last days and their neighbours.
 */

export type PeriodKind = 'day' | 'week' | 'month';

export interface Period {
	kind: PeriodKind;
	/** The canonical text form: `YYYY-MM-DD`, `YYYY-Www` or `YYYY-MM`. */
	key: string;
	/** First and last day, inclusive, `YYYY-MM-DD`. */
	from: string;
	to: string;
}

const DAY_MS = 86_400_000;

function toDay(date: Date): string {
	return date.toISOString().slice(0, 10);
}

function fromDay(day: string): Date {
	return new Date(`${day}T00:00:00Z`);
}

/** Adds whole days to a `YYYY-MM-DD` day. */
export function addDays(day: string, days: number): string {
	return toDay(new Date(fromDay(day).getTime() + days * DAY_MS));
}

/** A `YYYY-MM-DD` day, or null when the text is not a real calendar day. */
export function parseDay(text: string): Period | null {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
	const date = fromDay(text);
	if (Number.isNaN(date.getTime()) || toDay(date) !== text) return null;
	return { kind: 'day', key: text, from: text, to: text };
}

/** Monday of ISO week 1 of a year: the week holding January 4th. */
function isoWeekOneMonday(year: number): Date {
	const jan4 = new Date(Date.UTC(year, 0, 4));
	const weekday = (jan4.getUTCDay() + 6) % 7; // Monday = 0
	return new Date(jan4.getTime() - weekday * DAY_MS);
}

function weeksInYear(year: number): number {
	return Math.round(
		(isoWeekOneMonday(year + 1).getTime() - isoWeekOneMonday(year).getTime()) / (7 * DAY_MS)
	);
}

/** An ISO week `YYYY-Www`, or null. */
export function parseWeek(text: string): Period | null {
	const match = /^(\d{4})-W(\d{2})$/.exec(text);
	if (!match) return null;
	const year = Number(match[1]);
	const week = Number(match[2]);
	if (week < 1 || week > weeksInYear(year)) return null;
	const monday = new Date(isoWeekOneMonday(year).getTime() + (week - 1) * 7 * DAY_MS);
	const from = toDay(monday);
	return { kind: 'week', key: text, from, to: addDays(from, 6) };
}

/** A month `YYYY-MM`, or null. */
export function parseMonth(text: string): Period | null {
	const match = /^(\d{4})-(\d{2})$/.exec(text);
	if (!match) return null;
	const year = Number(match[1]);
	const month = Number(match[2]);
	if (month < 1 || month > 12) return null;
	const from = `${match[1]}-${match[2]}-01`;
	const to = toDay(new Date(Date.UTC(year, month, 0)));
	return { kind: 'month', key: text, from, to };
}

/** The ISO week key (`YYYY-Www`) holding a day. */
export function weekOf(day: string): string {
	const date = fromDay(day);
	const thursday = new Date(date.getTime() + (3 - ((date.getUTCDay() + 6) % 7)) * DAY_MS);
	const year = thursday.getUTCFullYear();
	const week =
		Math.floor((thursday.getTime() - isoWeekOneMonday(year).getTime()) / (7 * DAY_MS)) + 1;
	return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The period just before (-1) or after (+1) this one, of the same kind. */
export function shiftPeriod(period: Period, step: -1 | 1): Period {
	if (period.kind === 'day') return parseDay(addDays(period.from, step))!;
	if (period.kind === 'week') return parseWeek(weekOf(addDays(period.from, step * 7)))!;
	const [year, month] = period.key.split('-').map(Number);
	const date = new Date(Date.UTC(year, month - 1 + step, 1));
	return parseMonth(date.toISOString().slice(0, 7))!;
}

/** The UTC day of an instant. */
export function dayOf(date: Date): string {
	return toDay(date);
}
