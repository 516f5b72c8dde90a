/**
 * The spans a feed can show: a day (`2024-06-03`), an ISO week (`2024-W23`) or a
 * month (`2024-06`), with their first and last days and their neighbours.
 *
 * Keys are written with four-digit years, so the calendar here covers years
 * 0000–9999; feeds show the years from {@link FIRST_FEED_YEAR} (arXiv's first) to
 * {@link LAST_FEED_YEAR} (the last a four-digit key can name).
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

/** The first year a feed shows: arXiv opened in 1991. */
export const FIRST_FEED_YEAR = 1991;
/** The last year a feed shows: the last one a four-digit key can name. */
export const LAST_FEED_YEAR = 9999;

const DAY_MS = 86_400_000;

/**
 * Midnight UTC of a calendar date. `Date.UTC` reads years 0–99 as 1900–1999,
 * `setUTCFullYear` takes the year as given.
 */
function utcDate(year: number, monthIndex: number, day: number): Date {
	const date = new Date(0);
	date.setUTCFullYear(year, monthIndex, day);
	return date;
}

/** `YYYY-MM-DD` for years 0000–9999; other years (`+010000-…`, `-000001-…`) and invalid dates come out as text no parser accepts. */
function toDay(date: Date): string {
	if (Number.isNaN(date.getTime())) return 'invalid';
	const iso = date.toISOString();
	return iso.slice(0, iso.indexOf('T'));
}

function fromDay(day: string): Date {
	const [year, month, date] = day.split('-').map(Number);
	return utcDate(year, month - 1, date);
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
	const jan4 = utcDate(year, 0, 4);
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
	const to = toDay(utcDate(year, month, 0));
	return { kind: 'month', key: text, from, to };
}

/** Why a `date`, `week` or `month` value was refused: shared by the feed and Hugging Face's paths. */
export const PERIOD_FORMAT_PROBLEM =
	'Use date=YYYY-MM-DD, week=YYYY-Www or month=YYYY-MM with a real calendar value.';

/** A day, week or month key of the given kind, or null when it is not a real calendar value. */
export function parsePeriod(kind: PeriodKind, text: string): Period | null {
	return kind === 'day' ? parseDay(text) : kind === 'week' ? parseWeek(text) : parseMonth(text);
}

/** The ISO week key (`YYYY-Www`) holding a day. */
export function weekOf(day: string): string {
	const date = fromDay(day);
	const thursday = new Date(date.getTime() + (3 - ((date.getUTCDay() + 6) % 7)) * DAY_MS);
	const year = thursday.getUTCFullYear();
	const week =
		Math.floor((thursday.getTime() - isoWeekOneMonday(year).getTime()) / (7 * DAY_MS)) + 1;
	return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

/**
 * Whether a feed can show this period: its key names a year from 1991 to 9999 and
 * its last day is written with a four-digit year, e.g. `2024-06` yes, `1899-12` and
 * `9999-W52` (which ends on 10000-01-02) no.
 */
export function isFeedPeriod(period: Period): boolean {
	const year = Number(period.key.slice(0, 4));
	return year >= FIRST_FEED_YEAR && year <= LAST_FEED_YEAR && /^\d{4}-/.test(period.to);
}

/** Why a feed cannot show a period, as a sentence for the reader; null when it can. */
export function feedPeriodProblem(period: Period): string | null {
	if (isFeedPeriod(period)) return null;
	return `The feed covers ${FIRST_FEED_YEAR} to ${LAST_FEED_YEAR}; ${period.key} is outside it.`;
}

/**
 * The period just before (-1) or after (+1) this one, of the same kind; null when
 * that neighbour is not one a feed can show (before 1991, after 9999).
 */
export function shiftPeriod(period: Period, step: -1 | 1): Period | null {
	let neighbour: Period | null;
	if (period.kind === 'day') neighbour = parseDay(addDays(period.from, step));
	else if (period.kind === 'week') neighbour = parseWeek(weekOf(addDays(period.from, step * 7)));
	else {
		const [year, month] = period.key.split('-').map(Number);
		neighbour = parseMonth(toDay(utcDate(year, month - 1 + step, 1)).slice(0, 7));
	}
	return neighbour && isFeedPeriod(neighbour) ? neighbour : null;
}

/** The UTC day of an instant. */
export function dayOf(date: Date): string {
	return toDay(date);
}
