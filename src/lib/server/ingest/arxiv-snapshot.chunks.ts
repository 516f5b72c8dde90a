/**
 * The read-and-parse stage of a snapshot import: lines of the file become chunks
 * of normalized papers plus the problems met, each chunk ending at a resume
 * point. It runs in the importing thread, or in a worker thread so that parsing
 * overlaps with writing (the CLI does this: ~40 % of an import's time is parsing).
 */
import { Worker } from 'node:worker_threads';
import type { PaperRecord } from '$lib/core/paper';
import { parseSnapshotLine } from './arxiv-snapshot';
import type { ImportProblem } from './import-report';
import { readLines, TruncatedInputError, type ResumePoint } from './line-reader';

export interface ParsedChunk {
	papers: PaperRecord[];
	problems: ImportProblem[];
	/** Non-empty lines read in this chunk (records, valid or not). */
	records: number;
	/** After the last line of this chunk. */
	position: ResumePoint;
	/** Bytes of the file read so far (compressed, if it is), for progress. */
	fileBytes: number;
	/** Set on the last chunk when the input ended inside a gzip member. */
	truncation?: ImportProblem;
}

export interface ChunkOptions {
	start?: ResumePoint;
	maxLineBytes?: number;
}

/** Reads and parses `file` in this thread. */
export async function* parseSnapshotChunks(
	file: string,
	options: ChunkOptions = {}
): AsyncGenerator<ParsedChunk> {
	let fileBytes = options.start?.offset ?? 0;
	let position = options.start ?? { line: 0, offset: 0 };
	try {
		const lines = readLines(file, { ...options, onFileBytes: (bytes) => (fileBytes = bytes) });
		for await (const lineChunk of lines) {
			const chunk: ParsedChunk = { papers: [], problems: [], records: 0, position, fileBytes };
			for (const line of lineChunk) {
				chunk.position = { line: line.number, offset: line.endOffset };
				if (line.text !== null && line.text.trim() === '') continue;
				chunk.records += 1;
				const parsed = line.text === null ? line.problem! : parseSnapshotLine(line.text);
				if (typeof parsed === 'string') {
					chunk.problems.push({
						source: file,
						record: line.number,
						id: idOf(line.text),
						reason: parsed
					});
				} else {
					chunk.papers.push(parsed);
				}
			}
			chunk.fileBytes = fileBytes;
			position = chunk.position;
			yield chunk;
		}
	} catch (error) {
		if (!(error instanceof TruncatedInputError)) throw error;
		const truncation = {
			source: file,
			record: error.afterLine + 1,
			id: null,
			reason: error.message
		};
		yield { papers: [], problems: [], records: 0, position, fileBytes, truncation };
	}
}

/**
 * How many chunks the worker may run ahead of the writer (bounded memory). A
 * chunk is one 1 MiB read, ~500 snapshot records: 24 is a little more than one
 * batch of the import, so the worker keeps parsing while a batch is written.
 */
const CHUNKS_AHEAD = 24;

type WorkerMessage = { chunk: ParsedChunk } | { done: true } | { error: string };

/**
 * Reads and parses `file` in a worker thread (`workerUrl`: the bundled
 * arxiv-snapshot.worker.js), handing chunks over as the writer takes them.
 */
export async function* parseSnapshotChunksInWorker(
	file: string,
	workerUrl: URL,
	options: ChunkOptions = {}
): AsyncGenerator<ParsedChunk> {
	const worker = new Worker(workerUrl, {
		workerData: { file, options, chunksAhead: CHUNKS_AHEAD }
	});
	const queue: WorkerMessage[] = [];
	let wake: (() => void) | null = null;
	const push = (message: WorkerMessage) => {
		queue.push(message);
		wake?.();
	};
	worker.on('message', push);
	worker.on('error', (error) => push({ error: error.message }));
	worker.on('exit', (code) => {
		if (code !== 0) push({ error: `the parse worker stopped with exit code ${code}` });
	});
	try {
		for (;;) {
			while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
			const message = queue.shift()!;
			if ('done' in message) return;
			if ('error' in message) throw new Error(`parsing ${file} failed: ${message.error}`);
			worker.postMessage('taken');
			yield message.chunk;
		}
	} finally {
		await worker.terminate();
	}
}

/** The id of a record that failed validation, when its line still shows one (for the report). */
function idOf(line: string | null): string | null {
	const match = line === null ? null : /"id"\s*:\s*"([^"]{1,40})"/.exec(line);
	return match ? match[1] : null;
}
