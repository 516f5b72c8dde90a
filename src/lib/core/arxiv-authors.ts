/**
 * arXiv bylines to author names: the plain `authors` string of the metadata
 * snapshot, its `authors_parsed` lists, and the OAI-PMH `arXiv` format's
 * keyname / forenames / suffix. Every name comes out as "Forenames Keyname Suffix",
 * LaTeX accents as Unicode, affiliations and footnote markers removed.
 * Pure functions: no I/O.
 */
import { latexToUnicode } from './latex-text';
import { collapseWhitespace } from './paper';

// "et al", "et. al.", "and others": a promise of more authors, not an author.
const MORE_AUTHORS =
	/(?:^|(?<=[\s,;:]))(?:and\s+)?(?:[Ee][Tt](?:\.\s*|\s+)[Aa][Ll]\b\.?|others\b\.?)(?=[\s,;:]|$)/g;
// Footnote markers outside parentheses: `$^{1,2}$`, `^{a}`, trailing `*` or `†`.
const SCRIPT_MARKER = /\$?\^\{?[\w,*†‡ ]*\}?\$?/g;
// (The lookbehind lets a run be tried once, not from each of its characters: linear time.)
const TRAILING_MARKER = /(?<![\s\d*†‡§¶])[\s\d*†‡§¶]+$/;
// Between authors: commas, semicolons, the colon after a collaboration, "and", "&".
const SEPARATOR = /\s*[,;:]\s*(?:and\s+|&\s*)?|\s+(?:and|&)\s+/;
// Generational suffixes that arXiv bylines write after a comma (`John Smith, Jr.`).
const SUFFIX = /^(?:Jr\.?|Sr\.?|I{2,3}|IV|VI{0,3}|2nd|3rd|[4-9]th)$/;
// "BICEP2 and Keck Array Collaborations" names one author (a joint team), not two.
const JOINT_COLLABORATIONS =
	/\S\s+(?:and|&)\s+(?:(?!\s(?:and|&|for)\s)[^,;:])*?\sCollaborations\b/g;
const LETTER = /\p{L}/u;
// Braces left after LaTeX conversion belong to commands no name needs (`\thanks{...}`).
const STRAY_BRACES = /[{}]/g;
// Initials as arXiv's own parser spaces them (`J.A.Smith` → `J. A. Smith`, `C. -P.` → `C.-P.`),
// so a person reads the same whichever field or source the name came from.
const TIGHT_INITIAL = /(?<=(?:^|[\s.-])\p{Lu}\p{Ll}?\.)(?=\p{L})/gu;
const LOOSE_HYPHEN = /(?<=(?:^|[\s.-])\p{Lu}\p{Ll}?\.) -(?=\p{Lu})/gu;

/**
 * Splits a plain arXiv `authors` string into names in byline order.
 * Drops affiliations in parentheses, footnote markers and "et al."; keeps
 * collaborations as one name and suffixes with their person; keeps duplicates.
 *
 * @example parseAuthorList('A. Smith (MIT), B. Jones, Jr. and C. M\\"uller et al.')
 * // ['A. Smith', 'B. Jones Jr.', 'C. Müller']
 */
export function parseAuthorList(raw: string): string[] {
	// Whitespace is collapsed before splitting so no pattern ever walks a long run of spaces.
	const text = protectJointCollaborations(
		collapseWhitespace(
			removeParenthesized(collapseWhitespace(latexToUnicode(raw))).replace(SCRIPT_MARKER, ' ')
		).replace(MORE_AUTHORS, ',')
	);
	const names: string[] = [];
	for (const part of text.split(SEPARATOR)) {
		const name = cleanName(part.replaceAll(JOINT_AND, ' and '));
		if (name === null) continue;
		if (SUFFIX.test(name) && names.length > 0) names[names.length - 1] += ` ${name}`;
		else names.push(name);
	}
	return names;
}

/**
 * Names from the snapshot's `authors_parsed` (`[["Keyname", "Forenames", "Suffix"], ...]`,
 * sometimes with an affiliation as a fourth element, which is ignored). Returns null
 * when the value is not such a list or yields no name, so the caller falls back to
 * {@link parseAuthorList} on the plain string.
 */
