/**
 * Synthetic arXiv corpus in the real Kaggle snapshot format (`arxiv-metadata-oai-snapshot.json`,
 * one JSON object per line), at any size, streamed: memory stays flat whatever the count.
 *
 * Library use (the search and import benchmarks):
 *
 *   for await (const record of generatePapers(100_000, 42)) …
 *
 * CLI:
 *
 *   node scripts/run-ts.mjs bench/generator/generate.ts --count 100000 --seed 42 \
 *     --out /tmp/arxiv-100k.jsonl [--gzip]
 *   node scripts/run-ts.mjs bench/generator/generate.ts --check
 *
 * Same seed + count (+ end month, + shared data) → byte-identical output.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import zlib from 'node:zlib';
import { runCheck } from './check';
import { Corpus, snapshotLine, type CorpusOptions, type SnapshotRecord, type Slot } from './corpus';
import { defaultDataDir, loadModel, type ModelOptions } from './model';

export type { SnapshotRecord } from './corpus';

/** Options of generatePapers / snapshotLines. */
export interface GenerateOptions extends CorpusOptions, ModelOptions {}

/**
 * Yields `count` synthetic snapshot records for `seed`, in the order of the real file (new-style
 * ids by month, then old-style ids by archive). The model is loaded (or built and cached) first.
 */
export async function* generatePapers(
	count: number,
	seed: number,
	options: GenerateOptions = {}
): AsyncGenerator<SnapshotRecord> {
	const corpus = new Corpus(loadModel(options), seed, options);
	for (const slot of corpus.slots(count)) yield corpus.record(slot);
}

/**
 * The same corpus as serialized snapshot lines (no trailing newline), synchronously: the fast
 * path for writers, which avoid one promise per record.
 */
export function* snapshotLines(
	count: number,
	seed: number,
	options: GenerateOptions = {}
): Generator<string> {
	const corpus = new Corpus(loadModel(options), seed, options);
	for (const slot of corpus.slots(count)) yield snapshotLine(corpus.record(slot));
}

// ---------------------------------------------------------------------------
// CLI

const USAGE = `Synthetic arXiv snapshot (Kaggle arxiv-metadata-oai-snapshot.json format).

usage: node scripts/run-ts.mjs bench/generator/generate.ts --count N --out FILE [options]
       node scripts/run-ts.mjs bench/generator/generate.ts --check [--count 2000]

  --count N        records to write (default for --check: 2000)
  --seed S         random seed, an integer (default 42)
  --out FILE       output file; "-" for stdout
  --gzip           gzip the output, level 1 (also implied by a .gz file name)
  --end YYYY-MM    last month of the snapshot (default 2026-10)
  --workers N      generating threads (default: 2, or 1 on a single-core machine); the
                   output does not depend on N
  --check          generate a small corpus, print its statistics next to the real files'
                   and verify the format; exit 1 if an invariant fails
  --rebuild-model  relearn the model from the shared data even if the cache is current
  --data DIR       shared data folder (default $DP_SHARED_DATA or ../shared/data)
  --help

Progress goes to stderr, a JSON summary to stdout.`;

function parseEnd(text: string | undefined): CorpusOptions['end'] {
	if (text === undefined) return undefined;
	const m = /^(\d{4})-(\d{2})$/.exec(text);
	if (!m) throw new Error(`--end must be YYYY-MM, got ${text}`);
	return { year: Number(m[1]), month: Number(m[2]) };
}

