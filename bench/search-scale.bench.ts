/**
 * Search at scale: builds our search engine and its peers on synthetic arXiv corpora of growing
 * size and measures build time, peak RSS, index size on disk and query latency (p50/p95/p99) for
 * a fixed query mix, at 1 and 8 concurrent clients. Not a test: it measures and never gates.
 *
 *   node scripts/run-ts.mjs bench/search-scale.bench.ts --sizes 100000,1000000
 *
 * Per size: the corpus is generated (or reused) in the scratch dir, the query mix is drawn from it,
 * then every engine runs in its own child process (so peak RSS is the engine's own): build, save,
 * single-client latency in that process, the BM25 overlap queries, then a node:http server that
 * this process drives with 8 concurrent clients. Engines: ours (LexicalIndex BM25F + the LSA
 * layer for the hybrid and vector classes), SQLite FTS5, MiniSearch (small sizes only) and
 * LanceDB (native FTS; IVF_PQ over the LSA vectors ours exports into the work dir, so it runs
 * after ours). Prints one JSON object and readable tables; the JSON also goes to bench/results/.
 * See bench/README.md.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCorpus } from './search-scale/corpus';
import { projectRoot } from './support';
import {
	BUILDERS,
	ENGINE_LABELS,
	ENGINES,
	LSA_VECTOR_FILES,
	rssMiB,
	type BuildReport,
	type Engine,
	type EngineName,
	type OverlapResults,
	type VectorSweepRow
} from './search-scale/engines';
import {
	buildQueryMix,
	QUERY_CLASSES,
	type QueryClass,
	type QueryMix
} from './search-scale/queries';

const TARGETS = {
	docs: 2_700_000,
	lexicalP95Ms: 20,
	hybridP95Ms: 50,
	buildSeconds: 30 * 60,
	peakRssMiB: 8 * 1024
};
const LEXICAL_CLASSES: readonly QueryClass[] = ['single', 'multi', 'rare', 'phrase', 'filtered'];

const USAGE = `Usage: node scripts/run-ts.mjs bench/search-scale.bench.ts [options]

  --sizes A,B,...      corpus sizes (default 100000,1000000)
  --dir DIR            scratch dir for corpora and index files (default /tmp/dp-bench)
  --seed S             corpus seed (default 42)
  --query-seed S       query-mix seed (default 7)
  --queries N          measured queries per class (default 200)
  --warmup N           warm-up queries per class, not measured (default 20)
  --budget S           at most this many seconds of measured queries per class and client
                       count (default 12); slower engines report fewer queries (n)
  --warm-budget S      at most this many seconds of warm-up per class (default 4)
  --clients N          concurrent clients of the HTTP case (default 8)
  --engines LIST       ours,fts5,minisearch,lancedb (default all; lancedb's vector and hybrid
                       classes need ours in the same run)
  --minisearch-max N   largest size MiniSearch runs at (default 100000)
  --lance-nprobes N    IVF partitions LanceDB probes per vector query (default 20, its own)
  --lance-refine N     LanceDB re-ranks N × 10 PQ candidates on the full vectors (default 10;
                       0 = PQ distances only, LanceDB's default)
  --overlap-max N      largest size of the abstract-only BM25 overlap check (default 1000000)
  --child-timeout S    stop an engine's child after this many seconds (default 1200)
  --keep-index         keep the index files (default: deleted at the end)
  --clean              also delete the generated corpora at the end
  -h, --help           this text`;

function parseOptions() {
	try {
		return parseArgs({
			options: {
				sizes: { type: 'string', default: '100000,1000000' },
				dir: { type: 'string', default: '/tmp/dp-bench' },
				seed: { type: 'string', default: '42' },
				'query-seed': { type: 'string', default: '7' },
				queries: { type: 'string', default: '200' },
				warmup: { type: 'string', default: '20' },
				budget: { type: 'string', default: '12' },
				'warm-budget': { type: 'string', default: '4' },
				clients: { type: 'string', default: '8' },
				engines: { type: 'string', default: ENGINES.join(',') },
				'minisearch-max': { type: 'string', default: '100000' },
				'lance-nprobes': { type: 'string', default: '20' },
				'lance-refine': { type: 'string', default: '10' },
				'overlap-max': { type: 'string', default: '1000000' },
				'child-timeout': { type: 'string', default: '1200' },
				'keep-index': { type: 'boolean', default: false },
				clean: { type: 'boolean', default: false },
				help: { type: 'boolean', short: 'h', default: false },
				// Internal: this file re-run as one engine's child process.
				child: { type: 'string' },
				file: { type: 'string' },
				count: { type: 'string' },
				'work-dir': { type: 'string' },
				overlap: { type: 'boolean', default: false },
				'export-vectors': { type: 'boolean', default: false }
			}
		}).values;
	} catch (error) {
		console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
		process.exit(2);
	}
}

const options = parseOptions();
const log = (line: string): void => console.error(line);

function int(name: string, text: string | undefined): number {
	const value = Number((text ?? '').replace(/_/g, ''));
	if (!Number.isSafeInteger(value) || value < 0) {
		console.error(`--${name} must be a non-negative integer`);
		process.exit(2);
	}
	return value;
}

// ---------------------------------------------------------------------------
// Statistics

/** Latency summary in ms; percentiles are nearest-rank. */
interface Latency {
	n: number;
	p50: number;
	p95: number;
	p99: number;
	mean: number;
	max: number;
	/** Completed queries per second of wall time (concurrent case). */
	qps?: number;
}

