/**
 * Limits and readers shared by the importers of arXiv metadata (snapshot and
 * OAI-PMH): one place decides what is damage rather than data.
 */

import { MAX_ABSTRACT_LENGTH, MAX_TITLE_LENGTH } from '$lib/core/paper-safety';

/**
 * Longer fields are damage, not data: the title and abstract bounds are the core's
 * (core/paper-safety.ts, every importer), checked here early, before the rest is parsed.
 */
export const MAX_TITLE = MAX_TITLE_LENGTH;
export const MAX_ABSTRACT = MAX_ABSTRACT_LENGTH;
export const MAX_FIELD = 10_000;
/** Large collaborations list thousands of authors (ATLAS: ~3,000 names, ~100k characters). */
export const MAX_BYLINE = 500_000;

/** The reason for refusing an over-long field. */
export function tooLong(field: string, value: string, max: number): string {
	return `${field} is ${value.length.toLocaleString('en')} characters (limit ${max.toLocaleString('en')})`;
}

/** `Mon, 2 Apr 2007 19:18:42 GMT` (arXiv's version dates) → ISO 8601, or null. */
export function isoFromRfc2822(value: unknown): string | null {
	if (typeof value !== 'string' || !value) return null;
	const ms = arxivDateMs(value) ?? Date.parse(value);
	if (Number.isNaN(ms)) return null;
	const year = new Date(ms).getUTCFullYear();
	return year >= 1986 && year <= 2200 ? new Date(ms).toISOString() : null;
}

const ARXIV_DATE = /^[A-Z][a-z]{2}, (\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The exact form arXiv writes, without Date.parse's general (and, over millions
 * of versions, slow) parser; anything else, or an impossible date, falls back to it.
 */
function arxivDateMs(value: string): number | undefined {
	const match = ARXIV_DATE.exec(value);
	if (!match) return undefined;
	const [, day, monthName, year, hours, minutes, seconds] = match;
	const month = MONTHS.indexOf(monthName);
	if (month < 0 || +hours > 23 || +minutes > 59 || +seconds > 59) return undefined;
	const ms = Date.UTC(+year, month, +day, +hours, +minutes, +seconds);
	// Date.UTC rolls 31 Feb (or day 0, or 45) over into another month; Date.parse's
	// answer is the reference there.
	return new Date(ms).getUTCDate() === +day ? ms : undefined;
}
