/**
 * Imports Hugging Face daily-papers JSON from files, folders or URLs into the
 * store: `dailypapers import hf-daily <file|dir|url>...`, and the first-run seed.
 *
 * Documents are parsed one at a time and saved in transactions of a few hundred
 * papers, so memory stays flat, a crash loses at most the open transaction
 * (never half a paper), and a re-run converges to the same rows.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DailyPickRecord, PaperRecord } from '$lib/core/paper';
import type { Db } from '../db/create-db';
import { AuthorIdCache } from '../papers/paper.repository';
import { savePapers } from '../papers/paper.service';
import { asDay, parseHfDaily, type HfParseResult } from './hf-daily';
import { emptySummary, type ImportProgress, type ImportSummary } from './import-report';

export interface HfDocument {
	source: string;
	/** The day the list is for, when the file name or URL says. */
	day: string | null;
	/** The document text, or why it could not be read. */
	text: string | { error: string };
}

export interface HfImportOptions {
	progress?: ImportProgress;
	/** Papers per transaction. */
	batchSize?: number;
	fetch?: typeof fetch;
	timeoutMs?: number;
}

const BY_DATE_FILE = /^(\d{4}-\d{2}-\d{2})\.json$/;

/** Expands files, folders (their `*.json`, in name order) and URLs into sources. */
export async function listHfSources(targets: string[]): Promise<string[]> {
	const sources: string[] = [];
	for (const target of targets) {
		if (/^https?:\/\//i.test(target)) {
			sources.push(target);
			continue;
		}
		const stat = await fs.stat(target).catch(() => null);
		if (!stat) throw new Error(`${target}: no such file, folder or URL`);
		if (stat.isDirectory()) {
			const names = (await fs.readdir(target)).filter((n) => n.endsWith('.json')).sort();
			sources.push(...names.map((n) => path.join(target, n)));
		} else {
			sources.push(target);
		}
	}
	return sources;
}

/** The day a source is for: `YYYY-MM-DD.json` file names and `?date=` URLs say it. */
export function dayOfSource(source: string): string | null {
	if (/^https?:\/\//i.test(source)) {
		try {
			return asDay(new URL(source).searchParams.get('date'));
		} catch {
			return null;
		}
	}
	return asDay(BY_DATE_FILE.exec(path.basename(source))?.[1]);
}

/**
 * Reads sources in order (files from disk, URLs over HTTP), fetching the next
 * one while the caller is still busy with the current one.
 */
export async function* readHfSources(
	sources: string[],
	options: Pick<HfImportOptions, 'fetch' | 'timeoutMs'> = {}
): AsyncGenerator<HfDocument> {
	let next = sources.length > 0 ? readHfSource(sources[0], options) : null;
	for (let i = 0; i < sources.length; i += 1) {
		const current = next!;
		next = i + 1 < sources.length ? readHfSource(sources[i + 1], options) : null;
		yield await current;
	}
}

/** Reads one source: a file from disk or a URL over HTTP. */
async function readHfSource(
	source: string,
	options: Pick<HfImportOptions, 'fetch' | 'timeoutMs'>
): Promise<HfDocument> {
	const day = dayOfSource(source);
	if (!/^https?:\/\//i.test(source)) {
		try {
			return { source, day, text: await fs.readFile(source, 'utf8') };
		} catch (error) {
			return { source, day, text: { error: String(error) } };
		}
	}
	try {
		const response = await (options.fetch ?? fetch)(source, {
			headers: { accept: 'application/json', 'user-agent': 'dailypapers (self-hosted)' },
			signal: AbortSignal.timeout(options.timeoutMs ?? 20_000)
		});
		if (!response.ok) {
			return { source, day, text: { error: `HTTP ${response.status} ${response.statusText}` } };
		}
		return { source, day, text: await response.text() };
	} catch (error) {
		return { source, day, text: { error: describeFetchError(error) } };
	}
}

/** A fetch failure in one short phrase (undici hides the reason in `cause`). */
export function describeFetchError(error: unknown): string {
	if (error instanceof Error) {
		const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
		const detail = cause?.code ?? cause?.message;
		return detail ? `${error.message} (${detail})` : error.message;
	}
	return String(error);
}

/** Parses one document; a read failure becomes a parse result with one problem. */
function parseHfDocument(document: HfDocument): HfParseResult {
	if (typeof document.text === 'string') {
		return parseHfDaily(document.text, document.source, document.day);
	}
	const problem = { source: document.source, record: null, id: null, reason: document.text.error };
	return { papers: [], picks: [], problems: [problem], records: 0 };
}

/**
 * Parses and saves documents, batching papers into transactions; a document
 * never spans two. The first-run seed hands in documents it fetched itself.
 */
export async function importHfDocuments(
	db: Db,
	documents: AsyncIterable<HfDocument>,
	total: number,
	options: HfImportOptions = {}
): Promise<ImportSummary> {
	const summary = emptySummary();
	const batchSize = options.batchSize ?? 500;
	const progress = options.progress ?? {};
	let papers: PaperRecord[] = [];
	let picks: DailyPickRecord[] = [];
	const authorIds = new AuthorIdCache();

	const flush = async () => {
		if (papers.length === 0) return;
		const saved = await savePapers(db, papers, { picks, authorIds });
		summary.inserted += saved.inserted;
		summary.updated += saved.updated;
		summary.unchanged += saved.unchanged;
		summary.picksAdded += saved.picksAdded;
		papers = [];
		picks = [];
	};

	progress.start?.(total, 'files');
	for await (const document of documents) {
		const result = parseHfDocument(document);
		summary.sources += 1;
		summary.records += result.records;
		summary.skipped += result.records - result.papers.length;
		for (const problem of result.problems) {
			summary.problems.push(problem);
			progress.problem?.(problem);
		}
		papers.push(...result.papers);
		picks.push(...result.picks);
		if (papers.length >= batchSize) await flush();
		progress.advance?.(summary.sources, { records: summary.records });
	}
	await flush();
	progress.stop?.();
	return summary;
}

/**
 * Imports daily-papers JSON from files, folders and URLs. Parsing stays on this
 * thread: a parse worker measured slower on 2 cores (docs/benchmarks.md).
 */
export async function importHfDaily(
	db: Db,
	targets: string[],
	options: HfImportOptions = {}
): Promise<ImportSummary> {
	const sources = await listHfSources(targets);
	return importHfDocuments(db, readHfSources(sources, options), sources.length, options);
}
