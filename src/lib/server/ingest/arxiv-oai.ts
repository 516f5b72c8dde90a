/**
 * arXiv OAI-PMH 2.0 responses (`ListRecords`, `GetRecord`) to paper records.
 * Pure: no I/O. Two metadata formats are read:
 *
 * - `arXivRaw` (the default): every version with its date, the byline as one
 *   string, the submitter. The latest version number, the first version's date
 *   (published) and the latest's (updated) follow from it, as in the snapshot.
 * - `arXiv`: authors split into keyname / forenames / suffix, but only the
 *   created and updated days and no version numbers, so its records carry
 *   `version: null`: they add papers the store lacks and never override the
 *   bibliography of a versioned record (see core/paper-merge.ts).
 *
 * Titles and abstracts keep their LaTeX (pages render it), with arXiv's
 * 80-column wrapping collapsed; records that cannot become papers are reported
 * with their identifier and the reason, never thrown.
 */
import { XMLValidator } from 'fast-xml-parser';
import { authorsFromOaiParts, parseAuthorList, type OaiAuthorParts } from '$lib/core/arxiv-authors';
import { parseCategories } from '$lib/core/arxiv-categories';
import { parseArxivId, parseOaiIdentifier } from '$lib/core/arxiv-id';
import { normalizeLicense } from '$lib/core/arxiv-license';
import { noEnrichments, type PaperRecord } from '$lib/core/paper';
import { securePaperRecord } from '$lib/core/paper-safety';
import {
	isoFromRfc2822,
	MAX_ABSTRACT,
	MAX_BYLINE,
	MAX_FIELD,
	MAX_TITLE,
	tooLong
} from './arxiv-fields';
import { arxivXmlParser, attrOf, isNode, listOf, optionalText, textOf, type XmlNode } from './xml';

export const OAI_METADATA_PREFIXES = ['arXivRaw', 'arXiv'] as const;
export type OaiMetadataPrefix = (typeof OAI_METADATA_PREFIXES)[number];

/** Where a list continues: the token to ask with (null on the last page) and the paging. */
export interface OaiResumption {
	/** Null when the element is empty: the list is complete. */
	token: string | null;
	cursor: number | null;
	completeListSize: number | null;
	expirationDate: string | null;
}

/** A record arXiv reports as withdrawn from the repository (`<header status="deleted">`). */
export interface OaiDeletedRecord {
	identifier: string;
	datestamp: string | null;
}

/** A record that could not become a paper: its position in the response, identifier, why. */
export interface OaiSkippedRecord {
	index: number;
	identifier: string | null;
	reason: string;
}

/** One OAI-PMH response, read. */
export interface OaiPage {
	papers: PaperRecord[];
	deleted: OaiDeletedRecord[];
	skipped: OaiSkippedRecord[];
	/** `<record>` elements in the response (papers + deleted + skipped). */
	records: number;
	/** The latest header datestamp (`YYYY-MM-DD`) of any record, null when there is none. */
	maxDatestamp: string | null;
	/** Null for GetRecord, for an empty list and for a list that fits one response. */
	resumption: OaiResumption | null;
	responseDate: string | null;
	/**
	 * arXiv's words when it answered `noRecordsMatch` (nothing in the range: an empty,
	 * finished list), else null. Kept because arXiv gives the same code for a set that
	 * does not exist ("Set argument doesn't match any sets"), which an operator must see.
	 */
	noRecordsMatch: string | null;
}

/** The repository answered with an OAI-PMH error (`<error code="…">`) other than noRecordsMatch. */
export class OaiPmhError extends Error {
	constructor(
		/** `badResumptionToken`, `badArgument`, `cannotDisseminateFormat`, … */
		readonly code: string,
		message: string
	) {
		super(message);
		this.name = 'OaiPmhError';
	}
}

/** The body is not a complete OAI-PMH response (truncated, not XML, some other document). */
export class OaiMalformedResponseError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'OaiMalformedResponseError';
	}
}

const OAI_ERROR_HELP: Record<string, string> = {
	badResumptionToken:
		'the resumption token is invalid or expired (arXiv keeps them for a limited time); ' +
		'start again from a date',
	badArgument: 'the request had an illegal or missing argument (check the set and the dates)',
	cannotDisseminateFormat: 'arXiv does not offer this metadata format (use arXivRaw or arXiv)',
	noSetHierarchy: 'the repository does not support sets',
	badVerb: 'the verb is not an OAI-PMH verb'
};

/** Longer fields are damage, not data (the same limits as the snapshot import). */

const parser = arxivXmlParser(['record', 'author', 'version', 'setSpec', 'error']);