export function authorsFromParsed(parsed: unknown): string[] | null {
	if (!Array.isArray(parsed) || parsed.length === 0) return null;
	const names: string[] = [];
	for (const entry of parsed) {
		if (!Array.isArray(entry) || entry.length === 0) return null;
		const [keyname, forenames = '', suffix = ''] = entry as unknown[];
		if (typeof keyname !== 'string' || typeof forenames !== 'string') return null;
		if (typeof suffix !== 'string') return null;
		const name = authorFromOaiParts({ keyname, forenames, suffix });
		if (name) names.push(name);
	}
	return names.length > 0 ? names : null;
}

/** One author of the OAI-PMH `arXiv` metadata format. */
export interface OaiAuthorParts {
	keyname: string;
	forenames?: string | null;
	suffix?: string | null;
}

/**
 * "Forenames Keyname Suffix" for one OAI-PMH `arXiv` author; an empty string when the
 * parts hold no name (arXiv's own splitter leaves entries such as a lone `:` after
 * "Collaboration:"), which callers drop — see {@link authorsFromOaiParts}.
 */
export function authorFromOaiParts({ keyname, forenames, suffix }: OaiAuthorParts): string {
	const joined = [forenames, keyname, suffix].filter(Boolean).join(' ');
	return cleanName(latexToUnicode(joined)) ?? '';
}

/** The names of an OAI-PMH author list in byline order, entries without a name dropped. */
export function authorsFromOaiParts(authors: readonly OaiAuthorParts[]): string[] {
	return authors.map(authorFromOaiParts).filter((name) => name !== '');
}

// Whitespace-collapsed, edge punctuation and trailing markers trimmed; null when no name is left.
function cleanName(part: string): string | null {
	const text = collapseWhitespace(part.replace(STRAY_BRACES, '')).replace(MORE_AUTHORS, ' ');
	const name = trimSeparators(trimSeparators(collapseWhitespace(text)).replace(TRAILING_MARKER, ''))
		.replace(TIGHT_INITIAL, ' ')
		.replace(LOOSE_HYPHEN, '-');
	return LETTER.test(name) ? name : null;
}

const SEPARATOR_CHARS = new Set([' ', ',', ';', ':', '&']);

// Strips separators and a dangling "and" from both ends (a loop, not a `(...)+$` regex,
// which would take quadratic time on a long run of separators).
function trimSeparators(text: string): string {
	let start = 0;
	let end = text.length;
	const isEdge = (i: number) => i < start || i >= end || SEPARATOR_CHARS.has(text[i]);
	for (;;) {
		while (start < end && SEPARATOR_CHARS.has(text[start])) start++;
		if (text.startsWith('and', start) && start + 3 <= end && isEdge(start + 3)) start += 3;
		else break;
	}
	for (;;) {
		while (end > start && SEPARATOR_CHARS.has(text[end - 1])) end--;
		if (end - 3 >= start && text.startsWith('and', end - 3) && isEdge(end - 4)) end -= 3;
		else break;
	}
	return text.slice(start, end);
}

// A private-use character stands in for "and" inside joint collaborations while splitting.
const JOINT_AND = '\ue000';

function protectJointCollaborations(text: string): string {
	return text.replace(JOINT_COLLABORATIONS, (match) =>
		match.replace(/\s+(?:and|&)\s+/g, JOINT_AND)
	);
}

/**
 * Removes parenthesized text — affiliations `(MIT)`, nested lists `((1) CERN, (2) DESY)`
 * and markers `(1,2)` — leaving a space; an unmatched parenthesis becomes a space too
 * (its text stays), so no parenthesis ever reaches a name.
 */
export function removeParenthesized(text: string): string {
	if (!/[()]/.test(text)) return text;
	const unclosed: number[] = [];
	const closeOf = new Map<number, number>();
	for (let i = 0; i < text.length; i++) {
		if (text[i] === '(') unclosed.push(i);
		else if (text[i] === ')' && unclosed.length > 0) closeOf.set(unclosed.pop()!, i);
	}
	let out = '';
	for (let i = 0; i < text.length; i++) {
		const close = closeOf.get(i);
		if (close !== undefined) {
			out += ' ';
			i = close;
		} else out += text[i] === '(' || text[i] === ')' ? ' ' : text[i];
	}
	return out;
}
