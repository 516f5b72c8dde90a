/**
 * Offline evaluation on BEIR-layout collections: index a corpus into a throw-away in-memory
 * engine, run its queries through one or more retrieval pipelines, and report nDCG@10,
 * Recall@100 and MRR@10 (trec_eval conventions, see metrics.ts), optionally writing a TREC run.
 * `dailypapers eval --beir <dir> [--run file] [--embedding-model <dir|hub id>]` is a thin
 * wrapper around {@link runBeirEval}; with a model, its pipelines are measured beside LSA's.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { analyze } from '../lexical/analyzer';
import { readBeirCorpus, readBeirQrels, readBeirQueries, type BeirQuery } from './beir-data';
import { DocumentEmbeddings, type EmbeddableDocument } from '../embeddings/document-embeddings';
import type { EmbeddingProvider } from '../embeddings/provider';
import {
	DEFAULT_RETRIEVAL,
	LEXICAL_ONLY,
	SEMANTIC_ONLY,
	SearchEngine,
	type EngineOptions,
	type RetrievalConfig
} from '../search-engine';
import { formatTrecRun, summarize, type MetricSummary, type Qrels, type RunEntry } from './metrics';

export { readBeirCorpus, readBeirQrels, readBeirQueries } from './beir-data';

/** A named pipeline to evaluate. */
export interface EvalConfig {
	name: string;
	retrieval: RetrievalConfig;
	/** Whether queries carry the embedding model's query vector (the engine needs a model layer). */
	model?: boolean;
}

/** The three pipelines `dailypapers eval` reports. */
export const STANDARD_CONFIGS: readonly EvalConfig[] = [
	{ name: 'lexical (BM25F)', retrieval: LEXICAL_ONLY },
	{ name: 'semantic (LSA)', retrieval: SEMANTIC_ONLY },
	{ name: 'hybrid (default)', retrieval: DEFAULT_RETRIEVAL }
];

/** The pipelines added when an embedding model is evaluated: it replaces LSA on the semantic side. */
export const MODEL_CONFIGS: readonly EvalConfig[] = [
	{ name: 'semantic (model)', retrieval: SEMANTIC_ONLY, model: true },
	{ name: 'hybrid (model)', retrieval: DEFAULT_RETRIEVAL, model: true }
];

/** One line of an evaluation table. */
export interface EvalRow extends MetricSummary {
	config: string;
	/** Mean wall-clock milliseconds per query. */
	msPerQuery: number;
}

/** The result of evaluating one collection. */
export interface EvalTable {
	collection: string;
	docs: number;
	/** Milliseconds to build the lexical index plus the LSA layer. */
	buildMs: number;
	/** The embedding model evaluated, and milliseconds to embed the corpus and the queries. */
	embedding?: { model: string; ms: number };
	rows: EvalRow[];
}

/** Hits retrieved per query: deep enough for Recall@100. */
const RUN_DEPTH = 100;

/** Query embeddings by query id (null: the model knows none of its words). */
export type QueryVectors = ReadonlyMap<string, Float32Array | null>;

/**
 * Runs every query through one pipeline; returns the runs and the mean latency (query
 * embeddings, when given, are computed beforehand and not part of it).
 */
export function runQueries(
	engine: SearchEngine,
	queries: readonly BeirQuery[],
	retrieval: RetrievalConfig,
	depth = RUN_DEPTH,
	queryVectors?: QueryVectors
): { runs: Map<string, RunEntry[]>; msPerQuery: number } {
	const runs = new Map<string, RunEntry[]>();
	const started = performance.now();
	for (const query of queries) {
		const queryVector = queryVectors?.get(query.id) ?? null;
		const hits = engine.search(analyze(query.text), retrieval, { k: depth, queryVector });
		runs.set(
			query.id,
			hits.map((hit) => ({ docId: hit.id, score: hit.score }))
		);
	}
	return {
		runs,
		msPerQuery: queries.length > 0 ? (performance.now() - started) / queries.length : 0
	};
}

/** Evaluates pipelines on an already built engine (used for the BEIR folders and the HF set). */
export function evaluateEngine(
	engine: SearchEngine,
	queries: readonly BeirQuery[],
	qrels: Qrels,
	configs: readonly EvalConfig[],
	queryVectors?: QueryVectors
): { rows: EvalRow[]; runs: Map<string, Map<string, RunEntry[]>> } {
	// Only judged queries count (BEIR lists only those, but a stray one would only cost time).
	const judged = queries.filter((query) => qrels.has(query.id));
	const rows: EvalRow[] = [];
	const runsByConfig = new Map<string, Map<string, RunEntry[]>>();
	for (const { name, retrieval, model } of configs) {
		if (model && (!engine.dense || !queryVectors))
			throw new Error(`"${name}" needs an engine with an embedding model layer`);
		const vectors = model ? queryVectors : undefined;
		const { runs, msPerQuery } = runQueries(engine, judged, retrieval, RUN_DEPTH, vectors);
		runsByConfig.set(name, runs);
		rows.push({ config: name, ...summarize(runs, qrels), msPerQuery });
	}
	return { rows, runs: runsByConfig };
}

/** Options of {@link evaluateBeir}. */
export interface EvaluateBeirOptions {
	/** Engine construction parameters (defaults are the shipped ones). */
	engine?: EngineOptions;
	/** qrels split (default `test`). */
	split?: string;
	/** An embedding model: the corpus is embedded too, so `model` configs can run. */
	embeddings?: EmbeddingProvider;
}

