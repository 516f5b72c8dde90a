/**
 * Vector search: our IVF index (src/lib/server/search/vector/vector-index.ts) against an exact float32
 * scan, an exact int8 scan (what the LSA layer did before) and usearch HNSW, on the real LSA
 * document vectors of a generated corpus. Not a test: it measures and never gates.
 *
 *   node scripts/run-ts.mjs bench/vector-search.bench.ts --sizes 100000,1000000
 *
 * Per size: the corpus is generated (or reused) exactly as the search scale benchmark does, the
 * lexical index and LSA model are built from it once, and every document's full-precision LSA
 * vector (128-d) is cached in the scratch dir with the query vectors; later runs start from the
 * cache. Queries: `text` = short queries folded into the LSA space (two words of one real title
 * and one of another, like the scale benchmark's hybrid class), `doc` = a document's own vector
 * with the document itself excluded (the "similar papers" case). Recall@k is measured against
 * the exact float32 scan. One thread everywhere (usearch is given threads = 1).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Index as UsearchIndex } from 'usearch';
import { mulberry32 } from '$lib/core/random';
import { analyze } from '$lib/server/search/lexical/analyzer';
import { LexicalIndex } from '$lib/server/search/lexical/lexical-index';
import { DEFAULT_LSA, LsaIndex } from '$lib/server/search/semantic/lsa';
import { TopK } from '$lib/server/search/shared/top-k';
import { dotRow } from '$lib/server/search/vector/kmeans';
import { probesFor, VectorIndex } from '$lib/server/search/vector/vector-index';
import { ensureCorpus, parsePaper, readLines } from './search-scale/corpus';
import { projectRoot } from './support';

const USAGE = `Usage: node scripts/run-ts.mjs bench/vector-search.bench.ts [options]

  --sizes A,B,...      corpus sizes (default 100000,1000000)
  --dir DIR            scratch dir for corpora and cached vectors (default /tmp/dp-bench)
  --seed S             corpus seed (default 42)
  --queries N          queries per class (default 200)
  --warmup N           warm-up queries per engine, not measured (default 20)
  --usearch-max N      largest size usearch HNSW (f32) is built at, 0 = never (default 1000000)
  --usearch-i8-max N   largest size the i8-quantised usearch index is built at (default 100000)
  --connectivity M     usearch connectivity (default 16)
  -h, --help           this text`;

function parseOptions() {
	try {
		return parseArgs({
			options: {
				sizes: { type: 'string', default: '100000,1000000' },
				dir: { type: 'string', default: '/tmp/dp-bench' },
				seed: { type: 'string', default: '42' },
				queries: { type: 'string', default: '200' },
				warmup: { type: 'string', default: '20' },
				'usearch-max': { type: 'string', default: '1000000' },
				'usearch-i8-max': { type: 'string', default: '100000' },
				connectivity: { type: 'string', default: '16' },
				help: { type: 'boolean', short: 'h', default: false }
			}
		}).values;
	} catch (error) {
		console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
		process.exit(2);
	}
}

const options = parseOptions();
if (options.help) {
	console.log(USAGE);
	process.exit(0);
}
const log = (line: string): void => console.error(line);

function int(name: string, text: string, min = 1): number {
	const value = Number(text.replace(/_/g, ''));
	if (!Number.isSafeInteger(value) || value < min) {
		console.error(`--${name} must be an integer ≥ ${min}`);
		process.exit(2);
	}
	return value;
}

const sizes = options.sizes.split(',').map((s) => int('sizes', s));
const seed = int('seed', options.seed);
const queryCount = int('queries', options.queries);
const warmup = Number(options.warmup);
const usearchMax = int('usearch-max', options['usearch-max'], 0);
const usearchI8Max = int('usearch-i8-max', options['usearch-i8-max'], 0);
const connectivity = int('connectivity', options.connectivity);
const K = 10;
// The hybrid pipeline asks the semantic side for its depth (100) candidates.
const HYBRID_DEPTH = 100;

const seconds = (since: number) => Number(((performance.now() - since) / 1000).toFixed(2));
const mb = (bytes: number) => Number((bytes / 1e6).toFixed(1));

// ---------------------------------------------------------------------------
// Vectors: built once from the corpus, cached

interface VectorSet {
	dims: number;
	count: number;
	/** Row-major `count × dims` unit float32 vectors (zero rows: documents with no LSA term). */
	matrix: Float32Array;
	textQueries: Float32Array[];
	textQueryStrings: string[];
	docQueries: number[];
	prepared: { seconds: number; reused: boolean; lexicalSeconds?: number; lsaSeconds?: number };
}

