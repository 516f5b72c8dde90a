/**
 * arXiv API Atom feeds (`export.arxiv.org/api/query`): parse → validate →
 * normalize into paper records. Pure: no I/O.
 *
 * Both feed generations are read: the current one (namespace prefixes declared on
 * <feed>, `https://arxiv.org/api/errors#…` error ids) and the pre-2020 one
 * (prefixes declared on each element, `<title type="html">`, `http://` links).
 * Entries that cannot become a paper are reported in `skipped`, never thrown.
 */
import { XMLValidator } from 'fast-xml-parser';
import { safeHttpUrl } from '$lib/core/url';
import { extractArxivId } from '$lib/core/arxiv-id';
import { collapseWhitespace, noEnrichments, type PaperRecord } from '$lib/core/paper';
import { securePaperRecord } from '$lib/core/paper-safety';
import { arxivXmlParser, attrOf, isNode, listOf, optionalText, textOf, type XmlNode } from './xml';

/** The papers of one feed, the entries that were not papers, and the OpenSearch paging. */
export interface AtomParseResult {
	papers: PaperRecord[];
	/** Entries left out: position among the feed's entries, raw id when present, and why. */
	skipped: { index: number; id: string | null; reason: string }[];
	/** `opensearch:totalResults`: all matches of the query, not just this page. */
	totalResults: number | null;
	startIndex: number | null;
	itemsPerPage: number | null;
}

/**
 * The response is not a feed of papers: an arXiv error feed (its one entry has an
 * `…/api/errors#…` id and the message as summary), or not well-formed Atom at all.
 */
export class ArxivApiError extends Error {
	/** The error entry's id (e.g. `https://arxiv.org/api/errors#incorrect_id_format_for_abc`). */
	readonly errorId: string | null;

	constructor(message: string, options: { errorId?: string | null; cause?: unknown } = {}) {
		super(message, options.cause === undefined ? undefined : { cause: options.cause });
		this.name = 'ArxivApiError';
		this.errorId = options.errorId ?? null;
	}
}

const parser = arxivXmlParser(['entry', 'author', 'category', 'link', 'affiliation']);

function integerOf(value: unknown): number | null {
	const text = textOf(value)?.trim();
	if (!text || !/^\d+$/.test(text)) return null;
	return Number(text);
}

// RFC 3339 as arXiv writes it: `2021-04-20T16:07:14Z`, older feeds `…-04:00`.
const TIMESTAMP =
	/^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** An ISO 8601 UTC timestamp, or null when the text is not a real date arXiv could have. */
function isoTimestamp(text: string | null): string | null {
	if (!text) return null;
	const trimmed = text.trim();
	const match = TIMESTAMP.exec(trimmed);
	if (!match) return null;
	const [, year, month, day] = match.map(Number);
	// `new Date` silently rolls 2021-02-30 over into March; a corrupt date is not a paper date.
	const calendar = new Date(Date.UTC(year, month - 1, day));
	if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return null;
	const date = new Date(trimmed);
	if (Number.isNaN(date.getTime())) return null;
	// arXiv opened in 1991; a year outside this window is a corrupt record (same rule as HF).
	const utcYear = date.getUTCFullYear();
	return utcYear >= 1986 && utcYear <= 2200 ? date.toISOString() : null;
}

const ERROR_ID = /^https?:\/\/(?:export\.)?arxiv\.org\/api\/errors/i;

function pdfLink(links: unknown[]): string | null {
	const pdf =
		links.find((link) => attrOf(link, 'title') === 'pdf') ??
		links.find((link) => attrOf(link, 'type') === 'application/pdf');
	return safeHttpUrl(attrOf(pdf, 'href'));
}

function categoriesOf(entry: XmlNode): string[] {
	const terms = [
		attrOf(entry.primary_category, 'term'),
		...listOf(entry.category).map((category) => attrOf(category, 'term'))
	];
	const seen = new Set<string>();
	for (const term of terms) {
		const trimmed = term?.trim();
		if (trimmed) seen.add(trimmed);
	}
	return [...seen];
}

