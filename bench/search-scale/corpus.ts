/**
 * Corpus side of the search scale benchmark: the generated snapshot files (made once per size and
 * seed, then reused), a synchronous line reader that keeps byte offsets (so a document's text can
 * be read back later, as a store would return it), and the few fields every engine indexes.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** One line of a JSONL file, with where it lies in the file. */
export interface Line {
	text: string;
	/** Byte offset of the line's first character. */
	offset: number;
	/** Length in bytes, without the newline. */
	length: number;
	/** 0-based line number. */
	ordinal: number;
}

/**
 * The lines of a file, read synchronously in large chunks. Synchronous on purpose: the index
 * builders consume documents in a tight loop, and a promise per line would cost more than the
 * read itself. Lines are ASCII in the generator's output, but decoding is UTF-8 anyway.
 */
export function* readLines(file: string, chunkBytes = 4 << 20): Generator<Line> {
	const fd = fs.openSync(file, 'r');
	try {
		let buffer = Buffer.allocUnsafe(chunkBytes);
		let filled = 0; // bytes of buffer holding unread data
		let base = 0; // file offset of buffer[0]
		let ordinal = 0;
		for (;;) {
			if (filled === buffer.length) {
				// A line longer than the buffer: grow it (bounded by the file size).
				const bigger = Buffer.allocUnsafe(buffer.length * 2);
				buffer.copy(bigger, 0, 0, filled);
				buffer = bigger;
			}
			const read = fs.readSync(fd, buffer, filled, buffer.length - filled, base + filled);
			const end = filled + read;
			const view = buffer.subarray(0, end);
			let start = 0;
			for (let nl = view.indexOf(10, start); nl !== -1; nl = view.indexOf(10, start)) {
				if (nl > start) {
					yield {
						text: view.toString('utf8', start, nl),
						offset: base + start,
						length: nl - start,
						ordinal: ordinal++
					};
				}
				start = nl + 1;
			}
			if (read === 0) {
				if (end > start) {
					yield {
						text: view.toString('utf8', start, end),
						offset: base + start,
						length: end - start,
						ordinal: ordinal++
					};
				}
				return;
			}
			buffer.copy(buffer, 0, start, end);
			base += start;
			filled = end - start;
		}
	} finally {
		fs.closeSync(fd);
	}
}

/** Reads one line back by its offset and length (the page cache makes this a memory copy). */
export class LineReader {
	private readonly fd: number;
	private buffer = Buffer.allocUnsafe(64 << 10);

	constructor(file: string) {
		this.fd = fs.openSync(file, 'r');
	}

	read(offset: number, length: number): string {
		if (length > this.buffer.length) this.buffer = Buffer.allocUnsafe(length * 2);
		const got = fs.readSync(this.fd, this.buffer, 0, length, offset);
		return this.buffer.toString('utf8', 0, got);
	}

	close(): void {
		fs.closeSync(this.fd);
	}
}

/** What the benchmark reads of a snapshot record. */
export interface Paper {
	id: string;
	title: string;
	abstract: string;
	/** "First Last" names, from `authors_parsed`. */
	authors: string[];
	/** Days since 1970-01-01 of the first version. */
	day: number;
	/** Distinct archives of the categories (`cs` of `cs.CL`, `hep-th`), sorted. */
	archives: string[];
}

interface RawRecord {
	id: string;
	title: string;
	abstract: string;
	categories: string;
	versions: { created: string }[];
	authors_parsed: string[][];
}

/** Parses a snapshot line into the fields the engines index and filter on. */
export function parsePaper(line: string): Paper {
	const raw = JSON.parse(line) as RawRecord;
	const archives = new Set<string>();
	for (const category of raw.categories.split(' ')) {
		if (category.length > 0) archives.add(category.split('.')[0]);
	}
	const created = raw.versions[0]?.created;
	return {
		id: raw.id,
		title: raw.title,
		abstract: raw.abstract,
		authors: raw.authors_parsed.map(([last = '', first = '', suffix = '']) =>
			[first, last, suffix].filter((part) => part.length > 0).join(' ')
		),
		day: created === undefined ? 0 : Math.floor(Date.parse(created) / 86_400_000),
		archives: [...archives].sort()
	};
}

/** Days since 1970-01-01 of 1 January of a year. */
export function dayOfYear(year: number): number {
	return Math.floor(Date.UTC(year, 0, 1) / 86_400_000);
}

/** The text a phrase is checked against, as the search service builds it. */
export function phraseText(paper: Paper): string {
	return `${paper.title} . ${paper.abstract}`;
}

interface GeneratorSummary {
	count: number;
	seed: number;
	bytes: number;
}

/** The corpus file of a size and seed in `dir`, generated unless an identical one is there. */
export async function ensureCorpus(
	root: string,
	dir: string,
	count: number,
	seed: number,
	log: (line: string) => void
): Promise<{ file: string; reused: boolean; seconds: number; bytes: number }> {
	const file = path.join(dir, `arxiv-${count}-seed${seed}.jsonl`);
	const summaryFile = `${file}.json`;
	try {
		const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as GeneratorSummary;
		if (
			summary.count === count &&
			summary.seed === seed &&
			fs.statSync(file).size === summary.bytes
		) {
			log(`corpus ${count}: reusing ${file}`);
			return { file, reused: true, seconds: 0, bytes: summary.bytes };
		}
	} catch {
		// Missing or unreadable: generate.
	}
	fs.mkdirSync(dir, { recursive: true });
	fs.rmSync(summaryFile, { force: true });
	log(`corpus ${count}: generating ${file}`);
	const started = performance.now();
	const child = spawn(
		process.execPath,
		[
			path.join(root, 'scripts/run-ts.mjs'),
			path.join(root, 'bench/generator/generate.ts'),
			'--count',
			String(count),
			'--seed',
			String(seed),
			'--out',
			file
		],
		{ cwd: root, stdio: ['ignore', 'pipe', 'inherit'] }
	);
	let stdout = '';
	child.stdout.setEncoding('utf8');
	child.stdout.on('data', (chunk: string) => {
		stdout += chunk;
	});
	const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
	if (code !== 0) throw new Error(`the corpus generator exited with code ${code}`);
	// Written last, so an interrupted run is regenerated next time.
	fs.writeFileSync(summaryFile, stdout);
	const summary = JSON.parse(stdout) as GeneratorSummary;
	return {
		file,
		reused: false,
		seconds: (performance.now() - started) / 1000,
		bytes: summary.bytes
	};
}
