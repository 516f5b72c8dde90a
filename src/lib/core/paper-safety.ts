/**
 * What a paper's text may hold, decided once for every importer (HF daily,
 * arXiv API, snapshot and OAI-PMH): control characters and bidi overrides are
 * removed, and records whose size only an attacker or a corrupt source would
 * produce are refused with a reason. Pure: no I/O.
 *
 * The bounds sit far above real data. Measured on ../shared/data (9,877 HF
 * papers and the snapshot sample): longest title 175 characters, longest
 * abstract 1,923 (arXiv caps new abstracts at 1,920), most math spans in one
 * field 25, longest span 100 characters, no control or bidi characters at all.
 */
import type { PaperRecord } from './paper';

/** A longer title is damage, not data (real maximum seen: 175 characters). */
export const MAX_TITLE_LENGTH = 1_000;
/** A longer abstract is damage, not data (arXiv caps abstracts at 1,920 characters). */
export const MAX_ABSTRACT_LENGTH = 10_000;
/** More `$...$` spans in one field is damage, not data (real maximum seen: 25). */
export const MAX_MATH_SPANS_PER_FIELD = 100;

/**
 * `$...$` whose content neither starts nor ends with a space (so "$5 and $6" stays
 * text), or `$$...$$` display math; `\$` is a literal dollar sign. The renderer
 * (core/latex.ts) uses the same pattern, so the bound counts what it would render.
 */
export const MATH_SPAN = /\$\$([^$]+?)\$\$|(?<!\\)\$(?!\s)((?:\\\$|[^$\n])+?)(?<![\s\\])\$/g;

/** How many math spans `text` holds, counting no further than `stopAt`. */
export function countMathSpans(text: string, stopAt = Infinity): number {
	if (!text.includes('$')) return 0;
	let count = 0;
	const spans = text.matchAll(MATH_SPAN);
	while (count < stopAt && !spans.next().done) count += 1;
	return count;
}

// C0 controls except tab and line feed, DEL, C1 controls; bidi embeddings and
// overrides (U+202A–U+202E) and isolates (U+2066–U+2069), which reorder the rest
// of a line ("Alice senoJ loraC", a fake "pdf.exe"). Carriage return, vertical tab,
// form feed and NEL are whitespace, so they become a space instead of vanishing.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const HAS_UNSAFE = new RegExp(UNSAFE.source);
// eslint-disable-next-line no-control-regex -- see UNSAFE
const WHITESPACE_CONTROL = /[\u000b\u000c\u000d\u0085]/;

/**
 * Removes control characters other than tab and line feed (carriage return,
 * vertical tab, form feed and NEL become a space) and the bidi embedding,
 * override and isolate characters. Returns `text` itself when it is clean.
 */
export function stripUnsafeCharacters(text: string): string {
	if (!HAS_UNSAFE.test(text)) return text;
	return text
		.replace(/\r\n/g, '\n')
		.replace(UNSAFE, (c) => (WHITESPACE_CONTROL.test(c) ? ' ' : ''));
}

/** True when `text` holds a bidi embedding, override or isolate character. */
export function hasBidiControls(text: string): boolean {
	return /[\u202a-\u202e\u2066-\u2069]/.test(text);
}

function cleanOrNull(text: string | null): string | null {
	if (text === null) return null;
	return stripUnsafeCharacters(text).trim() || null;
}

function cleanList(list: string[]): string[] {
	return list.map((item) => stripUnsafeCharacters(item).trim()).filter(Boolean);
}

/** True when `text` has at least `count` dollar signs (each span needs two). */
function hasDollars(text: string, count: number): boolean {
	let at = -1;
	for (let found = 0; found < count; found += 1) {
		at = text.indexOf('$', at + 1);
		if (at < 0) return false;
	}
	return true;
}

function mathBoundProblem(field: string, text: string | null): string | null {
	// The import runs this on every abstract: most have far too few dollars to matter.
	if (text === null || !hasDollars(text, 2 * (MAX_MATH_SPANS_PER_FIELD + 1))) return null;
	const spans = countMathSpans(text, MAX_MATH_SPANS_PER_FIELD + 1);
	return spans > MAX_MATH_SPANS_PER_FIELD
		? `${field} has more than ${MAX_MATH_SPANS_PER_FIELD} math spans`
		: null;
}

function lengthProblem(field: string, text: string, max: number): string | null {
	return text.length > max
		? `${field} is ${text.length.toLocaleString('en')} characters (limit ${max.toLocaleString('en')})`
		: null;
}

function boundsProblem(title: string, abstract: string, aiSummary: string | null): string | null {
	return (
		lengthProblem('title', title, MAX_TITLE_LENGTH) ??
		lengthProblem('abstract', abstract, MAX_ABSTRACT_LENGTH) ??
		lengthProblem('AI summary', aiSummary ?? '', MAX_ABSTRACT_LENGTH) ??
		mathBoundProblem('title', title) ??
		mathBoundProblem('abstract', abstract) ??
		mathBoundProblem('AI summary', aiSummary)
	);
}

const TEXT_FIELDS = [
	'title',
	'abstract',
	'aiSummary',
	'doi',
	'journalRef',
	'comment',
	'reportNo',
	'license',
	'submitter',
	'authorsText'
] as const;
const LIST_FIELDS = ['authors', 'categories', 'aiKeywords'] as const;

function hasUnsafeText(paper: PaperRecord): boolean {
	for (const field of TEXT_FIELDS) {
		const value = paper[field];
		if (value !== null && HAS_UNSAFE.test(value)) return true;
	}
	return LIST_FIELDS.some((field) => paper[field].some((item) => HAS_UNSAFE.test(item)));
}

/**
 * The last step of every importer's normalization: the record with unsafe
 * characters removed from every text field, or the reason it is refused (a
 * title or abstract too long, too many math spans in a field, a title left
 * empty). Importers report the reason as an `ImportProblem` and skip the record.
 */
export function securePaperRecord(paper: PaperRecord): PaperRecord | string {
	// The snapshot import runs this 2.7 million times: clean records are only measured.
	if (!hasUnsafeText(paper))
		return boundsProblem(paper.title, paper.abstract, paper.aiSummary) ?? paper;
	const title = stripUnsafeCharacters(paper.title).trim();
	if (!title) return 'empty title once control characters are removed';
	const abstract = stripUnsafeCharacters(paper.abstract).trim();
	const aiSummary = cleanOrNull(paper.aiSummary);
	const problem = boundsProblem(title, abstract, aiSummary);
	if (problem) return problem;
	return {
		...paper,
		title,
		abstract,
		authors: cleanList(paper.authors),
		categories: cleanList(paper.categories),
		aiSummary,
		aiKeywords: cleanList(paper.aiKeywords),
		doi: cleanOrNull(paper.doi),
		journalRef: cleanOrNull(paper.journalRef),
		comment: cleanOrNull(paper.comment),
		reportNo: cleanOrNull(paper.reportNo),
		license: cleanOrNull(paper.license),
		submitter: cleanOrNull(paper.submitter),
		authorsText: cleanOrNull(paper.authorsText)
	};
}
