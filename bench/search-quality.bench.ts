/**
 * Search-quality benchmark: nDCG@10 / Recall@100 / MRR@10 of our retrieval pipelines on CISI,
 * Cranfield (BEIR layout) and the HF known-item set, next to the named peers measured in the same
 * run — SQLite FTS5 `bm25()` with the porter tokenizer (better-sqlite3, in memory) and LanceDB's
 * native full-text index (BM25, English stemming, with and without stop words). Then the cost
 * side on a synthetic corpus (default 100k documents): build time, memory, query latency,
 * serialize/deserialize, incremental add/remove. Not a test: it measures and never gates.
 *
 *   node scripts/run-ts.mjs bench/search-quality.bench.ts [--synthetic N] [--save]
 *
 * Prints one JSON object and readable tables; `--save` also writes the JSON to bench/results/.
 * Data: $DP_SHARED_DATA (default ../shared/data): cisi/beir, cranfield/beir, hf-daily-papers.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type * as LanceDb from '@lancedb/lancedb';
import SQLite from 'better-sqlite3';
import { analyze } from '$lib/server/search/lexical/analyzer';
import { evaluateEngine, type EvalConfig, type EvalRow } from '$lib/server/search/eval/beir';
import {
	readBeirCorpus,
	readBeirQrels,
	readBeirQueries,
	type BeirQuery
} from '$lib/server/search/eval/beir-data';
import {
	DEFAULT_RETRIEVAL,
	LEXICAL_ONLY,
	SEMANTIC_ONLY,
	SearchEngine,
	type RetrievalConfig
} from '$lib/server/search/search-engine';
import { loadKnownItemSet } from '$lib/server/search/eval/known-item';
import { LexicalIndex } from '$lib/server/search/lexical/lexical-index';
import type { IndexDocument } from '$lib/server/search/lexical/lexical-types';
import { mulberry32 } from '$lib/server/search/semantic/linalg';
import { DEFAULT_LSA, LsaIndex } from '$lib/server/search/semantic/lsa';
import { summarize, type Qrels, type RunEntry } from '$lib/server/search/eval/metrics';
import { projectRoot } from './support';

const USAGE = `Usage: node scripts/run-ts.mjs bench/search-quality.bench.ts [options]

  --synthetic N   documents in the synthetic scale test (default 100000; 0 skips it)
  --save          also write the JSON report to bench/results/
  -h, --help      this text`;

const { values: options } = parseArgs({
	options: {
		synthetic: { type: 'string', default: '100000' },
		save: { type: 'boolean', default: false },
		help: { type: 'boolean', short: 'h', default: false }
	}
});
if (options.help) {
	console.log(USAGE);
	process.exit(0);
}
const syntheticDocs = Number(options.synthetic);
if (!Number.isInteger(syntheticDocs) || syntheticDocs < 0) {
	console.error('--synthetic must be a non-negative integer');
	process.exit(2);
}

const root = projectRoot();
const shared = process.env.DP_SHARED_DATA ?? path.resolve(process.cwd(), '../shared/data');
const log = (line: string): void => console.error(line);

// ---------------------------------------------------------------------------
// Pipelines measured. The default is DEFAULT_RETRIEVAL; the rest are what was tried against it.

const A = { ...DEFAULT_RETRIEVAL };
const CONFIGS: EvalConfig[] = [
	{ name: 'BM25F (lexical-only)', retrieval: LEXICAL_ONLY },
	{
		name: 'BM25F + RM3',
		retrieval: { ...LEXICAL_ONLY, lexical: 'rm3' }
	},
	{
		name: 'BM25F + RM3 × mismatch',
		retrieval: { ...A, lexical: 'rm3', semantic: false }
	},
	{ name: 'LSA only', retrieval: SEMANTIC_ONLY },
	{
		name: 'hybrid: convex 0.3 (fixed)',
		retrieval: {
			...A,
			mismatchAdaptive: false,
			fusion: { method: 'convex', semanticWeight: 0.3, normalization: 'minmax' }
		}
	},
	{
		name: 'hybrid: RRF × mismatch',
		retrieval: { ...A, fusion: { method: 'rrf', k: 60, semanticWeight: 1 } }
	},
	{ name: 'hybrid: RM3 + LSA × mismatch', retrieval: { ...A, lexical: 'rm3' } },
	{ name: 'hybrid default: BM25F + LSA × mismatch', retrieval: DEFAULT_RETRIEVAL }
];
const FTS5_NAME = 'peer: SQLite FTS5 bm25 (porter)';
const LANCEDB_HYBRID = 'peer: LanceDB hybrid (its FTS + our LSA vectors, RRF k=60)';
const LANCEDB_PEERS = [
	{ name: 'peer: LanceDB FTS (English stemming)', removeStopWords: false, hybrid: false },
	{
		name: 'peer: LanceDB FTS (English stemming, stop words removed)',
		removeStopWords: true,
		hybrid: false
	},
	{ name: LANCEDB_HYBRID, removeStopWords: false, hybrid: true }
] as const;
const PEER_NAMES = [FTS5_NAME, ...LANCEDB_PEERS.map((p) => p.name)];

// ---------------------------------------------------------------------------
// The peer: FTS5 with the porter tokenizer over (title, body), ranked by bm25().

interface Fts5Result {
	row: EvalRow;
	buildMs: number;
}

function fts5Peer(
	docs: readonly IndexDocument[],
	queries: readonly BeirQuery[],
	qrels: Qrels
): Fts5Result {
	const db = new SQLite(':memory:');
	const started = performance.now();
	db.exec(
		`CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, title, body, tokenize = 'porter unicode61')`
	);
	const insert = db.prepare('INSERT INTO t (id, title, body) VALUES (?, ?, ?)');
	db.transaction(() => {
		for (const doc of docs) insert.run(doc.id, doc.title ?? '', doc.abstract ?? '');
	})();
	const buildMs = performance.now() - started;
	const select = db.prepare(
		'SELECT id, bm25(t) AS score FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 100'
	);
	const runs = new Map<string, RunEntry[]>();
	const judged = queries.filter((q) => qrels.has(q.id));
	const queryStarted = performance.now();
	for (const query of judged) {
		// Every word as a quoted string, OR-ed: bag-of-words like our side, and immune to FTS5
		// query syntax (a query word such as "NOT" or a stray quote would otherwise be parsed).
		const words = query.text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
		const match = words.map((w) => `"${w}"`).join(' OR ');
		const rows = match === '' ? [] : (select.all(match) as { id: string; score: number }[]);
		// bm25() is lower-is-better; negate so that higher is better like every other run.
		runs.set(
			query.id,
			rows.map((r) => ({ docId: r.id, score: -r.score }))
		);
	}
	const msPerQuery = (performance.now() - queryStarted) / Math.max(1, judged.length);
	db.close();
	return { row: { config: FTS5_NAME, ...summarize(runs, qrels), msPerQuery }, buildMs };
}

// ---------------------------------------------------------------------------
// The peer: LanceDB 0.31 full-text search (BM25) over one text column, title + body, like
// FTS5's one-document-per-row scoring, in a temporary on-disk table.

/** The LSA vectors our engine scores with, handed to the LanceDB hybrid peer. */
interface LsaVectors {
	dims: number;
	/** A document's fold-in (null: no vocabulary term). */
	doc(id: string): Float64Array | null;
	query(text: string): Float64Array | null;
}

