/**
 * One record of arXiv's metadata snapshot (the JSON-lines file published on
 * Kaggle: id, submitter, authors, title, comments, journal-ref, doi, report-no,
 * categories, license, abstract, versions, update_date, authors_parsed) turned
 * into a `PaperRecord`, or the reason it cannot be.
 */
import { parseArxivId } from '$lib/core/arxiv-id';
import { authorsFromParsed, parseAuthorList } from '$lib/core/arxiv-authors';
import { parseCategories } from '$lib/core/arxiv-categories';
import { normalizeLicense } from '$lib/core/arxiv-license';
import { collapseWhitespace, noEnrichments, type PaperRecord } from '$lib/core/paper';
import { securePaperRecord } from '$lib/core/paper-safety';
import {
	isoFromRfc2822,
	MAX_ABSTRACT,
	MAX_BYLINE,
	MAX_FIELD,
	MAX_TITLE,
	tooLong
} from './arxiv-fields';

type Json = Record<string, unknown>;

function text(record: Json, key: string): string | null {
	const value = record[key];
	if (typeof value !== 'string') return null;
	const clean = collapseWhitespace(value);
	return clean.length > 0 ? clean : null;
}

interface VersionDates {
	latest: number;
	firstAt: string;
	latestAt: string;
}

/** The latest version and the dates of the first and latest, from `versions`. */
function versionDates(versions: unknown): VersionDates | string {
	if (!Array.isArray(versions) || versions.length === 0) return 'no versions';
	let first: { n: number; at: string } | null = null;
	let latest: { n: number; at: string } | null = null;
	for (const entry of versions) {
		const label = (entry as Json | null)?.version;
		const n = typeof label === 'string' && /^v\d{1,4}$/.test(label) ? Number(label.slice(1)) : NaN;
		const at = isoFromRfc2822((entry as Json | null)?.created);
		if (!Number.isInteger(n) || n < 1 || at === null) {
			return `bad version entry ${JSON.stringify(entry).slice(0, 80)}`;
		}
		if (!first || n < first.n) first = { n, at };
		if (!latest || n > latest.n) latest = { n, at };
	}
	return { latest: latest!.n, firstAt: first!.at, latestAt: latest!.at };
}

/**
 * Validates and normalizes one parsed snapshot line. The title and abstract keep
 * their LaTeX (pages render it); whitespace from arXiv's 80-column wrapping is
 * collapsed. Authors come from `authors_parsed` when it is well formed, else from
 * the byline, which is kept as written in `authorsText`.
 */
export function parseSnapshotRecord(value: unknown): PaperRecord | string {
	const paper = normalizeSnapshotRecord(value);
	return typeof paper === 'string' ? paper : securePaperRecord(paper);
}

function normalizeSnapshotRecord(value: unknown): PaperRecord | string {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return 'not a JSON object';
	}
	const record = value as Json;
	if (typeof record.id !== 'string' || record.id.trim() === '') return 'missing id';
	const id = parseArxivId(record.id.trim());
	if (!id || id.version !== null)
		return `invalid arXiv id ${JSON.stringify(record.id.slice(0, 80))}`;

	const title = text(record, 'title');
	if (!title) return 'missing title';
	if (title.length > MAX_TITLE) return tooLong('title', title, MAX_TITLE);
	const abstract = text(record, 'abstract') ?? '';
	if (abstract.length > MAX_ABSTRACT) return tooLong('abstract', abstract, MAX_ABSTRACT);

	const versions = versionDates(record.versions);
	if (typeof versions === 'string') return versions;

	const byline = text(record, 'authors');
	if (byline && byline.length > MAX_BYLINE) return tooLong('authors', byline, MAX_BYLINE);
	const authors =
		authorsFromParsed(record.authors_parsed) ?? (byline ? parseAuthorList(byline) : []);

	const optional = (key: string) => {
		const found = text(record, key);
		return found && found.length <= MAX_FIELD ? found : null;
	};
	return {
		id: id.id,
		version: versions.latest,
		title,
		abstract,
		authors,
		categories: parseCategories(typeof record.categories === 'string' ? record.categories : ''),
		publishedAt: versions.firstAt,
		updatedAt: versions.latestAt,
		...noEnrichments(),
		doi: optional('doi'),
		journalRef: optional('journal-ref'),
		comment: optional('comments'),
		reportNo: optional('report-no'),
		license: normalizeLicense(typeof record.license === 'string' ? record.license : null),
		submitter: optional('submitter'),
		authorsText: byline
	};
}

/** Parses one line of the snapshot: JSON first, then the record rules. */
export function parseSnapshotLine(line: string): PaperRecord | string {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch (error) {
		return `not JSON (${(error as Error).message.slice(0, 80)})`;
	}
	return parseSnapshotRecord(value);
}