function summarize(samples: readonly number[], wallMs?: number): Latency {
	const sorted = [...samples].sort((a, b) => a - b);
	const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
	const round = (x: number) => Number(x.toFixed(3));
	const mean = sorted.reduce((sum, x) => sum + x, 0) / Math.max(1, sorted.length);
	return {
		n: sorted.length,
		p50: round(rank(50)),
		p95: round(rank(95)),
		p99: round(rank(99)),
		mean: round(mean),
		max: round(sorted[sorted.length - 1] ?? NaN),
		...(wallMs === undefined ? {} : { qps: Number(((sorted.length / wallMs) * 1000).toFixed(1)) })
	};
}

/** Mean |A ∩ B| / max(|A|, |B|) over query pairs where either side has a hit. */
function meanOverlap(a: readonly number[][], b: readonly number[][]): { n: number; mean: number } {
	let sum = 0;
	let n = 0;
	for (let i = 0; i < Math.min(a.length, b.length); i++) {
		const size = Math.max(a[i].length, b[i].length);
		if (size === 0) continue;
		const other = new Set(b[i]);
		sum += a[i].filter((x) => other.has(x)).length / size;
		n++;
	}
	return { n, mean: n === 0 ? NaN : Number((sum / n).toFixed(3)) };
}

// ---------------------------------------------------------------------------
// Child process: one engine

interface SingleClass {
	skipped?: string;
	latency?: Latency;
	/** Top-10 per measured query (corpus line numbers), for the overlap figures. */
	results?: number[][];
	/** Mean of describe() facts over the measured queries (ours: postings, semantic share). */
	facts?: Record<string, number>;
	emptyResults?: number;
	/**
	 * Per measured query (all of them, timed or not): 1 when the hybrid pipeline ran its LSA side,
	 * 0 when the mismatch rule skipped it. Only for engines that report it (ours, hybrid class).
	 */
	semantic?: number[];
	/** Latency of the timed queries split by `semantic`. */
	split?: Record<string, Latency>;
}

/** Names of the two halves of a split class. */
const SPLIT_NAMES = ['LSA side ran', 'lexical only'] as const;

/** Splits latencies (`ms` of query `index`) by the per-query semantic flag. */
function splitBySemantic(
	samples: readonly { index: number; ms: number }[],
	semantic: readonly number[]
): Record<string, Latency> {
	const ran = samples.filter((s) => semantic[s.index] === 1).map((s) => s.ms);
	const skipped = samples.filter((s) => semantic[s.index] === 0).map((s) => s.ms);
	return { [SPLIT_NAMES[0]]: summarize(ran), [SPLIT_NAMES[1]]: summarize(skipped) };
}

type ChildMessage =
	| {
			type: 'ready';
			port: number;
			build: BuildReport;
			single: Record<QueryClass, SingleClass>;
			overlap: OverlapResults;
			peakRssAfterSingleMiB: number;
	  }
	| { type: 'final'; peakRssMiB: number }
	| { type: 'error'; message: string };

type ParentMessage = { type: 'finish' };

function send(message: ChildMessage): Promise<void> {
	return new Promise((resolve) => {
		if (process.send === undefined) resolve();
		else process.send(message, () => resolve());
	});
}