interface VectorCacheMeta {
	dims: number;
	count: number;
	textQueries: number[][];
	textQueryStrings: string[];
	docQueries: number[];
	lexicalSeconds: number;
	lsaSeconds: number;
}

async function prepareVectors(size: number): Promise<VectorSet> {
	const base = path.join(options.dir, `lsa-vectors-${size}-seed${seed}`);
	const started = performance.now();
	try {
		const meta = JSON.parse(fs.readFileSync(`${base}.json`, 'utf8')) as VectorCacheMeta;
		const bytes = fs.readFileSync(`${base}.f32`);
		if (bytes.length === meta.count * meta.dims * 4 && meta.textQueries.length >= queryCount) {
			log(`vectors ${size}: reusing ${base}.f32`);
			return {
				dims: meta.dims,
				count: meta.count,
				matrix: new Float32Array(bytes.buffer, bytes.byteOffset, meta.count * meta.dims),
				textQueries: meta.textQueries.slice(0, queryCount).map((q) => Float32Array.from(q)),
				textQueryStrings: meta.textQueryStrings.slice(0, queryCount),
				docQueries: meta.docQueries.slice(0, queryCount),
				prepared: { seconds: seconds(started), reused: true }
			};
		}
	} catch {
		// No cache yet: build it.
	}
	const corpus = await ensureCorpus(projectRoot(), options.dir, size, seed, log);
	const random = mulberry32(seed ^ 0x51ed);
	// Titles of a few hundred random documents, for the text queries.
	const wanted = new Set<number>();
	while (wanted.size < Math.min(size, 4 * queryCount)) wanted.add(Math.floor(random() * size));
	const titles: string[] = [];
	const ids: string[] = [];
	function* documents() {
		for (const line of readLines(corpus.file)) {
			const paper = parsePaper(line.text);
			ids.push(paper.id);
			if (wanted.has(line.ordinal)) titles.push(paper.title);
			if (line.ordinal % 100_000 === 99_999) log(`  ${line.ordinal + 1} documents indexed`);
			yield { id: paper.id, title: paper.title, abstract: paper.abstract, authors: paper.authors };
		}
	}
	const lexicalStarted = performance.now();
	const lexical = await LexicalIndex.buildAsync(documents());
	const lexicalSeconds = seconds(lexicalStarted);
	log(`vectors ${size}: lexical index in ${lexicalSeconds} s`);
	const lsaStarted = performance.now();
	// Only the basis is needed here; one list keeps the model's own vector index cheap.
	const lsa = LsaIndex.train(lexical, DEFAULT_LSA, { lists: 1 });
	const lsaSeconds = seconds(lsaStarted);
	const dims = lsa.dims;
	const matrix = new Float32Array(size * dims);
	ids.forEach((id, row) => {
		const vector = lsa.foldDocument(lexical, id);
		if (vector !== null) matrix.set(vector, row * dims);
	});
	log(`vectors ${size}: LSA model in ${lsaSeconds} s, ${size} documents folded`);
	const textQueries: number[][] = [];
	const textQueryStrings: string[] = [];
	const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
	for (let attempt = 0; textQueries.length < queryCount && attempt < 100 * queryCount; attempt++) {
		const first = [...new Set(analyze(pick(titles)))];
		const second = analyze(pick(titles));
		if (first.length < 2 || second.length === 0) continue;
		const a = pick(first);
		const b = pick(first.filter((w) => w !== a));
		const text = `${a} ${b} ${pick(second)}`;
		const vector = lsa.queryVector(analyze(text));
		if (vector === null) continue;
		textQueries.push(Array.from(vector));
		textQueryStrings.push(text);
	}
	const docQueries: number[] = [];
	while (docQueries.length < queryCount) {
		const row = Math.floor(random() * size);
		if (matrix[row * dims] !== 0 || matrix[row * dims + 1] !== 0) docQueries.push(row);
	}
	fs.writeFileSync(`${base}.f32.tmp`, new Uint8Array(matrix.buffer));
	fs.renameSync(`${base}.f32.tmp`, `${base}.f32`);
	const meta: VectorCacheMeta = {
		dims,
		count: size,
		textQueries,
		textQueryStrings,
		docQueries,
		lexicalSeconds,
		lsaSeconds
	};
	fs.writeFileSync(`${base}.json`, JSON.stringify(meta));
	return {
		dims,
		count: size,
		matrix,
		textQueries: textQueries.map((q) => Float32Array.from(q)),
		textQueryStrings,
		docQueries,
		prepared: { seconds: seconds(started), reused: false, lexicalSeconds, lsaSeconds }
	};
}