function lsaVectors(lexical: LexicalIndex, lsa: LsaIndex): LsaVectors {
	return {
		dims: lsa.dims,
		doc(id) {
			const terms: string[] = [];
			lexical.forEachTerm(lexical.docNoOf(id), (termId, tf) => {
				for (let i = 0; i < tf; i++) terms.push(lexical.term(termId));
			});
			return lsa.queryVector(terms);
		},
		query: (text) => lsa.queryVector(analyze(text))
	};
}

async function lanceDbPeers(
	docs: readonly IndexDocument[],
	queries: readonly BeirQuery[],
	qrels: Qrels,
	vectors: LsaVectors
): Promise<{ rows: EvalRow[]; buildMs: number }> {
	// With one CPU thread Lance's FTS build can hang (peer-engines.md); set before it loads.
	process.env.LANCE_CPU_THREADS ??= String(Math.max(2, os.availableParallelism()));
	process.env.LANCEDB_LOG ??= 'error';
	const lancedb = createRequire(import.meta.url)('@lancedb/lancedb') as typeof LanceDb;
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-quality-lancedb-'));
	try {
		const db = await lancedb.connect(dir);
		const rrf = await lancedb.rerankers.RRFReranker.create(60);
		const zero = new Array<number>(vectors.dims).fill(0);
		const rows: EvalRow[] = [];
		let buildMs = 0;
		const judged = queries.filter((q) => qrels.has(q.id));
		for (const peer of LANCEDB_PEERS) {
			const started = performance.now();
			const table = await db.createTable(
				'docs',
				docs.map((doc) => ({
					id: doc.id,
					text: `${doc.title ?? ''}\n${doc.abstract ?? ''}`,
					...(peer.hybrid ? { vector: Array.from(vectors.doc(doc.id) ?? zero) } : {})
				})),
				{ mode: 'overwrite' }
			);
			await table.createIndex('text', {
				config: lancedb.Index.fts({
					baseTokenizer: 'simple',
					lowercase: true,
					asciiFolding: true,
					stem: true,
					language: 'English',
					removeStopWords: peer.removeStopWords,
					withPosition: false
				})
			});
			if (!peer.hybrid) buildMs = Math.max(buildMs, performance.now() - started);
			const runs = new Map<string, RunEntry[]>();
			const queryStarted = performance.now();
			for (const query of judged) {
				// MatchQuery is plain text through the index's own tokenizer (no query syntax), OR-ed.
				const match = new lancedb.MatchQuery(query.text, 'text');
				const v = peer.hybrid ? vectors.query(query.text) : null;
				// Few thousand rows: no vector index, the vector side is an exact scan.
				const hits = (
					v === null
						? await table
								.query()
								.fullTextSearch(match)
								.select(['id', '_score'])
								.limit(100)
								.toArray()
						: await table
								.query()
								.nearestTo(Array.from(v))
								.distanceType('cosine')
								.fullTextSearch(match)
								.rerank(rrf)
								.select(['id'])
								.limit(100)
								.toArray()
				) as { id: string; _score?: number; _relevance_score?: number }[];
				runs.set(
					query.id,
					hits.map((hit) => ({ docId: hit.id, score: hit._relevance_score ?? hit._score ?? 0 }))
				);
			}
			const msPerQuery = (performance.now() - queryStarted) / Math.max(1, judged.length);
			rows.push({ config: peer.name, ...summarize(runs, qrels), msPerQuery });
			table.close();
		}
		db.close();
		return { rows, buildMs };
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

// ---------------------------------------------------------------------------
// Quality per collection.

interface CollectionReport {
	name: string;
	docs: number;
	queries: number;
	buildMs: { lexical: number; lsa: number; fts5: number; lancedb: number };
	rows: EvalRow[];
}

async function measureCollection(
	name: string,
	docs: IndexDocument[],
	queries: BeirQuery[],
	qrels: Qrels
): Promise<CollectionReport> {
	log(`› ${name}: ${docs.length} docs, ${qrels.size} judged queries`);
	let started = performance.now();
	const lexical = LexicalIndex.build(docs);
	const lexicalMs = performance.now() - started;
	started = performance.now();
	const lsa = LsaIndex.train(lexical, DEFAULT_LSA);
	const lsaMs = performance.now() - started;
	const engine = new SearchEngine(lexical, lsa);
	const { rows } = evaluateEngine(engine, queries, qrels, CONFIGS);
	const peer = fts5Peer(docs, queries, qrels);
	const lance = await lanceDbPeers(docs, queries, qrels, lsaVectors(lexical, lsa));
	return {
		name,
		docs: docs.length,
		queries: qrels.size,
		buildMs: {
			lexical: round(lexicalMs),
			lsa: round(lsaMs),
			fts5: round(peer.buildMs),
			lancedb: round(lance.buildMs)
		},
		rows: [...rows, peer.row, ...lance.rows].map((row) => ({
			...row,
			ndcg10: round(row.ndcg10, 4),
			recall100: round(row.recall100, 4),
			mrr10: round(row.mrr10, 4),
			msPerQuery: round(row.msPerQuery, 3)
		}))
	};
}

async function readBeir(
	dir: string
): Promise<{ docs: IndexDocument[]; queries: BeirQuery[]; qrels: Qrels }> {
	const docs: IndexDocument[] = [];
	for await (const doc of readBeirCorpus(dir)) docs.push(doc);
	return { docs, queries: await readBeirQueries(dir), qrels: await readBeirQrels(dir) };
}

// ---------------------------------------------------------------------------
// Scale: a synthetic corpus made by recombining real titles, abstract sentences and authors,
// so its vocabulary and length statistics resemble the real feed.

function* syntheticCorpus(
	source: readonly IndexDocument[],
	n: number,
	seed: number
): Generator<IndexDocument> {
	const random = mulberry32(seed);
	const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
	const sentences = source.flatMap((doc) => (doc.abstract ?? '').split(/(?<=\.)\s+/));
	const names = source.flatMap((doc) => (Array.isArray(doc.authors) ? doc.authors : []));
	const titleWords = source.flatMap((doc) => (doc.title ?? '').split(/\s+/));
	for (let i = 0; i < n; i++) {
		const base = pick(source).title ?? '';
		const title = `${base} ${pick(titleWords)} ${pick(titleWords)}`;
		const abstract = Array.from({ length: 4 + Math.floor(random() * 5) }, () =>
			pick(sentences)
		).join(' ');
		const authors = Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(names));
		yield { id: `syn${i}`, title, abstract, authors };
	}
}

function percentile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) return 0;
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function latency(run: () => void, repeat: number): { mean: number; p50: number; p95: number } {
	const samples: number[] = [];
	for (let i = 0; i < repeat; i++) {
		const started = performance.now();
		run();
		samples.push(performance.now() - started);
	}
	samples.sort((a, b) => a - b);
	const mean = samples.reduce((s, v) => s + v, 0) / samples.length;
	return {
		mean: round(mean, 3),
		p50: round(percentile(samples, 50), 3),
		p95: round(percentile(samples, 95), 3)
	};
}

