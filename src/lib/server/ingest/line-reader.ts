/**
 * Streams the lines of a (possibly gzip-compressed) JSON-lines file in constant
 * memory, with each line's number and the byte offset after it, so a long import
 * can record where it stopped and start again there.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';

export interface InputLine {
	/** 1-based line number in the (decompressed) input. */
	number: number;
	/** The line without its newline; null when it is not valid UTF-8 or too long. */
	text: string | null;
	/** Why `text` is null. */
	problem?: string;
	/** Byte offset just after this line's newline in the decompressed input. */
	endOffset: number;
}

/** Where to start: after `line` lines, which end at byte `offset` of the decompressed input. */
export interface ResumePoint {
	line: number;
	offset: number;
}

export interface LineReaderOptions {
	start?: ResumePoint;
	/** Longer lines are reported as problems, not decoded (a record is never megabytes). */
	maxLineBytes?: number;
	/** Told how many bytes of the file (compressed, if it is) have been read: for progress. */
	onFileBytes?: (bytes: number) => void;
}

/** The input ended inside a gzip member: everything before it was read. */
export class TruncatedInputError extends Error {
	constructor(
		readonly afterLine: number,
		options?: ErrorOptions
	) {
		super(`input is truncated (compressed data ends after line ${afterLine})`, options);
		this.name = 'TruncatedInputError';
	}
}

const GZIP_MAGIC = [0x1f, 0x8b];
const NEWLINE = 0x0a;

/** Whether the file starts with the gzip magic bytes (the name may not say). */
export async function isGzipFile(file: string): Promise<boolean> {
	const handle = await fs.promises.open(file, 'r');
	try {
		const head = Buffer.alloc(2);
		const { bytesRead } = await handle.read(head, 0, 2, 0);
		return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
	} finally {
		await handle.close();
	}
}

/**
 * Yields the lines of `file` in chunks (one array per read, to keep per-line
 * overhead low). Plain files resume by seeking to the saved offset; gzip files
 * cannot seek, so they decompress from the start and skip the lines already done.
 * A final line without a newline counts as a line; in a truncated gzip file it is
 * dropped (it may be cut short) and `TruncatedInputError` is thrown after the
 * complete lines.
 */
export async function* readLines(
	file: string,
	options: LineReaderOptions = {}
): AsyncGenerator<InputLine[]> {
	const maxLineBytes = options.maxLineBytes ?? 1 << 20;
	const gzip = await isGzipFile(file);
	const start = options.start ?? { line: 0, offset: 0 };
	const raw = fs.createReadStream(file, {
		start: gzip ? 0 : start.offset,
		highWaterMark: 1 << 20
	});
	const input: NodeJS.ReadableStream = gzip ? raw.pipe(zlib.createGunzip()) : raw;
	if (gzip) raw.on('error', (error) => (input as zlib.Gunzip).destroy(error));

	const decoder = new TextDecoder('utf-8', { fatal: true });
	let lineNumber = gzip ? 0 : start.line;
	let offset = gzip ? 0 : start.offset;
	const skipThrough = gzip ? start.line : 0;
	// Pieces of the line that is still open at the end of a chunk.
	let pending: Buffer[] = [];
	let pendingBytes = 0;

	const tooLong = (length: number) =>
		`line is ${formatBytes(length)} (limit ${formatBytes(maxLineBytes)})`;

	/** `bytes` holds the line (or its first bytes, when it is over the limit); `length` is its real size. */
	const toLine = (bytes: Buffer, length: number, newline: boolean): InputLine => {
		lineNumber += 1;
		offset += length + (newline ? 1 : 0);
		if (lineNumber <= skipThrough) return { number: lineNumber, text: null, endOffset: offset };
		const end = length === bytes.length && bytes[length - 1] === 0x0d ? length - 1 : length;
		if (end > maxLineBytes) {
			return { number: lineNumber, text: null, problem: tooLong(end), endOffset: offset };
		}
		try {
			const text = decoder.decode(bytes.subarray(0, end));
			return { number: lineNumber, text, endOffset: offset };
		} catch {
			return { number: lineNumber, text: null, problem: 'not valid UTF-8', endOffset: offset };
		}
	};

	/** Joins the open line's pieces with `tail`; an over-long line keeps only its head. */
	const takePending = (tail: Buffer): { bytes: Buffer; length: number } => {
		const length = pendingBytes + tail.length;
		if (pendingBytes === 0) return { bytes: tail, length };
		if (pendingBytes <= maxLineBytes) pending.push(tail);
		const bytes = Buffer.concat(pending);
		pending = [];
		pendingBytes = 0;
		return { bytes, length };
	};

	try {
		for await (const chunk of input as AsyncIterable<Buffer>) {
			const lines: InputLine[] = [];
			let from = 0;
			for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, from)) {
				const { bytes, length } = takePending(chunk.subarray(from, at));
				const line = toLine(bytes, length, true);
				if (line.number > skipThrough) lines.push(line);
				from = at + 1;
			}
			if (from < chunk.length) {
				// An over-long line is kept only up to the limit (plus one byte to know it is over).
				if (pendingBytes <= maxLineBytes) pending.push(chunk.subarray(from));
				pendingBytes += chunk.length - from;
			}
			options.onFileBytes?.((gzip ? 0 : start.offset) + raw.bytesRead);
			if (lines.length > 0) yield lines;
		}
	} catch (error) {
		if (gzip && isTruncation(error)) throw new TruncatedInputError(lineNumber, { cause: error });
		throw error;
	}
	if (pendingBytes > 0) {
		const { bytes, length } = takePending(Buffer.alloc(0));
		const line = toLine(bytes, length, false);
		if (line.number > skipThrough) yield [line];
	}
}

function isTruncation(error: unknown): boolean {
	const code = (error as { code?: string } | null)?.code;
	return code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR' || /unexpected end/i.test(String(error));
}

function formatBytes(bytes: number): string {
	if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
	if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
	return `${bytes} bytes`;
}