// ---------------------------------------------------------------------------
// Engines

/** One query: a vector, how many neighbours, and the ordinal to leave out (doc queries). */
interface Query {
	vector: Float32Array;
	k: number;
	exclude: number;
}

interface Engine {
	name: string;
	buildSeconds: number;
	bytes: number;
	bytesNote: string;
	search(query: Query): number[];
}

/** Exact cosine scan over the float32 matrix: the ground truth, and a latency floor to beat. */
function exactFloatEngine(set: VectorSet): Engine {
	const { dims, count, matrix } = set;
	return {
		name: 'exact float32 scan',
		buildSeconds: 0,
		bytes: matrix.byteLength,
		bytesNote: 'the float32 matrix',
		search({ vector, k, exclude }) {
			const q = Float64Array.from(vector);
			const heap = new TopK(k);
			for (let r = 0; r < count; r++) {
				const score = dotRow(matrix, r, q, dims);
				if (score > heap.threshold && r !== exclude) heap.push(r, score);
			}
			return heap.sorted().map((h) => h.item);
		}
	};
}

function ourEngine(
	name: string,
	index: VectorIndex,
	buildSeconds: number,
	probes?: number
): Engine {
	return {
		name,
		buildSeconds,
		bytes: index.bytes(),
		bytesNote: `VectorIndex.bytes(); file ${mb(index.serialize().length)} MB`,
		search: ({ vector, k, exclude }) =>
			index
				.search(vector, k, {
					probes,
					filter: exclude < 0 ? undefined : (ordinal) => ordinal !== exclude
				})
				.map((h) => h.item)
	};
}

/** Builds usearch HNSW over the matrix; returns it measured at its default expansion. */
function usearchEngine(set: VectorSet, quantization: 'f32' | 'i8'): Engine & { file: string } {
	const { dims, count, matrix } = set;
	const index = new UsearchIndex({
		metric: 'cos',
		dimensions: dims,
		connectivity,
		quantization
	} as ConstructorParameters<typeof UsearchIndex>[0]);
	const started = performance.now();
	const keys = new BigUint64Array(count);
	for (let i = 0; i < count; i++) keys[i] = BigInt(i);
	// Batches, so progress shows; threads = 1 like every other engine here.
	const batch = 50_000;
	for (let at = 0; at < count; at += batch) {
		const end = Math.min(count, at + batch);
		index.add(keys.subarray(at, end), matrix.subarray(at * dims, end * dims), 1);
		if (end % 200_000 === 0 || end === count)
			log(`  usearch ${quantization}: ${end} vectors, ${seconds(started)} s`);
	}
	const buildSeconds = seconds(started);
	const file = path.join(os.tmpdir(), `vector-bench-usearch-${process.pid}-${quantization}.bin`);
	index.save(file);
	return {
		name: `usearch HNSW ${quantization} (M=${connectivity}, default ef)`,
		buildSeconds,
		bytes: fs.statSync(file).size,
		bytesNote: 'saved file',
		file,
		search: usearchSearch(index)
	};
}

/** The same saved usearch graph searched with a wider beam (`expansion_search`). */
function usearchWithExpansion(
	built: Engine & { file: string },
	set: VectorSet,
	ef: number
): Engine {
	const index = new UsearchIndex({
		metric: 'cos',
		dimensions: set.dims,
		connectivity,
		quantization: built.name.includes(' i8 ') ? 'i8' : 'f32',
		expansion_search: ef
	} as ConstructorParameters<typeof UsearchIndex>[0]);
	index.load(built.file);
	return {
		...built,
		name: built.name.replace('default ef', `ef ${ef}`),
		search: usearchSearch(index)
	};
}

function usearchSearch(index: UsearchIndex): Engine['search'] {
	return ({ vector, k, exclude }) => {
		const matches = index.search(vector, exclude < 0 ? k : k + 1, 1);
		const out: number[] = [];
		for (const key of matches.keys) {
			const ordinal = Number(key);
			if (ordinal !== exclude && out.length < k) out.push(ordinal);
		}
		return out;
	};
}

// ---------------------------------------------------------------------------
// Measurement

