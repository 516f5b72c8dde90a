/**
 * Hugging Face daily-papers JSON (the `/api/daily_papers` response shape):
 * parse → validate → normalize into paper records and daily picks.
 *
 * Archived responses come in three shapes: a JSON array of entries (the API's
 * own), an array of strings holding Python `repr` dicts (an archiving artifact),
 * and either of those wrapped as `{status, date, count, data}`. All are read.
 */
import { z } from 'zod';
import { parseArxivId } from '$lib/core/arxiv-id';
import { collapseWhitespace, type DailyPickRecord, type PaperRecord } from '$lib/core/paper';
import { securePaperRecord, stripUnsafeCharacters } from '$lib/core/paper-safety';
import { parsePythonLiteral, PythonLiteralError } from '$lib/core/python-literal';
import { safeHttpUrl } from '$lib/core/url';
import type { ImportProblem } from './import-report';

const person = z.looseObject({
	fullname: z.string().nullish(),
	name: z.string().nullish(),
	user: z.string().nullish()
});

const hfPaper = z.looseObject({
	id: z.string({ error: 'paper.id is missing' }),
	title: z.string({ error: 'paper.title is missing' }),
	summary: z.string().nullish(),
	authors: z.array(z.looseObject({ name: z.string() })).default([]),
	publishedAt: z.string({ error: 'paper.publishedAt is missing' }),
	submittedOnDailyAt: z.string().nullish(),
	submittedOnDailyBy: person.nullish(),
	upvotes: z.number().int().nonnegative().nullish(),
	ai_summary: z.string().nullish(),
	ai_keywords: z.array(z.string()).nullish(),
	githubRepo: z.string().nullish(),
	githubStars: z.number().int().nonnegative().nullish(),
	projectPage: z.string().nullish()
});

const hfEntry = z.looseObject({
	paper: hfPaper,
	publishedAt: z.string().nullish(),
	numComments: z.number().int().nonnegative().nullish(),
	submittedBy: person.nullish()
});

type HfEntry = z.infer<typeof hfEntry>;

export interface HfParseResult {
	papers: PaperRecord[];
	picks: DailyPickRecord[];
	problems: ImportProblem[];
	/** Entries found, valid or not. */
	records: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A valid calendar day `YYYY-MM-DD`, or null. */
export function asDay(text: string | null | undefined): string | null {
	if (!text || !DAY.test(text)) return null;
	const date = new Date(`${text}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text) ? text : null;
}

function isoTimestamp(text: string | null | undefined): string | null {
	if (!text) return null;
	const date = new Date(text);
	if (Number.isNaN(date.getTime())) return null;
	const year = date.getUTCFullYear();
	// arXiv opened in 1991; a year outside this window is a corrupt record, not a paper.
	return year >= 1986 && year <= 2200 ? date.toISOString() : null;
}

function personName(p: z.infer<typeof person> | null | undefined): string | null {
	const name = p?.fullname?.trim() || p?.name?.trim() || p?.user?.trim() || null;
	return name === null ? null : stripUnsafeCharacters(name).trim() || null;
}

/** Unwraps the archive shapes into a list of raw entries. */
function entriesOf(document: unknown): unknown[] | null {
	if (Array.isArray(document)) return document;
	if (document && typeof document === 'object' && 'data' in document) {
		const data = (document as { data: unknown }).data;
		if (Array.isArray(data)) return data;
	}
	return null;
}

function normalize(
	entry: HfEntry,
	day: string | null
): { paper: PaperRecord; pick: DailyPickRecord } | string {
	const p = entry.paper;
	const id = parseArxivId(p.id);
	if (!id) return `invalid arXiv id ${JSON.stringify(p.id.slice(0, 40))}`;
	const title = collapseWhitespace(p.title);
	if (!title) return 'empty title';
	const publishedAt = isoTimestamp(p.publishedAt);
	if (!publishedAt)
		return `bad date paper.publishedAt ${JSON.stringify(p.publishedAt.slice(0, 40))}`;
	const submittedAt =
		isoTimestamp(p.submittedOnDailyAt) ?? isoTimestamp(entry.publishedAt) ?? publishedAt;
	const pickDay = day ?? submittedAt.slice(0, 10);
	const paper: PaperRecord = {
		id: id.id,
		version: id.version,
		title,
		abstract: collapseWhitespace(p.summary ?? ''),
		authors: p.authors.map((a) => collapseWhitespace(a.name)).filter(Boolean),
		categories: [],
		publishedAt,
		updatedAt: publishedAt,
		pdfUrl: null,
		codeUrl: safeHttpUrl(p.githubRepo),
		codeStars: p.githubStars ?? null,
		projectPage: safeHttpUrl(p.projectPage),
		aiSummary: p.ai_summary ? collapseWhitespace(p.ai_summary) : null,
		aiKeywords: (p.ai_keywords ?? []).map(collapseWhitespace).filter(Boolean),
		doi: null,
		journalRef: null,
		comment: null,
		reportNo: null,
		license: null,
		submitter: null,
		authorsText: null,
		sourceUpvotes: p.upvotes ?? null,
		numComments: entry.numComments ?? null,
		observedAt: submittedAt
	};
	const secured = securePaperRecord(paper);
	if (typeof secured === 'string') return secured;
	const pick: DailyPickRecord = {
		paperId: id.id,
		date: pickDay,
		submittedBy: personName(p.submittedOnDailyBy) ?? personName(entry.submittedBy) ?? 'hf-import',
		submittedAt,
		source: 'hf'
	};
	return { paper: secured, pick };
}

/**
 * Parses one daily-papers document. `day` is the day the list was published
 * for (from the file name or the `date` query parameter); without it each
 * entry's `submittedOnDailyAt` day is used. Invalid entries are reported, not thrown.
 */
export function parseHfDaily(text: string, source: string, day: string | null): HfParseResult {
	const result: HfParseResult = { papers: [], picks: [], problems: [], records: 0 };
	let document: unknown;
	try {
		document = JSON.parse(text);
	} catch (error) {
		result.problems.push({ source, record: null, id: null, reason: `not JSON: ${String(error)}` });
		return result;
	}
	const entries = entriesOf(document);
	if (!entries) {
		result.problems.push({
			source,
			record: null,
			id: null,
			reason: 'not a daily-papers response (expected an array of entries or {data: [...]})'
		});
		return result;
	}
	result.records = entries.length;
	entries.forEach((raw, index) => {
		let value = raw;
		if (typeof raw === 'string') {
			try {
				value = parsePythonLiteral(raw);
			} catch (error) {
				const reason =
					error instanceof PythonLiteralError
						? error.message
						: `unreadable entry: ${String(error)}`;
				result.problems.push({
					source,
					record: index,
					id: null,
					reason: `Python repr entry: ${reason}`
				});
				return;
			}
		}
		const parsed = hfEntry.safeParse(value);
		if (!parsed.success) {
			const rawId = (value as { paper?: { id?: unknown } } | null)?.paper?.id;
			result.problems.push({
				source,
				record: index,
				id: typeof rawId === 'string' ? rawId : null,
				reason: parsed.error.issues
					.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
					.join('; ')
			});
			return;
		}
		const normalized = normalize(parsed.data, day);
		if (typeof normalized === 'string') {
			result.problems.push({ source, record: index, id: parsed.data.paper.id, reason: normalized });
			return;
		}
		result.papers.push(normalized.paper);
		result.picks.push(normalized.pick);
	});
	return result;
}