interface ScaleReport {
	docs: number;
	buildMs: { lexical: number; lsa: number };
	docsPerSecond: number;
	stats: ReturnType<LexicalIndex['stats']>;
	lsaBytes: number;
	serialize: { ms: number; bytes: number; deserializeMs: number };
	queryMs: Record<string, { mean: number; p50: number; p95: number }>;
	incremental: { addMsPerDoc: number; removeMsPerDoc: number; firstSearchAfterChangesMs: number };
}

async function measureScale(
	source: readonly IndexDocument[],
	queries: readonly BeirQuery[],
	n: number
): Promise<ScaleReport> {
	log(`› synthetic scale test: ${n} docs`);
	let started = performance.now();
	const lexical = LexicalIndex.build(syntheticCorpus(source, n, 7));
	const lexicalMs = performance.now() - started;
	started = performance.now();
	const lsa = LsaIndex.train(lexical, DEFAULT_LSA);
	const lsaMs = performance.now() - started;
	const engine = new SearchEngine(lexical, lsa);
	const stats = lexical.stats();
	const terms = queries.map((q) => analyze(q.text));
	const queryMs: ScaleReport['queryMs'] = {};
	const measured: [string, RetrievalConfig][] = [
		['BM25F (lexical-only)', LEXICAL_ONLY],
		['BM25F + RM3', { ...LEXICAL_ONLY, lexical: 'rm3' }],
		['LSA only', SEMANTIC_ONLY],
		['hybrid default', DEFAULT_RETRIEVAL]
	];
	for (const [name, config] of measured) {
		let i = 0;
		latency(() => engine.search(terms[i++ % terms.length], config, { k: 10 }), 20);
		i = 0;
		queryMs[name] = latency(
			() => engine.search(terms[i++ % terms.length], config, { k: 10 }),
			terms.length
		);
	}
	started = performance.now();
	const bytes = lexical.serialize();
	const serializeMs = performance.now() - started;
	started = performance.now();
	LexicalIndex.deserialize(bytes);
	const deserializeMs = performance.now() - started;
	// Incremental: 1,000 adds then 1,000 removes, as a replica following the change feed would.
	const extra = [...syntheticCorpus(source, 1000, 99)].map((doc) => ({
		...doc,
		id: `new-${doc.id}`
	}));
	started = performance.now();
	for (const doc of extra) engine.add(doc);
	const addMs = (performance.now() - started) / extra.length;
	started = performance.now();
	for (const doc of extra) engine.remove(doc.id);
	const removeMs = (performance.now() - started) / extra.length;
	started = performance.now();
	engine.search(terms[0], DEFAULT_RETRIEVAL, { k: 10 });
	const firstSearchMs = performance.now() - started;
	return {
		docs: n,
		buildMs: { lexical: round(lexicalMs), lsa: round(lsaMs) },
		docsPerSecond: Math.round(n / (lexicalMs / 1000)),
		stats,
		lsaBytes: lsa.bytes(),
		serialize: { ms: round(serializeMs), bytes: bytes.length, deserializeMs: round(deserializeMs) },
		queryMs,
		incremental: {
			addMsPerDoc: round(addMs, 3),
			removeMsPerDoc: round(removeMs, 3),
			firstSearchAfterChangesMs: round(firstSearchMs, 1)
		}
	};
}