interface Latency {
	n: number;
	p50: number;
	p95: number;
	p99: number;
	mean: number;
}

function summarize(samples: readonly number[]): Latency {
	const sorted = [...samples].sort((a, b) => a - b);
	const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
	const round = (x: number) => Number(x.toFixed(3));
	return {
		n: sorted.length,
		p50: round(rank(50)),
		p95: round(rank(95)),
		p99: round(rank(99)),
		mean: round(sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length))
	};
}

interface ClassResult {
	latency: Latency;
	/** Mean |result ∩ exact| / k. */
	recall: number;
}

const CLASSES = ['text k=10', 'doc k=10', `text k=${HYBRID_DEPTH}`] as const;
type QueryClass = (typeof CLASSES)[number];

function queriesOf(set: VectorSet): Record<QueryClass, Query[]> {
	const doc = set.docQueries.map((row) => ({
		vector: set.matrix.slice(row * set.dims, (row + 1) * set.dims),
		k: K,
		exclude: row
	}));
	return {
		'text k=10': set.textQueries.map((vector) => ({ vector, k: K, exclude: -1 })),
		'doc k=10': doc,
		[`text k=${HYBRID_DEPTH}`]: set.textQueries.map((vector) => ({
			vector,
			k: HYBRID_DEPTH,
			exclude: -1
		}))
	} as Record<QueryClass, Query[]>;
}

function measure(
	engine: Engine,
	queries: Record<QueryClass, Query[]>,
	truth: Record<QueryClass, number[][]> | null
): Record<QueryClass, ClassResult> {
	const out = {} as Record<QueryClass, ClassResult>;
	for (const cls of CLASSES) {
		const list = queries[cls];
		for (let i = 0; i < Math.min(warmup, list.length); i++) engine.search(list[i]);
		const times: number[] = [];
		const results: number[][] = [];
		for (const query of list) {
			const t0 = performance.now();
			results.push(engine.search(query));
			times.push(performance.now() - t0);
		}
		let recall = 1;
		if (truth !== null) {
			let sum = 0;
			results.forEach((result, i) => {
				const expected = new Set(truth[cls][i]);
				sum += result.filter((r) => expected.has(r)).length / Math.max(1, expected.size);
			});
			recall = Number((sum / results.length).toFixed(4));
		}
		out[cls] = { latency: summarize(times), recall };
		if (truth === null) (out[cls] as ClassResult & { results?: number[][] }).results = results;
	}
	return out;
}

interface EngineReport {
	name: string;
	buildSeconds: number;
	bytes: number;
	bytesNote: string;
	classes: Record<QueryClass, ClassResult>;
	note?: string;
}

