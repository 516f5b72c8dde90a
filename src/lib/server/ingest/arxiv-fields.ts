/**
 * Limits and readers shared by the importers of arXiv metadata (snapshot and
 * OAI-PMH): one place decides what is damage rather than data.
 */

/** Longer fields are damage, not data: arXiv caps abstracts at 1,920 characters. */
export const MAX_TITLE = 2_000;
export const MAX_ABSTRACT = 50_000;
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
	const ms = Date.parse(value);
	if (Number.isNaN(ms)) return null;
	const year = new Date(ms).getUTCFullYear();
	return year >= 1986 && year <= 2200 ? new Date(ms).toISOString() : null;
}
