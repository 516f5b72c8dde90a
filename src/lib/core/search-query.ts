/**
 * The language of the site's one search box: free words, "quoted phrases",
 * -exclusions, a few operators (author:, cat:, year:, after:, before:, sort:) and
 * pasted arXiv ids or URLs. Pure functions: no I/O.
 *
 * Parsing never throws. What cannot be understood either stays free text or is
 * dropped with a warning the UI can show; nothing is ever special to a database
 * (OR, NEAR(, *, quotes inside words): escaping for FTS or SQL is the index's job.
 */
import { extractArxivId } from './arxiv-id';
import { parseDay } from './period';

/** How results are ordered: `relevance` is the default and is never written out. */
export type SortOrder = 'relevance' | 'date' | 'upvotes';

/** One active filter of a query, as a removable chip shows it. */
export interface SearchFilter {
	kind: 'author' | 'category' | 'year' | 'after' | 'before' | 'sort' | 'exclude' | 'phrase';
	value: string;
}

/** A search box query, understood. */
export interface ParsedQuery {
	/** Free-text words (in order, operators removed), for lexical and semantic retrieval. */
	terms: string[];
	/** "quoted phrases" (must appear as consecutive words). */
	phrases: string[];
	/** -word and -"a phrase": documents containing them are excluded. */
	excluded: string[];
	/** author:"Yann LeCun", author:lecun (several = all must match). */
	authors: string[];
	/** cat:cs.CL; cat:cs means any cs.* (lower-case archive, dot subject kept as typed). */
	categories: string[];
	/** year:2024, from 1986 to 2100. */
	year: number | null;
	/** after:2024-06-01 (inclusive); after:2024 → 2024-01-01, after:2024-06 → 2024-06-01. */
	after: string | null;
	/** before:2024-06-01 (exclusive), same shorthand (before:2024 → 2024-01-01). */
	before: string | null;
	/** sort:date|relevance|upvotes (default relevance). */
	sort: SortOrder;
	/**
	 * The arXiv id, without version, when the query is nothing but one arXiv id,
	 * versioned id, old-style id, or arXiv / Hugging Face / PDF URL; that text also
	 * stays in `terms`, so a caller may still search it when no such paper is stored.
	 */
	arxivId: string | null;
	/** Human-readable notes about parts that were ignored ("before: needs a date like 2024-06-01"). */
	warnings: string[];
}

/**
 * The longest query used, in characters of its canonical form: longer input is
 * cut at the last whole word or operator that fits (with a warning), never an error.
 */
export const MAX_QUERY_LENGTH = 512;

/** How many of each repeatable part a query keeps; extra ones are dropped with a warning. */
export const SEARCH_LIMITS = {
	terms: 32,
	phrases: 8,
	excluded: 8,
	authors: 8,
	categories: 8
} as const;

/** The years `year:` accepts. */
export const YEAR_RANGE = { min: 1986, max: 2100 } as const;

// Only this much raw input is even normalized, so a pasted megabyte costs nothing;
// it is generous because control characters and runs of spaces shrink before the cut.
const RAW_INPUT_CAP = MAX_QUERY_LENGTH * 16;

const SORT_ORDERS: readonly SortOrder[] = ['relevance', 'date', 'upvotes'];

type OperatorName = 'author' | 'category' | 'year' | 'after' | 'before' | 'sort';

// A Map, not an object literal: `constructor:` or `__proto__:` must stay free text
// rather than find an inherited property.
const OPERATORS = new Map<string, OperatorName>([
	['author', 'author'],
	['au', 'author'], // arXiv's own search syntax
	['cat', 'category'],
	['category', 'category'],
	['year', 'year'],
	['after', 'after'],
	['before', 'before'],
	['sort', 'sort']
]);

const INVALID: Record<OperatorName, string> = {
	author: 'author: needs a name, like author:lecun or author:"Yann LeCun"',
	category: 'cat: needs an arXiv category, like cat:cs.CL or cat:cs',
	year: `year: needs a year from ${YEAR_RANGE.min} to ${YEAR_RANGE.max}, like year:2024`,
	after: 'after: needs a date like 2024-06-01 (or 2024-06, or 2024)',
	before: 'before: needs a date like 2024-06-01 (or 2024-06, or 2024)',
	sort: 'sort: can be relevance, date or upvotes'
};

const repeated = (operator: 'year' | 'after' | 'before' | 'sort'): string =>
	`${operator}: was given more than once; the last one is used`;

const OVER_LIMIT = {
	terms: `Only the first ${SEARCH_LIMITS.terms} words are searched`,
	phrases: `Only the first ${SEARCH_LIMITS.phrases} quoted phrases are used`,
	excluded: `Only the first ${SEARCH_LIMITS.excluded} excluded words are used`,
	authors: `Only the first ${SEARCH_LIMITS.authors} authors are used`,
	categories: `Only the first ${SEARCH_LIMITS.categories} categories are used`
};