// Documents embedded per call while a corpus is read.
const EMBED_BATCH = 512;

/** Embeds a BEIR corpus and its queries with `provider`. */
async function embedCollection(
	dir: string,
	queries: readonly BeirQuery[],
	provider: EmbeddingProvider
): Promise<{ layer: DocumentEmbeddings; queryVectors: QueryVectors; ms: number }> {
	const started = performance.now();
	const builder = DocumentEmbeddings.builder(provider);
	let batch: EmbeddableDocument[] = [];
	for await (const doc of readBeirCorpus(dir)) {
		batch.push({ id: doc.id, title: doc.title, abstract: doc.abstract });
		if (batch.length === EMBED_BATCH) {
			await builder.add(batch);
			batch = [];
		}
	}
	await builder.add(batch);
	const layer = builder.finish();
	const vectors = await provider.embed(queries.map((query) => query.text));
	const queryVectors = new Map(
		queries.map((query, i) => [query.id, vectors[i].some((x) => x !== 0) ? vectors[i] : null])
	);
	return { layer, queryVectors, ms: performance.now() - started };
}

/** Indexes a BEIR folder into a fresh in-memory engine and evaluates `configs` on it. */
export async function evaluateBeir(
	dir: string,
	configs: readonly EvalConfig[] = STANDARD_CONFIGS,
	options: EvaluateBeirOptions = {}
): Promise<EvalTable & { runs: Map<string, Map<string, RunEntry[]>> }> {
	const started = performance.now();
	const engine = await SearchEngine.build(readBeirCorpus(dir), options.engine);
	const buildMs = performance.now() - started;
	const [queries, qrels] = await Promise.all([
		readBeirQueries(dir),
		readBeirQrels(dir, options.split)
	]);
	let queryVectors: QueryVectors | undefined;
	let embedding: EvalTable['embedding'];
	if (options.embeddings) {
		const embedded = await embedCollection(dir, queries, options.embeddings);
		engine.dense = embedded.layer;
		queryVectors = embedded.queryVectors;
		embedding = { model: options.embeddings.id, ms: embedded.ms };
	}
	const { rows, runs } = evaluateEngine(engine, queries, qrels, configs, queryVectors);
	return {
		collection: collectionName(dir),
		docs: engine.lexical.size,
		buildMs,
		...(embedding ? { embedding } : {}),
		rows,
		runs
	};
}

/** A readable name for a BEIR folder: `…/cisi/beir` → `cisi`. */
export function collectionName(dir: string): string {
	const resolved = path.resolve(dir);
	const base = path.basename(resolved);
	return base === 'beir' ? path.basename(path.dirname(resolved)) : base;
}

/** Renders rows as an aligned plain-text table. */
export function formatEvalTable(table: EvalTable): string {
	const header = ['config', 'nDCG@10', 'R@100', 'MRR@10', 'ms/query'];
	const lines = table.rows.map((row) => [
		row.config,
		row.ndcg10.toFixed(4),
		row.recall100.toFixed(4),
		row.mrr10.toFixed(4),
		row.msPerQuery.toFixed(2)
	]);
	const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i].length)));
	const render = (cells: string[]): string =>
		cells
			.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
			.join('  ');
	const embedded = table.embedding
		? `; ${table.embedding.model} embedded it in ${(table.embedding.ms / 1000).toFixed(1)} s`
		: '';
	const title = `${table.collection}: ${table.docs} docs, ${table.rows[0]?.queries ?? 0} judged queries, built in ${(table.buildMs / 1000).toFixed(1)} s${embedded}`;
	return [title, render(header), ...lines.map(render)].join('\n');
}

/** Options of {@link runBeirEval}. */
export interface RunBeirEvalOptions {
	/** Write the default hybrid pipeline's run to this file in TREC format (with a model: its hybrid). */
	runFile?: string;
	/** An embedding model to measure beside LSA (`--embedding-model`). */
	embeddings?: EmbeddingProvider;
	/** Where the table goes (default console.log; pass `() => {}` for silence). */
	log?: (line: string) => void;
}

/**
 * The `dailypapers eval --beir <dir> [--run file] [--embedding-model m]` command: lexical-only,
 * semantic-only and the default hybrid on a throw-away in-memory index (and, with a model, its
 * semantic-only and hybrid); prints and returns the table.
 */
export async function runBeirEval(
	dir: string,
	{ runFile, embeddings, log = console.log }: RunBeirEvalOptions = {}
): Promise<EvalTable> {
	const configs = embeddings ? [...STANDARD_CONFIGS, ...MODEL_CONFIGS] : STANDARD_CONFIGS;
	const { runs, ...table } = await evaluateBeir(dir, configs, { embeddings });
	log(formatEvalTable(table));
	if (runFile !== undefined) {
		// The run of the pipeline the site would use: the model's hybrid when one is given.
		const written = embeddings ? MODEL_CONFIGS[1] : STANDARD_CONFIGS[2];
		const hybrid = runs.get(written.name) ?? new Map<string, RunEntry[]>();
		await fs.writeFile(runFile, formatTrecRun(hybrid, 'dailypapers-hybrid'));
		log(`run written to ${runFile}`);
	}
	return table;
}
