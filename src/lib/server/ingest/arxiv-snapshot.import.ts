/**
 * `dailypapers import arxiv-snapshot <file[.gz]>`: streams arXiv's metadata
 * snapshot into the store in constant memory, a few thousand papers per
 * transaction, each transaction also recording where in the file it ends. A run
 * that stops (crash, kill -9, Ctrl-C, full disk) starts again from there; a run
 * that finishes forgets its resume point, so importing the same file again
 * re-reads it and changes nothing.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import type { PaperRecord } from '$lib/core/paper';
import { duringBulkLoad } from '../db/bulk-load';
import type { Db } from '../db/create-db';
import { AuthorIdCache } from '../papers/paper.repository';
import { savePapers } from '../papers/paper.service';
import { deleteCheckpoint, findCheckpoint } from './import-checkpoint.repository';
import {
	emptySummary,
	type ImportProblem,
	type ImportProgress,
	type ImportSummary
} from './import-report';
import type { ResumePoint } from './line-reader';
import { parseSnapshotChunks, parseSnapshotChunksInWorker } from './arxiv-snapshot.chunks';

export interface SnapshotImportOptions {
	/** Papers per transaction. */
	batchSize?: number;
	progress?: ImportProgress;
	/** Ignore a saved resume point and read the file from its first line. */
	restart?: boolean;
	maxLineBytes?: number;
	/**
	 * The bundled parse worker (arxiv-snapshot.worker.js): parse there while this
	 * thread writes. Without it, parsing runs in this thread.
	 */
	parseWorker?: URL;
}

export interface SnapshotImportSummary extends ImportSummary {
	/** The line this run started after (0 unless it resumed). */
	resumedAfterLine: number;
	/** Problems beyond those kept in `problems` (they were still reported to `progress`). */
	problemsNotKept: number;
	/** The input ended early (truncated gzip); what came before it was imported. */
	truncated: boolean;
}

const KEEP_PROBLEMS = 1000;

/**
 * Papers per transaction. Larger batches dirty each page of the authors' name
 * index fewer times, so less goes through the WAL (5,000 → 20,000 wrote 17 % less
 * at 1M papers); 10,000 keeps a re-import's peak RSS near 700 MiB (20,000: 945).
 */
const DEFAULT_BATCH = 10_000;

/**
 * The resume point belongs to this exact file: its size and the hash of its first
 * megabyte name it, so a newer snapshot (or another file) never resumes from an
 * older one's position.
 */
export async function snapshotCheckpointName(file: string): Promise<string> {
	const handle = await fs.open(file, 'r');
	try {
		const { size } = await handle.stat();
		const head = Buffer.alloc(Math.min(size, 1 << 20));
		await handle.read(head, 0, head.length, 0);
		const digest = createHash('sha256').update(head).digest('hex').slice(0, 16);
		return `arxiv-snapshot:${digest}:${size}`;
	} finally {
		await handle.close();
	}
}

function parseResumePoint(value: string | undefined): ResumePoint | undefined {
	if (value === undefined) return undefined;
	try {
		const point = JSON.parse(value) as Partial<ResumePoint>;
		if (Number.isSafeInteger(point.line) && Number.isSafeInteger(point.offset)) {
			return { line: point.line!, offset: point.offset! };
		}
	} catch {
		// A damaged checkpoint only costs a full re-read, which is idempotent.
	}
	return undefined;
}

export async function importArxivSnapshot(
	db: Db,
	file: string,
	options: SnapshotImportOptions = {}
): Promise<SnapshotImportSummary> {
	return duringBulkLoad(db, () => importSnapshotFile(db, file, options));
}

async function importSnapshotFile(
	db: Db,
	file: string,
	options: SnapshotImportOptions
): Promise<SnapshotImportSummary> {
	const batchSize = options.batchSize ?? DEFAULT_BATCH;
	const progress = options.progress ?? {};
	const { size } = await fs.stat(file);
	const checkpointName = await snapshotCheckpointName(file);
	const start = options.restart
		? undefined
		: parseResumePoint(await findCheckpoint(db, checkpointName));
	const summary: SnapshotImportSummary = {
		...emptySummary(),
		sources: 1,
		resumedAfterLine: start?.line ?? 0,
		problemsNotKept: 0,
		truncated: false
	};
	const authorIds = new AuthorIdCache();
	let batch: PaperRecord[] = [];
	let position: ResumePoint = start ?? { line: 0, offset: 0 };

	const report = (problem: ImportProblem) => {
		summary.skipped += 1;
		if (summary.problems.length < KEEP_PROBLEMS) summary.problems.push(problem);
		else summary.problemsNotKept += 1;
		progress.problem?.(problem);
	};
	let savedPosition = position;
	const flush = async () => {
		let saved;
		try {
			saved = await savePapers(db, batch, {
				authorIds,
				checkpoint: { name: checkpointName, value: JSON.stringify(position) }
			});
		} catch (error) {
			throw new ImportStoppedError(
				`could not save lines ${savedPosition.line + 1}-${position.line} of ${file}: ` +
					`${describeStoreError(error)}. That batch was rolled back; everything up to ` +
					`line ${savedPosition.line} is stored. Run the same command again to resume there.`,
				{ cause: error }
			);
		}
		savedPosition = position;
		summary.inserted += saved.inserted;
		summary.updated += saved.updated;
		summary.unchanged += saved.unchanged;
		batch = [];
	};

	// The bar counts megabytes of the file as stored (compressed, if it is).
	progress.start?.(Math.ceil(size / 1e6), 'MB');
	const chunkOptions = { start, maxLineBytes: options.maxLineBytes };
	const chunks = options.parseWorker
		? parseSnapshotChunksInWorker(file, options.parseWorker, chunkOptions)
		: parseSnapshotChunks(file, chunkOptions);
	for await (const chunk of chunks) {
		position = chunk.position;
		summary.records += chunk.records;
		batch.push(...chunk.papers);
		for (const problem of chunk.problems) report(problem);
		if (chunk.truncation) {
			summary.truncated = true;
			report(chunk.truncation);
		}
		if (batch.length >= batchSize) await flush();
		progress.advance?.(Math.floor(chunk.fileBytes / 1e6), { records: summary.records });
	}
	await flush();
	if (!summary.truncated) await deleteCheckpoint(db, checkpointName);
	progress.stop?.();
	return summary;
}

/** A batch could not be saved; the message says what is stored and how to resume. */
export class ImportStoppedError extends Error {
	constructor(message: string, options?: ErrorOptions) {
		super(message, options);
		this.name = 'ImportStoppedError';
	}
}

/** The store's failure in words an operator can act on. */
function describeStoreError(error: unknown): string {
	const code = String((error as { code?: unknown } | null)?.code ?? '');
	if (code.startsWith('SQLITE_BUSY') || code === '55P03') {
		return 'the database is locked by another process';
	}
	if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC' || code === '53100') {
		return 'the disk is full';
	}
	return error instanceof Error ? error.message : String(error);
}