function integerOf(text: string | null): number | null {
	return text !== null && /^\d+$/.test(text.trim()) ? Number(text.trim()) : null;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` when the text is a real calendar day arXiv could have, else null. */
export function oaiDay(text: string | null): string | null {
	const trimmed = text?.trim() ?? '';
	// OAI-PMH datestamps may carry a time (`…T12:00:00Z`); arXiv's granularity is the day.
	const day = trimmed.length > 10 && trimmed[10] === 'T' ? trimmed.slice(0, 10) : trimmed;
	const match = DAY.exec(day);
	if (!match) return null;
	const [year, month, date] = match.slice(1).map(Number);
	const calendar = new Date(Date.UTC(year, month - 1, date));
	if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== date) return null;
	return year >= 1986 && year <= 2200 ? day : null;
}

/** The fields both formats share, or the reason the record is not a paper. */
function commonFields(
	meta: XmlNode,
	headerId: string
):
	| Pick<
			PaperRecord,
			| 'id'
			| 'title'
			| 'abstract'
			| 'categories'
			| 'doi'
			| 'journalRef'
			| 'comment'
			| 'reportNo'
			| 'license'
	  >
	| string {
	const metaIdText = optionalText(meta.id);
	if (metaIdText !== null) {
		const metaId = parseArxivId(metaIdText);
		if (!metaId || metaId.version !== null) {
			return `invalid arXiv id ${JSON.stringify(metaIdText.slice(0, 80))} in <id>`;
		}
		if (metaId.id !== headerId) {
			return `<id> ${metaId.id} does not match the header identifier`;
		}
	}
	const title = optionalText(meta.title);
	if (!title) return 'missing <title>';
	if (title.length > MAX_TITLE) return tooLong('title', title, MAX_TITLE);
	const abstract = optionalText(meta.abstract) ?? '';
	if (abstract.length > MAX_ABSTRACT) return tooLong('abstract', abstract, MAX_ABSTRACT);
	const optional = (value: unknown) => {
		const text = optionalText(value);
		return text && text.length <= MAX_FIELD ? text : null;
	};
	return {
		id: headerId,
		title,
		abstract,
		categories: parseCategories(textOf(meta.categories) ?? ''),
		doi: optional(meta.doi),
		journalRef: optional(meta['journal-ref']),
		comment: optional(meta.comments),
		reportNo: optional(meta['report-no']),
		license: normalizeLicense(textOf(meta.license))
	};
}

/** An `arXivRaw` record: versions with dates, the byline as written, the submitter. */
function rawPaper(meta: XmlNode, headerId: string): PaperRecord | string {
	const common = commonFields(meta, headerId);
	if (typeof common === 'string') return common;
	let first: { n: number; at: string } | null = null;
	let latest: { n: number; at: string } | null = null;
	const versions = listOf(meta.version);
	if (versions.length === 0) return 'no <version>';
	for (const version of versions) {
		const label = attrOf(version, 'version') ?? '';
		const n = /^v\d{1,4}$/.test(label) ? Number(label.slice(1)) : NaN;
		const dateText = isNode(version) ? textOf(version.date) : null;
		const at = isoFromRfc2822(dateText);
		if (!Number.isInteger(n) || n < 1) {
			return `bad version label ${JSON.stringify(label.slice(0, 20))}`;
		}
		if (!at) return `bad date for v${n}: ${JSON.stringify((dateText ?? '').slice(0, 40))}`;
		if (!first || n < first.n) first = { n, at };
		if (!latest || n > latest.n) latest = { n, at };
	}
	const byline = optionalText(meta.authors);
	if (byline && byline.length > MAX_BYLINE) return tooLong('authors', byline, MAX_BYLINE);
	const submitter = optionalText(meta.submitter);
	return {
		...common,
		...noEnrichments(),
		aiKeywords: [],
		version: latest!.n,
		authors: byline ? parseAuthorList(byline) : [],
		authorsText: byline,
		submitter: submitter && submitter.length <= MAX_FIELD ? submitter : null,
		publishedAt: first!.at,
		updatedAt: latest!.at
	};
}

/** An `arXiv` record: authors in parts, created / updated days, no version numbers. */
function arxivPaper(meta: XmlNode, headerId: string): PaperRecord | string {
	const common = commonFields(meta, headerId);
	if (typeof common === 'string') return common;
	const createdText = textOf(meta.created);
	const created = oaiDay(createdText);
	if (!created)
		return `bad or missing <created> ${JSON.stringify((createdText ?? '').slice(0, 40))}`;
	const updatedText = textOf(meta.updated);
	const updated = updatedText === null ? created : oaiDay(updatedText);
	if (!updated) return `bad <updated> ${JSON.stringify(updatedText!.slice(0, 40))}`;
	const parts: OaiAuthorParts[] = [];
	for (const author of listOf(isNode(meta.authors) ? meta.authors.author : undefined)) {
		const keyname = isNode(author) ? textOf(author.keyname) : null;
		if (!keyname || !isNode(author)) continue;
		parts.push({ keyname, forenames: textOf(author.forenames), suffix: textOf(author.suffix) });
	}
	return {
		...common,
		...noEnrichments(),
		aiKeywords: [],
		version: null,
		authors: authorsFromOaiParts(parts),
		authorsText: null,
		submitter: null,
		publishedAt: `${created}T00:00:00.000Z`,
		updatedAt: `${updated}T00:00:00.000Z`
	};
}

/** Reads one `<record>` into the page. */
function readRecord(record: unknown, index: number, page: OaiPage): void {
	const header = isNode(record) ? record.header : undefined;
	const identifier = optionalText(isNode(header) ? header.identifier : undefined);
	const datestamp = oaiDay(isNode(header) ? textOf(header.datestamp) : null);
	if (datestamp && (page.maxDatestamp === null || datestamp > page.maxDatestamp)) {
		page.maxDatestamp = datestamp;
	}
	const skip = (reason: string): void => {
		page.skipped.push({ index, identifier, reason });
	};
	if (!isNode(header) || !identifier) return skip('missing <header><identifier>');
	if (attrOf(header, 'status') === 'deleted') {
		page.deleted.push({ identifier, datestamp });
		return;
	}
	const parsedId = parseOaiIdentifier(identifier);
	if (!parsedId || parsedId.version !== null) {
		return skip(`not an arXiv identifier ${JSON.stringify(identifier.slice(0, 80))}`);
	}
	const metadata = isNode(record) ? record.metadata : undefined;
	let paper: PaperRecord | string;
	if (isNode(metadata) && isNode(metadata.arXivRaw))
		paper = rawPaper(metadata.arXivRaw, parsedId.id);
	else if (isNode(metadata) && isNode(metadata.arXiv))
		paper = arxivPaper(metadata.arXiv, parsedId.id);
	else paper = 'no <arXivRaw> or <arXiv> metadata';
	if (typeof paper !== 'string') paper = securePaperRecord(paper);
	if (typeof paper === 'string') skip(paper);
	else page.papers.push(paper);
}

function resumptionOf(value: unknown): OaiResumption | null {
	if (value === undefined) return null;
	const token = textOf(value)?.trim() ?? '';
	return {
		token: token === '' ? null : token,
		cursor: integerOf(attrOf(value, 'cursor')),
		completeListSize: integerOf(attrOf(value, 'completeListSize')),
		expirationDate: attrOf(value, 'expirationDate')
	};
}

/**
 * Parses one OAI-PMH response body. `noRecordsMatch` is an empty page (nothing
 * changed in the range: normal). Throws OaiPmhError for any other OAI-PMH error
 * and OaiMalformedResponseError when the body is not a complete OAI-PMH document.
 */
export function parseOaiResponse(xml: string): OaiPage {
	// The parser tolerates unclosed tags, so a truncated body would silently lose its
	// tail; validating first turns that into an error the caller can retry.
	const valid = XMLValidator.validate(xml);
	if (valid !== true) {
		const { msg, line, col } = valid.err;
		throw new OaiMalformedResponseError(
			`OAI-PMH response is not well-formed XML (truncated?): ${msg} at line ${line}, column ${col}`
		);
	}
	let document: unknown;
	try {
		document = parser.parse(xml);
	} catch (error) {
		throw new OaiMalformedResponseError(`OAI-PMH response could not be parsed: ${String(error)}`, {
			cause: error
		});
	}
	const root = isNode(document) ? document['OAI-PMH'] : undefined;
	if (!isNode(root)) {
		const name = isNode(document) ? Object.keys(document).find((k) => !k.startsWith('?')) : null;
		throw new OaiMalformedResponseError(
			`not an OAI-PMH response (root element ${name ? `<${name}>` : 'missing'})`
		);
	}
	const page: OaiPage = {
		papers: [],
		deleted: [],
		skipped: [],
		records: 0,
		maxDatestamp: null,
		resumption: null,
		responseDate: optionalText(root.responseDate),
		noRecordsMatch: null
	};
	const errors = listOf(root.error);
	if (errors.length > 0) {
		const codes = errors.map((error) => attrOf(error, 'code') ?? 'unknown');
		if (codes.every((code) => code === 'noRecordsMatch')) {
			page.noRecordsMatch = optionalText(errors[0]) ?? 'noRecordsMatch';
			return page;
		}
		const first = errors.find((error) => attrOf(error, 'code') !== 'noRecordsMatch');
		const code = attrOf(first, 'code') ?? 'unknown';
		const text = optionalText(first);
		const help = OAI_ERROR_HELP[code];
		throw new OaiPmhError(
			code,
			`OAI-PMH error ${code}${text ? `: ${text}` : ''}${help ? ` — ${help}` : ''}`
		);
	}
	const list = isNode(root.ListRecords)
		? root.ListRecords
		: isNode(root.GetRecord)
			? root.GetRecord
			: null;
	if (!list) {
		// `<ListRecords/>` parses as an empty string: an empty list, not a malformed page.
		if (root.ListRecords === '' || root.GetRecord === '') return page;
		throw new OaiMalformedResponseError('OAI-PMH response has no <ListRecords> or <GetRecord>');
	}
	const records = listOf(list.record);
	page.records = records.length;
	records.forEach((record, index) => readRecord(record, index, page));
	page.resumption = resumptionOf(list.resumptionToken);
	return page;
}