function integer(name: string, text: string | undefined, fallback: number): number {
	if (text === undefined) return fallback;
	const value = Number(text.replace(/_/g, ''));
	if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} must be an integer`);
	return value;
}

function peakRssMb(): number {
	// maxRSS is in kilobytes.
	return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function main(argv: string[]): Promise<number> {
	const { values } = parseArgs({
		args: argv,
		options: {
			count: { type: 'string' },
			seed: { type: 'string' },
			out: { type: 'string' },
			gzip: { type: 'boolean', default: false },
			end: { type: 'string' },
			workers: { type: 'string' },
			check: { type: 'boolean', default: false },
			'rebuild-model': { type: 'boolean', default: false },
			data: { type: 'string' },
			help: { type: 'boolean', default: false }
		}
	});
	if (values.help) {
		console.log(USAGE);
		return 0;
	}
	const seed = integer('seed', values.seed, 42);
	const dataDir = values.data ?? defaultDataDir();
	const options: GenerateOptions = {
		end: parseEnd(values.end),
		dataDir,
		rebuild: values['rebuild-model'],
		log: (line) => console.error(line)
	};
	const modelStarted = performance.now();
	const model = loadModel(options);
	const modelSeconds = (performance.now() - modelStarted) / 1000;

	if (values.check) {
		const count = integer('count', values.count, 2000);
		const { ok, text } = runCheck(model, { count, seed, dataDir, end: options.end });
		console.log(text);
		return ok ? 0 : 1;
	}

	if (values.count === undefined || values.out === undefined) {
		console.error(USAGE);
		return 2;
	}
	const count = integer('count', values.count, 0);
	const out = values.out;
	const gzip = values.gzip || out.endsWith('.gz');
	const corpus = new Corpus(model, seed, options);

	let records = 0;
	let bytes = 0;
	const started = performance.now();
	let lastReport = started;
	const report = (final: boolean) => {
		const now = performance.now();
		if (!final && now - lastReport < 2000) return;
		lastReport = now;
		const seconds = (now - started) / 1000;
		console.error(
			`  ${records.toLocaleString('en-US')} / ${count.toLocaleString('en-US')} records · ` +
				`${Math.round(records / seconds).toLocaleString('en-US')} records/s · ` +
				`${(bytes / 1e6 / seconds).toFixed(1)} MB/s · ${peakRssMb()} MB peak RSS`
		);
	};
	const workers = Math.max(
		1,
		integer('workers', values.workers, Math.min(2, os.availableParallelism()))
	);
	const counted = (text: string, lines: number) => {
		records += lines;
		bytes += Buffer.byteLength(text);
		report(false);
		return text;
	};
	// Chunks of a few hundred lines: one stream write per chunk, and Readable.from only pulls the
	// next chunk when the writer (or gzip) has room, which is the backpressure.
	function* serialChunks(): Generator<string> {
		for (const batch of batches(corpus.slots(count))) {
			let text = '';
			for (const slot of batch) text += `${snapshotLine(corpus.record(slot))}\n`;
			yield counted(text, batch.length);
		}
	}
	async function* parallelChunks(): AsyncGenerator<string> {
		const pool = Array.from(
			{ length: workers },
			() =>
				new Worker(fileURLToPath(import.meta.url), {
					argv: [],
					workerData: { generatorWorker: true, seed, end: options.end, dataDir }
				})
		);
		// Each worker answers in request order, so a FIFO of pending requests per worker
		// suffices; batch k goes to worker k mod N and results are taken back in k order.
		interface Pending {
			resolve: (text: string) => void;
			reject: (error: Error) => void;
		}
		const waiting = pool.map(() => [] as Pending[]);
		let failure: Error | undefined;
		let finished = false;
		const fail = (error: Error) => {
			if (finished) return; // terminate() at the end is not a failure
			failure ??= error;
			for (const queue of waiting) for (const p of queue.splice(0)) p.reject(failure);
		};
		pool.forEach((w, i) => {
			w.on('message', (text: string) => waiting[i].shift()?.resolve(text));
			w.on('error', fail);
			w.on('exit', (code) => fail(new Error(`a generator worker exited (code ${code})`)));
		});
		const inFlight: { promise: Promise<string>; lines: number }[] = [];
		const slots = batches(corpus.slots(count));
		let sent = 0;
		const refill = () => {
			while (inFlight.length < workers * 3) {
				const batch = slots.next();
				if (batch.done) return;
				const k = sent % workers;
				sent += 1;
				const promise = new Promise<string>((resolve, reject) => {
					if (failure) reject(failure);
					else waiting[k].push({ resolve, reject });
				});
				// Awaited in order below; a rejection before then must not count as unhandled.
				promise.catch(() => undefined);
				pool[k].postMessage(batch.value);
				inFlight.push({ promise, lines: batch.value.length });
			}
		};
		try {
			refill();
			while (inFlight.length > 0) {
				const head = inFlight.shift();
				if (!head) break;
				const text = await head.promise;
				refill();
				yield counted(text, head.lines);
			}
		} finally {
			finished = true;
			await Promise.all(pool.map((w) => w.terminate()));
		}
	}
	if (out !== '-') fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
	const sink = out === '-' ? process.stdout : fs.createWriteStream(out);
	const source = Readable.from(workers > 1 ? parallelChunks() : serialChunks(), {
		objectMode: false
	});
	// Level 1: 100 MB/s on one core against 42 at level 6, for 2.55× instead of 2.9× smaller;
	// the file is a benchmark input, not an archive.
	if (gzip) await pipeline(source, zlib.createGzip({ level: 1 }), sink);
	else await pipeline(source, sink);
	report(true);

	const seconds = (performance.now() - started) / 1000;
	const summary = {
		count: records,
		seed,
		end: `${corpus.endYearMonth.year}-${String(corpus.endYearMonth.month).padStart(2, '0')}`,
		out,
		gzip,
		bytes: out === '-' ? bytes : fs.statSync(out).size,
		uncompressedBytes: bytes,
		seconds: Number(seconds.toFixed(2)),
		recordsPerSecond: Math.round(records / seconds),
		mbPerSecond: Number((bytes / 1e6 / seconds).toFixed(1)),
		peakRssMb: peakRssMb(),
		workers,
		modelSeconds: Number(modelSeconds.toFixed(2))
	};
	// With --out - the corpus owns stdout; the summary goes to stderr instead.
	if (out === '-') console.error(JSON.stringify(summary));
	else console.log(JSON.stringify(summary, null, 2));
	return 0;
}

/** Groups slots into batches of 256: the unit of a stream write and of a worker request. */
function* batches(slots: Iterable<Slot>): Generator<Slot[]> {
	let batch: Slot[] = [];
	for (const slot of slots) {
		batch.push(slot);
		if (batch.length === 256) {
			yield batch;
			batch = [];
		}
	}
	if (batch.length > 0) yield batch;
}

interface WorkerData {
	generatorWorker: true;
	seed: number;
	end: CorpusOptions['end'];
	dataDir: string;
}

/** A generating thread: turns batches of slots into text, in the order they arrive. */
function runWorker(data: WorkerData): void {
	const corpus = new Corpus(loadModel({ dataDir: data.dataDir }), data.seed, { end: data.end });
	parentPort?.on('message', (batch: Slot[]) => {
		let text = '';
		for (const slot of batch) text += `${snapshotLine(corpus.record(slot))}\n`;
		parentPort?.postMessage(text);
	});
}

const data = workerData as Partial<WorkerData> | null;
if (!isMainThread && data?.generatorWorker) {
	runWorker(data as WorkerData);
} else if (isMainThread && /^generate\.(?:mjs|js|ts)$/.test(path.basename(process.argv[1] ?? ''))) {
	// Run as a CLI only when this file is the entry point (run-ts bundles it to generate.mjs); a
	// benchmark that imports generatePapers gets its own bundle name and skips this.
	main(process.argv.slice(2)).then(
		(code) => {
			process.exitCode = code;
		},
		(error: unknown) => {
			console.error(error instanceof Error ? error.message : error);
			process.exitCode = 1;
		}
	);
}