async function childMain(name: EngineName): Promise<void> {
	const workDir = options['work-dir'] ?? '';
	const mix = JSON.parse(fs.readFileSync(path.join(workDir, 'queries.json'), 'utf8')) as QueryMix;
	const budgetMs = Number(options.budget) * 1000;
	const warmBudgetMs = Number(options['warm-budget']) * 1000;
	const engine: Engine = await BUILDERS[name]({
		file: options.file ?? '',
		count: int('count', options.count),
		workDir,
		overlapCheck: options.overlap,
		exportVectors: options['export-vectors'] ? mix.classes.vector : null,
		lanceVector: {
			nprobes: int('lance-nprobes', options['lance-nprobes']),
			refineFactor: int('lance-refine', options['lance-refine'])
		},
		log: (line) => log(line)
	});
	const single = {} as Record<QueryClass, SingleClass>;
	for (const cls of QUERY_CLASSES) {
		const support = engine.supports(cls);
		if (support !== true) {
			single[cls] = { skipped: support };
			continue;
		}
		const { warmup, measured } = mix.classes[cls];
		const warmStarted = performance.now();
		for (const [i, query] of warmup.entries()) {
			if (performance.now() - warmStarted > warmBudgetMs) break;
			const hits = engine.run(cls, query, { set: 'warmup', i });
			if (hits instanceof Promise) await hits;
		}
		const latencies: number[] = [];
		const results: number[][] = [];
		const started = performance.now();
		for (const [i, query] of measured.entries()) {
			if (latencies.length > 0 && performance.now() - started > budgetMs) break;
			const t0 = performance.now();
			// Only async engines are awaited: a microtask turn per call would bias the others.
			const answer = engine.run(cls, query, { set: 'measured', i });
			const hits = answer instanceof Promise ? await answer : answer;
			latencies.push(performance.now() - t0);
			results.push(hits);
		}
		// Facts of every measured query (the HTTP case may reach queries this loop did not time).
		const facts: Record<string, number> = {};
		const semantic: number[] = [];
		if (engine.describe !== undefined) {
			for (const query of measured) {
				const described = engine.describe(cls, query);
				for (const [key, value] of Object.entries(described))
					facts[key] = (facts[key] ?? 0) + value / measured.length;
				if (described.semantic !== undefined) semantic.push(described.semantic);
			}
		}
		const summary = summarize(latencies);
		single[cls] = {
			latency: summary,
			results,
			facts,
			emptyResults: results.filter((r) => r.length === 0).length,
			...(semantic.length > 0 && semantic.length === measured.length
				? {
						semantic,
						split: splitBySemantic(
							latencies.map((ms, index) => ({ index, ms })),
							semantic
						)
					}
				: {})
		};
		log(
			`  ${name} ${cls}: 1 client n=${summary.n} p50 ${summary.p50} p95 ${summary.p95} p99 ${summary.p99} ms`
		);
	}
	const overlap = await engine.overlap(mix.overlap);
	const server = http.createServer(async (req, res) => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		if (url.pathname === '/ping') {
			res.end('ok');
			return;
		}
		const cls = url.searchParams.get('c') as QueryClass | null;
		const set = url.searchParams.get('s') === 'w' ? 'warmup' : 'measured';
		const i = Number(url.searchParams.get('i'));
		const query =
			cls !== null && mix.classes[cls] !== undefined ? mix.classes[cls][set][i] : undefined;
		if (url.pathname !== '/q' || cls === null || query === undefined) {
			res.statusCode = 404;
			res.end();
			return;
		}
		try {
			const answer = engine.run(cls, query, { set, i });
			const body = JSON.stringify(answer instanceof Promise ? await answer : answer);
			res.setHeader('content-type', 'application/json');
			res.end(body);
		} catch (error) {
			res.statusCode = 500;
			res.end(error instanceof Error ? error.message : String(error));
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	const port = typeof address === 'object' && address !== null ? address.port : 0;
	process.on('message', (message: ParentMessage) => {
		if (message.type !== 'finish') return;
		server.closeAllConnections();
		server.close();
		engine.close();
		void send({ type: 'final', peakRssMiB: rssMiB() }).then(() => process.exit(0));
	});
	await send({
		type: 'ready',
		port,
		build: engine.build,
		single,
		overlap,
		peakRssAfterSingleMiB: rssMiB()
	});
}

// ---------------------------------------------------------------------------
// Parent: orchestration

const children = new Set<ChildProcess>();
const workDirs = new Set<string>();

function cleanUp(): void {
	for (const child of children) child.kill('SIGKILL');
	if (!options['keep-index'])
		for (const dir of workDirs) fs.rmSync(dir, { recursive: true, force: true });
}

/** A child process's messages, awaited one type at a time. */
class ChildChannel {
	private readonly queue: ChildMessage[] = [];
	private waiter: ((message: ChildMessage | Error) => void) | null = null;
	private failure: Error | null = null;

	constructor(readonly child: ChildProcess) {
		child.on('message', (message: ChildMessage) => this.push(message));
		child.on('exit', (code, signal) =>
			this.fail(new Error(`child exited (code ${code}, signal ${signal ?? 'none'})`))
		);
		child.on('error', (error) => this.fail(error));
	}

	private push(message: ChildMessage): void {
		if (this.waiter) {
			const waiter = this.waiter;
			this.waiter = null;
			waiter(message);
		} else this.queue.push(message);
	}

	private fail(error: Error): void {
		this.failure ??= error;
		if (this.waiter) {
			const waiter = this.waiter;
			this.waiter = null;
			waiter(error);
		}
	}

	async next<T extends ChildMessage['type']>(
		type: T,
		timeoutMs: number
	): Promise<Extract<ChildMessage, { type: T }>> {
		const message = await new Promise<ChildMessage | Error>((resolve) => {
			const queued = this.queue.shift();
			if (queued !== undefined) return resolve(queued);
			if (this.failure) return resolve(this.failure);
			const timer = setTimeout(
				() => resolve(new Error(`timed out after ${Math.round(timeoutMs / 1000)} s`)),
				timeoutMs
			);
			this.waiter = (m) => {
				clearTimeout(timer);
				resolve(m);
			};
		});
		if (message instanceof Error) throw message;
		if (message.type === 'error') throw new Error(message.message);
		if (message.type !== type) throw new Error(`expected ${type}, got ${message.type}`);
		return message as Extract<ChildMessage, { type: T }>;
	}
}

/** Runs `count` tasks with `clients` in flight; stops starting new ones after `budgetMs`. */
async function pool(
	count: number,
	clients: number,
	budgetMs: number,
	task: (i: number) => Promise<number>
): Promise<{ samples: number[]; indexed: { index: number; ms: number }[]; wallMs: number }> {
	let next = 0;
	const samples: number[] = [];
	const indexed: { index: number; ms: number }[] = [];
	const started = performance.now();
	const worker = async (): Promise<void> => {
		while (next < count) {
			if (next >= clients && performance.now() - started > budgetMs) return;
			const i = next++;
			const ms = await task(i);
			samples.push(ms);
			indexed.push({ index: i, ms });
		}
	};
	await Promise.all(Array.from({ length: clients }, worker));
	return { samples, indexed, wallMs: performance.now() - started };
}

interface ClassReport {
	skipped?: string;
	c1?: Latency;
	c8?: Latency;
	/** Hybrid class of ours: latency split by whether the LSA side ran. */
	c1Split?: Record<string, Latency>;
	c8Split?: Record<string, Latency>;
	facts?: Record<string, number>;
	emptyResults?: number;
}

interface EngineReport {
	engine: EngineName;
	label: string;
	status: 'ok' | 'skipped' | 'failed';
	reason?: string;
	buildSeconds?: number;
	steps?: Record<string, number>;
	/** Peak RSS of the engine's process over build + all queries. */
	peakRssMiB?: number;
	peakRssAfterBuildMiB?: number;
	indexBytesOnDisk?: number | null;
	files?: Record<string, number>;
	stats?: Record<string, number>;
	notes?: string[];
	httpPingMs?: Latency;
	classes?: Record<QueryClass, ClassReport>;
	vectorSweep?: VectorSweepRow[];
	seconds?: number;
}

interface SizeReport {
	docs: number;
	corpus: { file: string; bytes: number; reused: boolean; generateSeconds: number };
	queries: {
		seconds: number;
		sampledDocs: number;
		sampleVocabulary: number;
		description: QueryMix['description'];
		examples: Record<QueryClass, string[]>;
	};
	engines: EngineReport[];
	overlap: Record<string, { n: number; mean: number }>;
}

async function runEngine(
	name: EngineName,
	size: number,
	file: string,
	workDir: string,
	overlapCheck: boolean,
	exportVectors: boolean
): Promise<{
	report: EngineReport;
	single?: Record<QueryClass, SingleClass>;
	overlap?: OverlapResults;
}> {
	const started = performance.now();
	const timeoutMs = Number(options['child-timeout']) * 1000;
	const deadline = started + timeoutMs;
	const left = () => Math.round(Math.max(1000, deadline - performance.now()));
	const report: EngineReport = { engine: name, label: ENGINE_LABELS[name], status: 'ok' };
	const args = [
		// A ceiling, not an allocation: MiniSearch keeps its whole index on the JS heap.
		'--max-old-space-size=16384',
		process.argv[1],
		'--child',
		name,
		'--file',
		file,
		'--count',
		String(size),
		'--work-dir',
		workDir,
		'--budget',
		String(options.budget),
		'--warm-budget',
		String(options['warm-budget']),
		'--lance-nprobes',
		String(options['lance-nprobes']),
		'--lance-refine',
		String(options['lance-refine']),
		...(overlapCheck ? ['--overlap'] : []),
		...(exportVectors ? ['--export-vectors'] : [])
	];
	const env =
		name === 'lancedb'
			? {
					...process.env,
					// Lance's CPU pool defaults to cores − 2 = 1 thread here, and with one thread its
					// FTS build can hang forever (peer-engines.md §5, lance PR #7423).
					LANCE_CPU_THREADS: String(Math.max(2, os.availableParallelism())),
					// Its per-query deprecation warnings would flood the log.
					LANCEDB_LOG: 'error'
				}
			: process.env;
	const child = spawn(process.execPath, args, { stdio: ['ignore', 2, 2, 'ipc'], env });
	children.add(child);
	const channel = new ChildChannel(child);
	let single: Record<QueryClass, SingleClass> | undefined;
	let overlap: OverlapResults | undefined;
	try {
		const ready = await channel.next('ready', left());
		single = ready.single;
		overlap = ready.overlap;
		Object.assign(report, {
			buildSeconds: ready.build.buildSeconds,
			steps: ready.build.steps,
			peakRssAfterBuildMiB: ready.build.peakRssAfterBuildMiB,
			indexBytesOnDisk: ready.build.indexBytesOnDisk,
			files: ready.build.files,
			stats: { ...ready.build.stats, heapUsedAfterBuildMiB: ready.build.heapUsedAfterBuildMiB },
			notes: [...ready.build.notes]
		});
		if (overlap.vectorSweep) report.vectorSweep = overlap.vectorSweep;
		if (overlap.bodySeconds !== undefined)
			report.notes?.push(`abstract-only overlap table built in ${overlap.bodySeconds} s`);
		const base = `http://127.0.0.1:${ready.port}`;
		const get = async (url: string): Promise<number> => {
			const t0 = performance.now();
			const res = await fetch(url, { signal: AbortSignal.timeout(left()) });
			await res.text();
			if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
			return performance.now() - t0;
		};
		const ping = await pool(100, 1, 10_000, () => get(`${base}/ping`));
		report.httpPingMs = summarize(ping.samples);
		const clients = int('clients', options.clients);
		const budgetMs = Number(options.budget) * 1000;
		const warmBudgetMs = Number(options['warm-budget']) * 1000;
		const classes = {} as Record<QueryClass, ClassReport>;
		report.classes = classes;
		for (const cls of QUERY_CLASSES) {
			const one = ready.single[cls];
			classes[cls] = one.skipped
				? { skipped: one.skipped }
				: {
						c1: one.latency,
						...(one.split ? { c1Split: one.split } : {}),
						facts: one.facts,
						emptyResults: one.emptyResults
					};
		}
		for (const cls of QUERY_CLASSES) {
			if (classes[cls].skipped) continue;
			const mix = queryMixes.get(size);
			if (mix === undefined) throw new Error('query mix missing');
			const { warmup, measured } = mix.classes[cls];
			await pool(warmup.length, clients, warmBudgetMs, (i) => get(`${base}/q?c=${cls}&s=w&i=${i}`));
			const run = await pool(measured.length, clients, budgetMs, (i) =>
				get(`${base}/q?c=${cls}&s=m&i=${i}`)
			);
			classes[cls].c8 = summarize(run.samples, run.wallMs);
			const semantic = ready.single[cls].semantic;
			if (semantic) classes[cls].c8Split = splitBySemantic(run.indexed, semantic);
			const c8 = classes[cls].c8;
			log(
				`  ${name} ${cls}: ${clients} clients n=${c8?.n} p50 ${c8?.p50} p95 ${c8?.p95} p99 ${c8?.p99} ms, ${c8?.qps} q/s`
			);
		}
		child.send({ type: 'finish' } satisfies ParentMessage);
		const final = await channel.next('final', 60_000);
		report.peakRssMiB = final.peakRssMiB;
	} catch (error) {
		report.status = 'failed';
		report.reason = error instanceof Error ? error.message : String(error);
		log(`  ${name} at ${size}: FAILED — ${report.reason}`);
		child.kill('SIGKILL');
	} finally {
		await new Promise<void>((resolve) => {
			if (child.exitCode !== null || child.signalCode !== null) resolve();
			else child.once('exit', () => resolve());
		});
		children.delete(child);
	}
	report.seconds = Number(((performance.now() - started) / 1000).toFixed(1));
	return { report, single, overlap };
}

const queryMixes = new Map<number, QueryMix>();

function machine() {
	const git = (args: string[]) =>
		spawnSync('git', args, { cwd: projectRoot(), encoding: 'utf8' }).stdout?.trim() ?? '';
	const dirty = git(['status', '--porcelain']).length > 0;
	return {
		node: process.version,
		platform: `${os.platform()} ${os.release()} ${os.arch()}`,
		cpu: os.cpus()[0]?.model ?? 'unknown',
		cores: os.availableParallelism(),
		memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
		commit: `${git(['rev-parse', '--short', 'HEAD'])}${dirty ? '+dirty' : ''}`,
		loadAverageAtStart: os.loadavg().map((x) => Number(x.toFixed(2)))
	};
}

async function main(): Promise<void> {
	const sizes = (options.sizes ?? '').split(',').map((s) => int('sizes', s));
	const engines = (options.engines ?? '').split(',').filter((e) => e.length > 0) as EngineName[];
	for (const engine of engines)
		if (!ENGINES.includes(engine)) throw new Error(`unknown engine ${engine}`);
	const dir = path.resolve(options.dir ?? '/tmp/dp-bench');
	const seed = int('seed', options.seed);
	const querySeed = int('query-seed', options['query-seed']);
	const perClass = {
		warmup: int('warmup', options.warmup),
		measured: int('queries', options.queries),
		overlap: 100
	};
	const root = projectRoot();
	const started = performance.now();
	const date = new Date();
	const info = machine();
	log(`search-scale: sizes ${sizes.join(', ')}; engines ${engines.join(', ')}; scratch ${dir}`);
	const sizeReports: SizeReport[] = [];
	const corpora: string[] = [];
	for (const size of sizes) {
		log(`\n== ${size.toLocaleString('en-US')} documents ==`);
		const corpus = await ensureCorpus(root, dir, size, seed, log);
		corpora.push(corpus.file, `${corpus.file}.json`);
		const workDir = path.join(dir, `work-${size}-${process.pid}`);
		workDirs.add(workDir);
		fs.mkdirSync(workDir, { recursive: true });
		const mixStarted = performance.now();
		const mix = buildQueryMix(corpus.file, size, seed, querySeed, perClass);
		queryMixes.set(size, mix);
		fs.writeFileSync(path.join(workDir, 'queries.json'), JSON.stringify(mix));
		const mixSeconds = Number(((performance.now() - mixStarted) / 1000).toFixed(1));
		log(`query mix: ${mix.sampledDocs} documents sampled, ${mixSeconds} s`);
		const overlapCheck = size <= int('overlap-max', options['overlap-max']);
		const reports: EngineReport[] = [];
		const singles = new Map<EngineName, Record<QueryClass, SingleClass>>();
		const overlaps = new Map<EngineName, OverlapResults>();
		for (const name of engines) {
			if (name === 'minisearch' && size > int('minisearch-max', options['minisearch-max'])) {
				reports.push({
					engine: name,
					label: ENGINE_LABELS[name],
					status: 'skipped',
					reason: 'above --minisearch-max: scores and sorts every match, index on the JS heap'
				});
				continue;
			}
			log(`-- ${name} --`);
			const run = await runEngine(
				name,
				size,
				corpus.file,
				workDir,
				overlapCheck,
				name === 'ours' && engines.includes('lancedb')
			);
			reports.push(run.report);
			if (run.single) singles.set(name, run.single);
			if (run.overlap) overlaps.set(name, run.overlap);
			// Index files go as soon as the engine is done: disk and page cache for the next one
			// (the exported LSA vectors stay until LanceDB has read them).
			const keep = new Set<string>(['queries.json', ...Object.values(LSA_VECTOR_FILES)]);
			if (!options['keep-index'])
				for (const entry of fs.readdirSync(workDir))
					if (!keep.has(entry))
						fs.rmSync(path.join(workDir, entry), { recursive: true, force: true });
		}
		const overlap: SizeReport['overlap'] = {};
		const pairs: [EngineName, EngineName][] = [
			['ours', 'fts5'],
			['ours', 'minisearch'],
			['ours', 'lancedb'],
			['lancedb', 'fts5']
		];
		for (const [left, right] of pairs) {
			const a = overlaps.get(left);
			const b = overlaps.get(right);
			if (a && b) {
				overlap[`${left} vs ${right}: overlap queries, default scoring`] = meanOverlap(
					a.plain,
					b.plain
				);
				if (a.body && b.body)
					overlap[`${left} vs ${right}: overlap queries, abstract-only BM25 on our tokens`] =
						meanOverlap(a.body, b.body);
			}
			const sa = singles.get(left);
			const sb = singles.get(right);
			if (sa && sb)
				for (const cls of QUERY_CLASSES) {
					const ra = sa[cls].results;
					const rb = sb[cls].results;
					if (ra && rb) overlap[`${left} vs ${right}: ${cls}`] = meanOverlap(ra, rb);
				}
		}
		// Recall@10 of each engine's vector class against exact cosine over the float vectors.
		const exact = overlaps.get('lancedb')?.exactVector;
		if (exact)
			for (const name of ['ours', 'lancedb'] as const) {
				const found = singles.get(name)?.vector.results;
				if (found)
					overlap[`${name} vector vs exact cosine (float LSA vectors): recall@10`] = meanOverlap(
						found,
						exact
					);
			}
		sizeReports.push({
			docs: size,
			corpus: {
				file: corpus.file,
				bytes: corpus.bytes,
				reused: corpus.reused,
				generateSeconds: Number(corpus.seconds.toFixed(1))
			},
			queries: {
				seconds: mixSeconds,
				sampledDocs: mix.sampledDocs,
				sampleVocabulary: mix.sampleVocabulary,
				description: mix.description,
				examples: Object.fromEntries(
					QUERY_CLASSES.map((cls) => [
						cls,
						mix.classes[cls].measured.slice(0, 3).map((q) => q.display)
					])
				) as Record<QueryClass, string[]>
			},
			engines: reports,
			overlap
		});
		if (!options['keep-index']) fs.rmSync(workDir, { recursive: true, force: true });
		workDirs.delete(workDir);
	}
	if (options.clean) for (const file of corpora) fs.rmSync(file, { force: true });
	const report = {
		benchmark: 'search-scale',
		date: date.toISOString(),
		command:
			`node scripts/run-ts.mjs bench/search-scale.bench.ts ${process.argv.slice(2).join(' ')}`.trim(),
		machine: { ...info, loadAverageAtEnd: os.loadavg().map((x) => Number(x.toFixed(2))) },
		options: {
			sizes,
			engines,
			seed,
			querySeed,
			queriesPerClass: perClass.measured,
			warmupPerClass: perClass.warmup,
			budgetSeconds: Number(options.budget),
			warmBudgetSeconds: Number(options['warm-budget']),
			clients: int('clients', options.clients),
			lanceNprobes: int('lance-nprobes', options['lance-nprobes']),
			lanceRefineFactor: int('lance-refine', options['lance-refine'])
		},
		targets: TARGETS,
		totalSeconds: Number(((performance.now() - started) / 1000).toFixed(1)),
		sizes: sizeReports
	};
	const json = JSON.stringify(report, null, 2);
	console.log(json);
	const resultsDir = path.join(root, 'bench', 'results');
	fs.mkdirSync(resultsDir, { recursive: true });
	const out = path.join(
		resultsDir,
		`search-scale-${date.toISOString().replace(/[:.]/g, '-')}.json`
	);
	fs.writeFileSync(out, `${json}\n`);
	console.log(`\n${renderTables(report.sizes, report.machine, report.totalSeconds)}`);
	log(`\nJSON written to ${path.relative(root, out)}`);
}

// ---------------------------------------------------------------------------
// Tables

function pad(cells: (string | number)[][], right: boolean[]): string {
	const widths = cells[0].map((_, c) => Math.max(...cells.map((row) => String(row[c]).length)));
	return cells
		.map((row, r) => {
			const line = row
				.map((cell, c) =>
					right[c] ? String(cell).padStart(widths[c]) : String(cell).padEnd(widths[c])
				)
				.join('  ')
				.trimEnd();
			return r === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
		})
		.join('\n');
}

const ms = (x: number | undefined): string =>
	x === undefined || Number.isNaN(x)
		? '—'
		: x < 10
			? x.toFixed(2)
			: x < 100
				? x.toFixed(1)
				: Math.round(x).toLocaleString('en-US');
const mb = (bytes: number | null | undefined): string =>
	bytes === null || bytes === undefined ? '—' : (bytes / 1e6).toFixed(0);

function renderTables(
	sizes: SizeReport[],
	info: ReturnType<typeof machine> & { loadAverageAtEnd: number[] },
	totalSeconds: number
): string {
	const out: string[] = [];
	out.push(
		`Search at scale — ${info.cpu}, ${info.cores} cores, ${info.memoryGiB} GiB, Node ${info.node}, ` +
			`load ${info.loadAverageAtStart.join('/')} → ${info.loadAverageAtEnd.join('/')}, ${Math.round(totalSeconds)} s in all`
	);
	const build: (string | number)[][] = [
		[
			'docs',
			'engine',
			'build s',
			'peak RSS MiB (build / all)',
			'index on disk MB',
			'status / notes'
		]
	];
	for (const size of sizes)
		for (const e of size.engines)
			build.push([
				size.docs.toLocaleString('en-US'),
				e.engine,
				e.buildSeconds === undefined ? '—' : e.buildSeconds.toFixed(1),
				e.peakRssAfterBuildMiB === undefined
					? '—'
					: `${e.peakRssAfterBuildMiB.toLocaleString('en-US')} / ${e.peakRssMiB?.toLocaleString('en-US') ?? '—'}`,
				e.engine === 'ours' && e.files
					? `${mb(e.indexBytesOnDisk)} (+ LSA ${mb(e.files['lsa.bin'])})`
					: e.engine === 'fts5' && e.files
						? `${mb(e.indexBytesOnDisk)} (file ${mb(Object.values(e.files)[0])})`
						: e.engine === 'lancedb' && e.files
							? `${mb(e.indexBytesOnDisk)} (+ IVF_PQ ${mb(e.files['IVF_PQ index'])}; table dir ${mb(e.files['table directory (rows + all indexes)'])})`
							: mb(e.indexBytesOnDisk),
				e.status === 'ok'
					? e.engine === 'ours' && e.steps
						? `LSA layer: +${e.steps['LSA train + write lsa.bin']} s`
						: e.engine === 'lancedb' && e.steps?.['IVF_PQ index'] !== undefined
							? `IVF_PQ: +${e.steps['IVF_PQ index']} s`
							: ''
					: `${e.status}: ${e.reason ?? ''}`
			]);
	out.push('', pad(build, [true, false, true, true, true, false]));
	const latency: (string | number)[][] = [
		['docs', 'engine', 'class', 'n', 'p50', 'p95', 'p99', '|', 'n', 'p50', 'p95', 'p99', 'q/s']
	];
	for (const size of sizes)
		for (const e of size.engines) {
			if (e.status !== 'ok' && e.classes === undefined) continue;
			for (const cls of QUERY_CLASSES) {
				const c = e.classes?.[cls];
				if (c === undefined) continue;
				if (c.skipped) {
					latency.push([
						size.docs.toLocaleString('en-US'),
						e.engine,
						cls,
						'—',
						`(${c.skipped})`,
						'',
						'',
						'|',
						'',
						'',
						'',
						'',
						''
					]);
					continue;
				}
				latency.push([
					size.docs.toLocaleString('en-US'),
					e.engine,
					cls,
					c.c1?.n ?? '—',
					ms(c.c1?.p50),
					ms(c.c1?.p95),
					ms(c.c1?.p99),
					'|',
					c.c8?.n ?? '—',
					ms(c.c8?.p50),
					ms(c.c8?.p95),
					ms(c.c8?.p99),
					c.c8?.qps ?? '—'
				]);
				for (const part of SPLIT_NAMES) {
					const a = c.c1Split?.[part];
					const b = c.c8Split?.[part];
					if (a === undefined) continue;
					latency.push([
						'',
						'',
						`  ${part}`,
						a.n,
						ms(a.p50),
						ms(a.p95),
						ms(a.p99),
						'|',
						b?.n ?? '—',
						ms(b?.p50),
						ms(b?.p95),
						ms(b?.p99),
						''
					]);
				}
			}
		}
	out.push(
		'',
		'Top-10 latency, ms: left 1 client (sequential calls in the engine process), right 8 clients (HTTP, client wall time)',
		pad(latency, [true, false, false, true, true, true, true, false, true, true, true, true, true])
	);
	const overlap: (string | number)[][] = [['docs', 'comparison', 'queries', 'mean top-10 overlap']];
	for (const size of sizes)
		for (const [name, o] of Object.entries(size.overlap))
			overlap.push([
				size.docs.toLocaleString('en-US'),
				name,
				o.n,
				Number.isNaN(o.mean) ? '—' : o.mean.toFixed(2)
			]);
	out.push('', pad(overlap, [true, false, true, true]));
	const sweep: (string | number)[][] = [
		['docs', 'engine', 'nprobes', 'refine', 'queries', 'p50 ms', 'p95 ms', 'recall@10']
	];
	for (const size of sizes)
		for (const e of size.engines)
			for (const row of e.vectorSweep ?? [])
				sweep.push([
					size.docs.toLocaleString('en-US'),
					e.engine,
					row.nprobes,
					row.refineFactor,
					row.queries,
					ms(row.p50),
					ms(row.p95),
					row.recall10.toFixed(2)
				]);
	if (sweep.length > 1)
		out.push(
			'',
			'Vector class, IVF_PQ search knobs (1 client, after the timed classes; recall vs exact cosine)',
			pad(sweep, [true, false, true, true, true, true, true, true])
		);
	out.push('', verdict(sizes));
	return out.join('\n');
}

/** Verdict lines against the 2.7M targets, at the largest size measured, plus a power-law extrapolation. */
function verdict(sizes: SizeReport[]): string {
	const lines: string[] = [];
	const ours = sizes
		.map((s) => ({
			docs: s.docs,
			e: s.engines.find((e) => e.engine === 'ours' && e.status === 'ok')
		}))
		.filter((x): x is { docs: number; e: EngineReport } => x.e !== undefined);
	if (ours.length === 0) return 'verdict: ours did not finish at any size';
	const last = ours[ours.length - 1];
	const first = ours[0];
	const at = `at ${last.docs.toLocaleString('en-US')} (targets are for ${TARGETS.docs.toLocaleString('en-US')})`;
	// Fit value ∝ docs^a through the two extreme sizes and extend to 2.7M; linear with one size.
	const extrapolate = (pick: (e: EngineReport) => number | undefined): number | undefined => {
		const y1 = pick(last.e);
		if (y1 === undefined) return undefined;
		const y0 = pick(first.e);
		const ratio = TARGETS.docs / last.docs;
		if (y0 === undefined || first.docs === last.docs || y0 <= 0) return y1 * ratio;
		const a = Math.log(y1 / y0) / Math.log(last.docs / first.docs);
		return y1 * Math.pow(ratio, Math.max(a, 0));
	};
	const check = (
		label: string,
		value: number | undefined,
		target: number,
		unit: string,
		x?: number
	) => {
		if (value === undefined) return;
		const ok = value <= target ? 'PASS' : 'FAIL';
		const ext =
			x === undefined
				? ''
				: `; extrapolated to 2.7M ≈ ${ms(x)} ${unit} (${x <= target ? 'within' : 'over'} target)`;
		lines.push(`${label} ${at}: ${ms(value)} ${unit} vs ≤ ${target} ${unit} → ${ok}${ext}`);
	};
	const p95 = (cls: QueryClass) => (e: EngineReport) => e.classes?.[cls]?.c1?.p95;
	for (const cls of LEXICAL_CLASSES)
		check(
			`ours lexical ${cls} p95, 1 client`,
			p95(cls)(last.e),
			TARGETS.lexicalP95Ms,
			'ms',
			extrapolate(p95(cls))
		);
	check(
		'ours hybrid p95, 1 client',
		p95('hybrid')(last.e),
		TARGETS.hybridP95Ms,
		'ms',
		extrapolate(p95('hybrid'))
	);
	const ran = (e: EngineReport) => e.classes?.hybrid?.c1Split?.[SPLIT_NAMES[0]]?.p95;
	check(
		'ours hybrid p95 when the LSA side ran, 1 client',
		ran(last.e),
		TARGETS.hybridP95Ms,
		'ms',
		extrapolate(ran)
	);
	const buildTotal = (e: EngineReport) =>
		e.buildSeconds === undefined
			? undefined
			: e.buildSeconds + (e.steps?.['LSA train + write lsa.bin'] ?? 0);
	check(
		'ours build (lexical + LSA)',
		buildTotal(last.e),
		TARGETS.buildSeconds,
		's',
		extrapolate(buildTotal)
	);
	check(
		'ours peak RSS',
		last.e.peakRssMiB,
		TARGETS.peakRssMiB,
		'MiB',
		extrapolate((e) => e.peakRssMiB)
	);
	lines.push(
		'(extrapolation: value ∝ docs^a fitted through the smallest and largest size measured — an estimate, not a measurement)'
	);
	return lines.join('\n');
}

// ---------------------------------------------------------------------------

if (options.help) {
	console.log(USAGE);
} else if (options.child !== undefined) {
	const name = options.child as EngineName;
	childMain(name).catch(async (error: unknown) => {
		const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
		log(message);
		await send({ type: 'error', message });
		process.exit(1);
	});
} else {
	const stop = (signal: NodeJS.Signals) => {
		log(`\n${signal}: stopping children and removing index files`);
		cleanUp();
		process.exit(130);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	main().then(
		() => cleanUp(),
		(error: unknown) => {
			console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
			cleanUp();
			process.exitCode = 1;
		}
	);
}