const TOO_LONG = `The query is longer than ${MAX_QUERY_LENGTH} characters; the rest was ignored`;

// Whitespace other than spaces (tabs, newlines, NBSP, ideographic space) separates
// words just the same, so it becomes a space before the control characters go.
const WHITESPACE = /\s+/gu;
// Control characters; lone surrogate halves (encodeURIComponent throws on them, and
// chips end up in URLs); and bidi embeddings, overrides and isolates, which could
// reverse the text shown around a chip. Plain RTL letters are kept.
const INVISIBLE = /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]/gu;
// Typographic double quotes, as pasted from documents and phones, quote like ".
const SMART_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u301D\u301E\uFF02]/gu;

// arXiv archives (`cs`, `hep-th`, `q-bio`) with an optional subject class
// (`CL`, `GT`, `mes-hall`, `acc-ph`).
const CATEGORY = /^([A-Za-z]+(?:-[A-Za-z]+)?)(?:\.([A-Za-z]+(?:-[A-Za-z]+)?))?$/;
// `-` begins an exclusion only before a letter or digit; `-`, `--`, `-*` stay text.
const EXCLUDE_WORD = /-[\p{L}\p{N}]/uy;
const OPERATOR_PREFIX = /([A-Za-z]+):/y;
// An exclusion that reads back as itself without quotes.
const BARE_EXCLUSION = /^[\p{L}\p{N}][^ "]*$/u;

function isSortOrder(text: string): text is SortOrder {
	return (SORT_ORDERS as readonly string[]).includes(text);
}

function normalize(text: string): string {
	return text
		.replace(WHITESPACE, ' ')
		.replace(INVISIBLE, '')
		.replace(SMART_QUOTES, '"')
		.replace(/ {2,}/g, ' ')
		.trim();
}

/** A value as the canonical form can carry it: normalized, with no double quotes. */
function cleanValue(text: string): string {
	return normalize(text).replace(/"/g, ' ').replace(/ {2,}/g, ' ').trim();
}

function parseYear(text: string): number | null {
	if (!/^\d{4}$/.test(text)) return null;
	const year = Number(text);
	return year >= YEAR_RANGE.min && year <= YEAR_RANGE.max ? year : null;
}

/** `2024` → `2024-01-01`, `2024-06` → `2024-06-01`, a real `YYYY-MM-DD` as is; else null. */
function parseDateValue(text: string): string | null {
	const day = /^\d{4}$/.test(text)
		? `${text}-01-01`
		: /^\d{4}-\d{2}$/.test(text)
			? `${text}-01`
			: text;
	return parseDay(day)?.from ?? null;
}

function parseCategory(text: string): string | null {
	const match = CATEGORY.exec(text);
	if (!match) return null;
	const [, archive, subject] = match;
	return subject === undefined ? archive.toLowerCase() : `${archive.toLowerCase()}.${subject}`;
}

/** The canonical value of a filter, or null when it cannot be one. */
function validValue(kind: SearchFilter['kind'], raw: string): string | null {
	const value = cleanValue(raw);
	if (value === '') return null;
	switch (kind) {
		case 'author':
		case 'phrase':
		case 'exclude':
			return value;
		case 'category':
			return parseCategory(value);
		case 'year': {
			const year = parseYear(value);
			return year === null ? null : String(year);
		}
		case 'after':
		case 'before':
			return parseDateValue(value);
		case 'sort': {
			const sort = value.toLowerCase();
			return isSortOrder(sort) ? sort : null;
		}
	}
}

/** The text of one filter in the canonical query; empty for the default sort. */
function filterText(filter: SearchFilter): string {
	const { kind, value } = filter;
	switch (kind) {
		case 'phrase':
			return `"${value}"`;
		case 'exclude':
			return BARE_EXCLUSION.test(value) ? `-${value}` : `-"${value}"`;
		case 'author':
			return value.includes(' ') ? `author:"${value}"` : `author:${value}`;
		case 'category':
			return `cat:${value}`;
		case 'year':
		case 'after':
		case 'before':
			return `${kind}:${value}`;
		case 'sort':
			return value === 'relevance' ? '' : `sort:${value}`;
	}
}

type Token =
	| { type: 'word'; text: string; end: number }
	| { type: 'phrase'; text: string; end: number }
	| { type: 'exclude'; text: string; end: number }
	| { type: 'operator'; name: OperatorName; value: string; end: number };

/** Where a bare word starting at `start` ends: at a space, a quote or the end. */
function wordEnd(text: string, start: number): number {
	let end = start;
	while (end < text.length && text[end] !== ' ' && text[end] !== '"') end++;
	return end;
}

/** A quoted string opening at `start`; an unclosed quote runs to the end of the text. */
function readQuoted(text: string, start: number): { text: string; end: number } {
	const close = text.indexOf('"', start + 1);
	if (close === -1) return { text: text.slice(start + 1).trim(), end: text.length };
	return { text: text.slice(start + 1, close).trim(), end: close + 1 };
}

/** The token starting at `start`, which is neither a space nor past the end. */
function readToken(text: string, start: number): Token {
	if (text[start] === '"') return { type: 'phrase', ...readQuoted(text, start) };
	if (text[start] === '-' && text[start + 1] === '"') {
		return { type: 'exclude', ...readQuoted(text, start + 1) };
	}
	EXCLUDE_WORD.lastIndex = start;
	if (EXCLUDE_WORD.test(text)) {
		const end = wordEnd(text, start + 1);
		return { type: 'exclude', text: text.slice(start + 1, end), end };
	}
	OPERATOR_PREFIX.lastIndex = start;
	const prefix = OPERATOR_PREFIX.exec(text);
	const name = prefix ? OPERATORS.get(prefix[1].toLowerCase()) : undefined;
	if (prefix && name) {
		const at = start + prefix[0].length;
		if (text[at] === '"') {
			const quoted = readQuoted(text, at);
			return { type: 'operator', name, value: quoted.text, end: quoted.end };
		}
		const end = wordEnd(text, at);
		return { type: 'operator', name, value: text.slice(at, end), end };
	}
	const end = wordEnd(text, start);
	return { type: 'word', text: text.slice(start, end), end };
}

type ListKey = keyof typeof SEARCH_LIMITS;

const LIST_OF: Partial<Record<SearchFilter['kind'], ListKey>> = {
	phrase: 'phrases',
	exclude: 'excluded',
	author: 'authors',
	category: 'categories'
};

/** A query with nothing in it: no words, no filters, relevance order. */
export function emptyQuery(): ParsedQuery {
	return {
		terms: [],
		phrases: [],
		excluded: [],
		authors: [],
		categories: [],
		year: null,
		after: null,
		before: null,
		sort: 'relevance',
		arxivId: null,
		warnings: []
	};
}

/** The active filters of a query, in canonical order. */
function filtersOf(q: ParsedQuery): SearchFilter[] {
	const filters: SearchFilter[] = [
		...q.phrases.map((value): SearchFilter => ({ kind: 'phrase', value })),
		...q.excluded.map((value): SearchFilter => ({ kind: 'exclude', value })),
		...q.authors.map((value): SearchFilter => ({ kind: 'author', value })),
		...q.categories.map((value): SearchFilter => ({ kind: 'category', value }))
	];
	if (q.year !== null) filters.push({ kind: 'year', value: String(q.year) });
	if (q.after !== null) filters.push({ kind: 'after', value: q.after });
	if (q.before !== null) filters.push({ kind: 'before', value: q.before });
	if (q.sort !== 'relevance') filters.push({ kind: 'sort', value: q.sort });
	return filters;
}

/**
 * Parses search box text. Operators are case-insensitive and take bare or quoted
 * values; invalid ones are dropped with a warning, unknown `foo:bar` stays a word.
 * Never throws, whatever the input.
 */
export function parseSearchQuery(input: string): ParsedQuery {
	const q = emptyQuery();
	const warnings = new Set<string>();
	// Callers pass URL parameters; a missing one must not be the exception that throws.
	const raw = typeof input === 'string' ? input : '';
	const text = normalize(raw.length > RAW_INPUT_CAP ? raw.slice(0, RAW_INPUT_CAP) : raw);
	if (raw.length > RAW_INPUT_CAP) warnings.add(TOO_LONG);

	// Characters the canonical form of what was kept takes, plus one space each. The
	// cut is on this, not only on the input, because the canonical form can be longer
	// (`au:` → `author:`, `after:2024` → `after:2024-01-01`, `"a""b"` → `"a" "b"`), and it
	// must stay short enough to read back whole: that is what makes it round-trip.
	let used = 0;
	const fits = (canonical: string): boolean => {
		if (canonical === '') return true;
		if (used + canonical.length > MAX_QUERY_LENGTH) return false;
		used += canonical.length + 1;
		return true;
	};

	let at = 0;
	while (at < text.length) {
		if (text[at] === ' ') {
			at++;
			continue;
		}
		const token = readToken(text, at);
		at = token.end;
		// Cut at whole tokens: half a word or half a phrase would search for garbage.
		if (token.end > MAX_QUERY_LENGTH) {
			warnings.add(TOO_LONG);
			break;
		}

		if (token.type === 'word') {
			if (q.terms.length >= SEARCH_LIMITS.terms) {
				warnings.add(OVER_LIMIT.terms);
				continue;
			}
			if (!fits(token.text)) {
				warnings.add(TOO_LONG);
				break;
			}
			q.terms.push(token.text);
			continue;
		}

		const kind: SearchFilter['kind'] =
			token.type === 'operator' ? token.name : token.type === 'phrase' ? 'phrase' : 'exclude';
		const value = validValue(kind, token.type === 'operator' ? token.value : token.text);
		if (value === null) {
			// An empty "" or -"" is a half-typed phrase, not a mistake worth a note.
			if (token.type === 'operator') warnings.add(INVALID[token.name]);
			continue;
		}
		const filter: SearchFilter = { kind, value };
		const listKey = LIST_OF[kind];
		if (listKey) {
			const list = q[listKey];
			// Filters ignore case, so `author:LeCun author:lecun` is one filter, kept as first typed.
			const key = value.toLowerCase();
			if (list.some((item) => item.toLowerCase() === key)) continue;
			if (list.length >= SEARCH_LIMITS[listKey]) {
				warnings.add(OVER_LIMIT[listKey]);
				continue;
			}
			if (!fits(filterText(filter))) {
				warnings.add(TOO_LONG);
				break;
			}
			list.push(value);
			continue;
		}
		if (!fits(filterText(filter))) {
			warnings.add(TOO_LONG);
			break;
		}
		// Single-valued operators: the last one wins, as when someone refines a query by
		// typing on at the end.
		if (kind === 'year') {
			if (q.year !== null) warnings.add(repeated(kind));
			q.year = Number(value);
		} else if (kind === 'after' || kind === 'before') {
			if (q[kind] !== null) warnings.add(repeated(kind));
			q[kind] = value;
		} else if (kind === 'sort' && isSortOrder(value)) {
			if (q.sort !== 'relevance') warnings.add(repeated(kind));
			q.sort = value;
		}
	}

	if (q.after !== null && q.before !== null && q.after >= q.before) {
		warnings.add(`after:${q.after} is not before before:${q.before}, so nothing can match`);
	}
	// Derived from what was parsed, not the raw text, so it round-trips with the rest.
	if (q.terms.length === 1 && filtersOf(q).length === 0) {
		q.arxivId = extractArxivId(q.terms[0])?.id ?? null;
	}
	q.warnings = [...warnings];
	return q;
}

/** The canonical pieces of a query: its terms, then one piece per filter. */
function canonicalPieces(q: ParsedQuery): { terms: string[]; filters: SearchFilter[] } {
	// A parsed query is already clean; a hand-built one (a UI control setting `year`)
	// is cleaned here so its text still parses back into what it says.
	const terms = q.terms.map(cleanValue).filter((term) => term !== '');
	const filters: SearchFilter[] = [];
	for (const filter of filtersOf(q)) {
		const value = validValue(filter.kind, filter.value);
		if (value !== null) filters.push({ kind: filter.kind, value });
	}
	return { terms, filters };
}

/**
 * The canonical query text for a parsed query: terms, then phrases, exclusions,
 * authors, categories, year, after, before and sort. It round-trips through
 * `parseSearchQuery` (warnings aside) and is never longer than MAX_QUERY_LENGTH
 * for a parsed query. `arxivId` and `warnings` are derived, so they are not written.
 */
export function formatSearchQuery(q: ParsedQuery): string {
	const { terms, filters } = canonicalPieces(q);
	return [...terms, ...filters.map(filterText)].filter((piece) => piece !== '').join(' ');
}

function chipLabel(filter: SearchFilter): string {
	const { kind, value } = filter;
	switch (kind) {
		case 'phrase':
			return `"${value}"`;
		case 'exclude':
			return `Without "${value}"`;
		case 'author':
			return `Author: ${value}`;
		case 'category':
			return `Category: ${value.includes('.') ? value : `${value}.*`}`;
		case 'year':
			return `Year: ${value}`;
		case 'after':
			return `From ${value}`;
		case 'before':
			return `Before ${value}`;
		case 'sort':
			return value === 'date' ? 'Newest first' : value === 'upvotes' ? 'Most upvoted' : 'Relevance';
	}
}

/**
 * Each active filter with a label and the query text with that one filter removed
 * (for removable chips in the UI), in canonical order. Free terms and the default
 * sort are not chips.
 */
export function filterChips(
	q: ParsedQuery
): { filter: SearchFilter; label: string; queryWithout: string }[] {
	const { terms, filters } = canonicalPieces(q);
	const pieces = filters.map(filterText);
	return filters.map((filter, index) => ({
		filter,
		label: chipLabel(filter),
		queryWithout: [...terms, ...pieces.filter((_, other) => other !== index)]
			.filter((piece) => piece !== '')
			.join(' ')
	}));
}