// ---------------------------------------------------------------------------
// Output.

function round(value: number, digits = 1): number {
	const f = 10 ** digits;
	return Math.round(value * f) / f;
}

function renderQualityTable(collections: readonly CollectionReport[]): string {
	const names = [...CONFIGS.map((c) => c.name), ...PEER_NAMES];
	const header = ['configuration', ...collections.map((c) => `${c.name} nDCG@10 / R@100 / MRR@10`)];
	const lines = names.map((name) => [
		name,
		...collections.map((c) => {
			const row = c.rows.find((r) => r.config === name);
			return row === undefined
				? '–'
				: `${row.ndcg10.toFixed(4)} / ${row.recall100.toFixed(4)} / ${row.mrr10.toFixed(4)}`;
		})
	]);
	const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
	const render = (cells: string[]): string =>
		cells.map((cell, i) => cell.padEnd(widths[i])).join('  ');
	return [render(header), render(widths.map((w) => '-'.repeat(w))), ...lines.map(render)].join(
		'\n'
	);
}

function renderLatencyTable(collections: readonly CollectionReport[]): string {
	const names = [...CONFIGS.map((c) => c.name), ...PEER_NAMES];
	const header = ['ms per query', ...collections.map((c) => c.name)];
	const build = [
		'build ms (lexical + LSA | FTS5 | LanceDB)',
		...collections.map(
			(c) => `${c.buildMs.lexical} + ${c.buildMs.lsa} | ${c.buildMs.fts5} | ${c.buildMs.lancedb}`
		)
	];
	const lines = [
		build,
		...names.map((name) => [
			name,
			...collections.map((c) => String(c.rows.find((r) => r.config === name)?.msPerQuery ?? '–'))
		])
	];
	const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
	const render = (cells: string[]): string =>
		cells
			.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
			.join('  ');
	return [render(header), ...lines.map(render)].join('\n');
}