/** One entry → a paper, or the reason it is not one. */
function normalizeEntry(entry: XmlNode, rawId: string | null): PaperRecord | string {
	const paper = entryPaper(entry, rawId);
	return typeof paper === 'string' ? paper : securePaperRecord(paper);
}

function entryPaper(entry: XmlNode, rawId: string | null): PaperRecord | string {
	if (!rawId) return 'missing <id>';
	const parsedId = extractArxivId(rawId);
	if (!parsedId) return `invalid arXiv id ${JSON.stringify(rawId.slice(0, 80))}`;
	const title = collapseWhitespace(textOf(entry.title) ?? '');
	if (!title) return 'empty title';
	const publishedText = textOf(entry.published);
	if (publishedText === null) return 'missing <published>';
	const publishedAt = isoTimestamp(publishedText);
	if (!publishedAt) return `bad date <published> ${JSON.stringify(publishedText.slice(0, 40))}`;
	const updatedText = textOf(entry.updated);
	// A version-1-only record may lack <updated>; it then equals the first version's date.
	const updatedAt = updatedText === null ? publishedAt : isoTimestamp(updatedText);
	if (!updatedAt) return `bad date <updated> ${JSON.stringify(updatedText?.slice(0, 40))}`;
	return {
		id: parsedId.id,
		version: parsedId.version,
		title,
		abstract: collapseWhitespace(textOf(entry.summary) ?? ''),
		authors: listOf(entry.author)
			.map((author) => optionalText(isNode(author) ? author.name : author))
			.filter((name): name is string => name !== null),
		categories: categoriesOf(entry),
		publishedAt,
		updatedAt,
		...noEnrichments(),
		pdfUrl: pdfLink(listOf(entry.link)),
		doi: optionalText(entry.doi),
		journalRef: optionalText(entry.journal_ref),
		comment: optionalText(entry.comment),
		reportNo: null,
		license: null,
		submitter: null,
		authorsText: null
	};
}

/**
 * Parses one arXiv API response body. Throws ArxivApiError when the body is an
 * arXiv error feed or not a well-formed Atom feed; otherwise every <entry> ends up
 * in `papers` or, with the reason, in `skipped`.
 */
export function parseArxivAtom(xml: string): AtomParseResult {
	// The parser tolerates unclosed tags, so a truncated body would silently lose its
	// tail; validating first turns that into an error the caller can see.
	const valid = XMLValidator.validate(xml);
	if (valid !== true) {
		const { msg, line, col } = valid.err;
		throw new ArxivApiError(
			`arXiv response is not well-formed XML (truncated?): ${msg} at line ${line}, column ${col}`
		);
	}
	let document: unknown;
	try {
		document = parser.parse(xml);
	} catch (error) {
		throw new ArxivApiError(`arXiv response could not be parsed as XML: ${String(error)}`, {
			cause: error
		});
	}
	const feed = isNode(document) ? document.feed : undefined;
	if (!isNode(feed)) {
		const root = isNode(document) ? Object.keys(document).find((k) => !k.startsWith('?')) : null;
		throw new ArxivApiError(
			`arXiv response is not an Atom feed (root element ${root ? `<${root}>` : 'missing'})`
		);
	}
	const entries = listOf(feed.entry);
	for (const entry of entries) {
		const id = isNode(entry) ? textOf(entry.id)?.trim() : undefined;
		if (id && ERROR_ID.test(id)) {
			const summary = isNode(entry) ? optionalText(entry.summary) : null;
			throw new ArxivApiError(`arXiv API error: ${summary ?? id}`, { errorId: id });
		}
	}
	const result: AtomParseResult = {
		papers: [],
		skipped: [],
		totalResults: integerOf(feed.totalResults),
		startIndex: integerOf(feed.startIndex),
		itemsPerPage: integerOf(feed.itemsPerPage)
	};
	entries.forEach((entry, index) => {
		if (!isNode(entry)) {
			result.skipped.push({ index, id: null, reason: 'empty <entry>' });
			return;
		}
		const rawId = optionalText(entry.id);
		const paper = normalizeEntry(entry, rawId);
		if (typeof paper === 'string') result.skipped.push({ index, id: rawId, reason: paper });
		else result.papers.push(paper);
	});
	return result;
}