async function runSize(size: number) {
	const set = await prepareVectors(size);
	const queries = queriesOf(set);
	const reports: EngineReport[] = [];
	const report = (engine: Engine, classes: Record<QueryClass, ClassResult>, note?: string) => {
		reports.push({
			name: engine.name,
			buildSeconds: engine.buildSeconds,
			bytes: engine.bytes,
			bytesNote: engine.bytesNote,
			classes,
			...(note ? { note } : {})
		});
		const row = CLASSES.map(
			(c) => `${c}: p95 ${classes[c].latency.p95} ms recall ${classes[c].recall}`
		).join(' | ');
		log(`  ${size} ${engine.name}: build ${engine.buildSeconds} s | ${row}`);
	};

	log(`size ${size}: exact float32 scan (ground truth)`);
	const exact = exactFloatEngine(set);
	const exactClasses = measure(exact, queries, null);
	const truth = {} as Record<QueryClass, number[][]>;
	for (const cls of CLASSES)
		truth[cls] = (exactClasses[cls] as ClassResult & { results: number[][] }).results;
	for (const cls of CLASSES) delete (exactClasses[cls] as { results?: unknown }).results;
	report(exact, exactClasses, 'the reference: recall 1 by definition');

	let started = performance.now();
	const flat = VectorIndex.build(set.matrix, set.dims, { lists: 1 });
	const flatEngine = ourEngine(
		`exact int8 scan (VectorIndex, 1 list, ${flat.simd ? 'Wasm SIMD' : 'JavaScript'})`,
		flat,
		seconds(started)
	);
	report(flatEngine, measure(flatEngine, queries, truth));

	started = performance.now();
	// exactBelow 0: the IVF path at every size (the default keeps small collections exact).
	const ivf = VectorIndex.build(set.matrix, set.dims, { exactBelow: 0 });
	const ivfSeconds = seconds(started);
	const autoProbes = probesFor(ivf.listCount);
	const probeSweep = [...new Set([0.2, 0.4, 0.6, 0.8].map((f) => Math.round(f * ivf.listCount)))];
	if (!probeSweep.includes(autoProbes)) probeSweep.push(autoProbes);
	for (const probes of probeSweep.sort((a, b) => a - b)) {
		const engine = ourEngine(
			`ours IVF, ${ivf.listCount} lists, ${probes} probes${probes === autoProbes ? ' (default)' : ''}`,
			ivf,
			ivfSeconds,
			probes
		);
		report(engine, measure(engine, queries, truth));
	}
	started = performance.now();
	const reranked = VectorIndex.build(set.matrix, set.dims, { exactBelow: 0, rerank: 4 });
	const rerankEngine = ourEngine(
		`ours IVF + float32 re-rank ×4, ${autoProbes} probes`,
		reranked,
		seconds(started)
	);
	report(rerankEngine, measure(rerankEngine, queries, truth));

	if (size <= usearchMax) {
		// i8 loses recall on unit vectors (its scale assumes components near ±1), so it is shown
		// at the small size only: its build is the long part of the run.
		const kinds = size <= usearchI8Max ? (['f32', 'i8'] as const) : (['f32'] as const);
		for (const quantization of kinds) {
			log(`size ${size}: usearch ${quantization}`);
			const engine = usearchEngine(set, quantization);
			report(engine, measure(engine, queries, truth));
			const wide = usearchWithExpansion(engine, set, 512);
			report(wide, measure(wide, queries, truth));
			fs.rmSync(engine.file, { force: true });
		}
	}
	return {
		size,
		dims: set.dims,
		prepared: set.prepared,
		lists: ivf.listCount,
		defaultProbes: autoProbes,
		exampleTextQueries: set.textQueryStrings.slice(0, 5),
		engines: reports
	};
}

// ---------------------------------------------------------------------------
// Main

const startedAt = new Date();
const benchStarted = performance.now();
const load = () =>
	os
		.loadavg()
		.map((x) => x.toFixed(2))
		.join('/');
const loadBefore = load();
const results = [];
for (const size of sizes) results.push(await runSize(size));
const output = {
	benchmark: 'vector-search',
	startedAt: startedAt.toISOString(),
	seconds: seconds(benchStarted),
	machine: {
		cpu: os.cpus()[0]?.model,
		cores: os.cpus().length,
		memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
		node: process.version,
		load: `${loadBefore} → ${load()}`
	},
	usearch: '2.21.4',
	k: K,
	queriesPerClass: queryCount,
	results
};
const resultsDir = path.join(projectRoot(), 'bench', 'results');
fs.mkdirSync(resultsDir, { recursive: true });
const resultsFile = path.join(
	resultsDir,
	`vector-search-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`
);
fs.writeFileSync(resultsFile, JSON.stringify(output, null, '\t'));
console.log(JSON.stringify(output, null, '\t'));

const pad = (text: string | number, width: number, right = false) =>
	right ? String(text).padEnd(width) : String(text).padStart(width);
const lines: string[] = [];
lines.push(
	`Vector search — ${output.machine.cpu}, ${output.machine.cores} cores, Node ${process.version}, load ${output.machine.load}, 1 thread per engine`
);
lines.push('');
const nameWidth = Math.max(...results.flatMap((r) => r.engines.map((e) => e.name.length)));
lines.push(
	`${pad('vectors', 9)}  ${pad('engine', nameWidth, true)}  ${pad('build s', 7)}  ${pad('MB', 7)}  ` +
		CLASSES.map((c) => pad(`${c}: p50 / p95 ms, recall`, 34)).join('  ')
);
for (const r of results) {
	for (const e of r.engines) {
		lines.push(
			`${pad(r.size.toLocaleString('en-US'), 9)}  ${pad(e.name, nameWidth, true)}  ${pad(e.buildSeconds, 7)}  ${pad(mb(e.bytes), 7)}  ` +
				CLASSES.map((c) => {
					const x = e.classes[c];
					return pad(`${x.latency.p50} / ${x.latency.p95}, ${x.recall.toFixed(3)}`, 34);
				}).join('  ')
		);
	}
}
lines.push('');
lines.push(`JSON: ${path.relative(projectRoot(), resultsFile)}`);
console.log(lines.join('\n'));
