/**
 * How a newly imported record combines with what the store already holds.
 * Pure rules, shared by every importer, so that re-imports are idempotent and
 * an older version never replaces a newer one.
 */
import type { PaperRecord } from './paper';

const BIBLIOGRAPHIC = [
	'version',
	'title',
	'abstract',
	'authors',
	'categories',
	'publishedAt',
	'updatedAt',
	'pdfUrl',
	'doi',
	'journalRef',
	'comment',
	'reportNo',
	'license',
	'submitter',
	'authorsText'
] as const satisfies readonly (keyof PaperRecord)[];

/** Whether `incoming` may replace the bibliographic fields of `existing`. */
function supersedes(incoming: PaperRecord, existing: PaperRecord): boolean {
	if (incoming.version === null) return existing.version === null;
	if (existing.version === null) return true;
	return incoming.version >= existing.version;
}

function maxOf(a: number | null, b: number | null): number | null {
	if (a === null) return b;
	if (b === null) return a;
	return Math.max(a, b);
}

/**
 * Merges an incoming record into the stored one. Bibliographic fields follow the
 * newest version (an unversioned source never overrides a versioned one);
 * enrichments (code, summary, project page) take new non-empty values and are
 * never erased by a source that lacks them; imported counts only rise, because
 * sources report snapshots taken at different times.
 */
export function mergePaper(existing: PaperRecord | undefined, incoming: PaperRecord): PaperRecord {
	if (!existing) return incoming;
	const base: PaperRecord = { ...existing };
	if (supersedes(incoming, existing)) {
		for (const key of BIBLIOGRAPHIC) {
			(base as unknown as Record<string, unknown>)[key] = incoming[key];
		}
		// A versioned source without a PDF link or categories should not erase known ones.
		base.pdfUrl = incoming.pdfUrl ?? existing.pdfUrl;
		if (incoming.categories.length === 0) base.categories = existing.categories;
		base.doi = incoming.doi ?? existing.doi;
		base.journalRef = incoming.journalRef ?? existing.journalRef;
		base.comment = incoming.comment ?? existing.comment;
		base.reportNo = incoming.reportNo ?? existing.reportNo;
		base.license = incoming.license ?? existing.license;
		base.submitter = incoming.submitter ?? existing.submitter;
		base.authorsText = incoming.authorsText ?? existing.authorsText;
	}
	// The newer observation's values win; the older one only fills gaps. This keeps
	// re-imports of overlapping snapshots order-independent (so they change nothing).
	const newer =
		incoming.observedAt !== null &&
		(existing.observedAt === null || incoming.observedAt >= existing.observedAt);
	const pick = <T>(fresh: T | null, old: T | null): T | null =>
		newer ? (fresh ?? old) : (old ?? fresh);
	base.codeUrl = pick(incoming.codeUrl, existing.codeUrl);
	base.codeStars = maxOf(existing.codeStars, incoming.codeStars);
	base.projectPage = pick(incoming.projectPage, existing.projectPage);
	base.aiSummary = pick(incoming.aiSummary, existing.aiSummary);
	base.aiKeywords =
		pick(
			incoming.aiKeywords.length > 0 ? incoming.aiKeywords : null,
			existing.aiKeywords.length > 0 ? existing.aiKeywords : null
		) ?? [];
	base.observedAt = newer ? incoming.observedAt : existing.observedAt;
	base.sourceUpvotes = maxOf(existing.sourceUpvotes, incoming.sourceUpvotes);
	base.numComments = maxOf(existing.numComments, incoming.numComments);
	return base;
}

/** True when two records would be stored identically (so no write and no `seq` bump). */
export function samePaper(a: PaperRecord, b: PaperRecord): boolean {
	return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(p: PaperRecord): unknown[] {
	return [
		p.id,
		p.version,
		p.title,
		p.abstract,
		p.authors,
		p.categories,
		p.publishedAt,
		p.updatedAt,
		p.pdfUrl,
		p.codeUrl,
		p.codeStars,
		p.projectPage,
		p.aiSummary,
		p.aiKeywords,
		p.doi,
		p.journalRef,
		p.comment,
		p.reportNo,
		p.license,
		p.submitter,
		p.authorsText,
		p.sourceUpvotes ?? 0,
		p.numComments ?? 0,
		p.observedAt
	];
}