async function main(): Promise<number> {
	const cisiDir = path.join(shared, 'cisi', 'beir');
	const cranfieldDir = path.join(shared, 'cranfield', 'beir');
	const papers = path.join(shared, 'hf-daily-papers', 'papers.jsonl');
	for (const required of [cisiDir, cranfieldDir, papers]) {
		if (!fs.existsSync(required)) {
			console.error(`missing ${required}: set DP_SHARED_DATA to the shared data folder`);
			return 1;
		}
	}
	const loadStart = os.loadavg()[0];
	const collections: CollectionReport[] = [];
	const cisi = await readBeir(cisiDir);
	collections.push(await measureCollection('CISI', cisi.docs, cisi.queries, cisi.qrels));
	const cranfield = await readBeir(cranfieldDir);
	collections.push(
		await measureCollection('Cranfield', cranfield.docs, cranfield.queries, cranfield.qrels)
	);
	const hf = await loadKnownItemSet(papers);
	collections.push(await measureCollection('HF known-item', hf.docs, hf.queries, hf.qrels));
	const scale = syntheticDocs > 0 ? await measureScale(hf.docs, hf.queries, syntheticDocs) : null;
	const report = {
		benchmark: 'search-quality',
		date: new Date().toISOString(),
		command: `node scripts/run-ts.mjs bench/search-quality.bench.ts${syntheticDocs !== 100000 ? ` --synthetic ${syntheticDocs}` : ''}`,
		machine: {
			cpus: os.cpus().length,
			cpu: os.cpus()[0]?.model ?? 'unknown',
			node: process.version,
			loadAverage: { start: round(loadStart, 2), end: round(os.loadavg()[0], 2) }
		},
		default: DEFAULT_RETRIEVAL,
		lsa: DEFAULT_LSA,
		collections,
		scale
	};
	const json = JSON.stringify(report, null, 2);
	console.log(json);
	console.log('');
	console.log(renderQualityTable(collections));
	console.log('');
	console.log(renderLatencyTable(collections));
	if (scale !== null) {
		console.log(
			`\nscale (${scale.docs} synthetic docs): lexical build ${scale.buildMs.lexical} ms (${scale.docsPerSecond} docs/s), ` +
				`LSA ${scale.buildMs.lsa} ms; index ${(scale.stats.bytes / 1e6).toFixed(0)} MB, LSA ${(scale.lsaBytes / 1e6).toFixed(0)} MB; ` +
				`serialize ${scale.serialize.ms} ms → ${(scale.serialize.bytes / 1e6).toFixed(0)} MB, deserialize ${scale.serialize.deserializeMs} ms`
		);
		for (const [name, l] of Object.entries(scale.queryMs))
			console.log(`  ${name.padEnd(22)} mean ${l.mean} ms  p50 ${l.p50} ms  p95 ${l.p95} ms`);
		console.log(
			`  add ${scale.incremental.addMsPerDoc} ms/doc, remove ${scale.incremental.removeMsPerDoc} ms/doc, ` +
				`first search after 2,000 changes ${scale.incremental.firstSearchAfterChangesMs} ms`
		);
	}
	if (options.save) {
		const dir = path.join(root, 'bench', 'results');
		fs.mkdirSync(dir, { recursive: true });
		const file = path.join(dir, `search-quality-${report.date.replace(/[:.]/g, '-')}.json`);
		fs.writeFileSync(file, `${json}\n`);
		log(`› wrote ${path.relative(root, file)}`);
	}
	return 0;
}

process.exitCode = await main();
