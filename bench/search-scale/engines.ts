/**
 * The engines of the search scale benchmark, as they run inside their own child process: ours
 * (LexicalIndex + the LSA layer of SearchEngine), SQLite FTS5, MiniSearch and LanceDB (its own
 * module, lancedb.ts). Each builds from the corpus file, saves what it can to disk, keeps the
 * filter attributes its own way, and answers every query class it supports with the top-10
 * documents as 0-based corpus line numbers.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import MiniSearch from 'minisearch';
import { analyze, termOfToken, tokenize } from '$lib/server/search/lexical/analyzer';
import { DEFAULT_RETRIEVAL, SEMANTIC_ONLY, SearchEngine } from '$lib/server/search/search-engine';
import { bm25Idf, DEFAULT_BM25F, LexicalIndex } from '$lib/server/search/lexical/lexical-index';
import type { Bm25fParams, IndexDocument } from '$lib/server/search/lexical/lexical-types';
import { LsaIndex } from '$lib/server/search/semantic/lsa';
import { LineReader, parsePaper, phraseText, readLines, type Paper } from './corpus';
import type { Query, QueryClass, QuerySet } from './queries';

/** In run order: LanceDB comes after ours, whose LSA vectors it indexes. */
export const ENGINES = ['ours', 'fts5', 'minisearch', 'lancedb'] as const;
export type EngineName = (typeof ENGINES)[number];

export const ENGINE_LABELS: Record<EngineName, string> = {
	ours: 'ours: LexicalIndex (BM25F) + LSA hybrid',
	fts5: 'peer: SQLite FTS5 (porter unicode61, bm25)',
	minisearch: 'peer: MiniSearch 7.2.0 (in memory)',
	lancedb: 'peer: LanceDB 0.31.0 (FTS English stemming; IVF_PQ over our LSA vectors; RRF hybrid)'
};

/**
 * Files in the work dir through which ours hands its LSA vectors to LanceDB: the document
 * vectors (float32, `dims` per corpus line, line order; zeros for a document without vocabulary)
 * and the query vectors of the vector classes' queries.
 */
export const LSA_VECTOR_FILES = {
	docs: 'lsa-doc-vectors.f32',
	queries: 'lsa-query-vectors.json'
} as const;

export interface LsaQueryVectors {
	dims: number;
	docs: number;
	/** Per query of the set; null when no query word is in the LSA vocabulary. */
	warmup: (number[] | null)[];
	measured: (number[] | null)[];
}

export const TOP_K = 10;
/** Candidates a phrase query takes before checking word order, as the search service does. */
const PHRASE_CANDIDATES = 1000;

export interface EngineContext {
	file: string;
	count: number;
	workDir: string;
	/** Whether to also prepare the BM25 overlap check (an extra abstract-only index for FTS5). */
	overlapCheck: boolean;
	/** The vector classes' queries, when ours should export its LSA vectors for LanceDB. */
	exportVectors: QuerySet | null;
	/** LanceDB's vector search knobs: IVF partitions probed, PQ candidates re-ranked exactly (×k; 0 = off). */
	lanceVector: { nprobes: number; refineFactor: number };
	log: (line: string) => void;
}

/** How an engine was built; seconds per step, bytes per file. */
export interface BuildReport {
	/** Reading + parsing the corpus + indexing + writing the index to disk (if it has a disk form). */
	buildSeconds: number;
	steps: Record<string, number>;
	/** Bytes on disk of the lexical index (null: in memory only). */
	indexBytesOnDisk: number | null;
	files: Record<string, number>;
	/** process.resourceUsage().maxRSS once the lexical index is built and saved. */
	peakRssAfterBuildMiB: number;
	heapUsedAfterBuildMiB: number;
	stats: Record<string, number>;
	notes: string[];
}

/** Results of the BM25 overlap check: plain (default scoring) and body-only top-10s. */
export interface OverlapResults {
	plain: number[][];
	body: number[][] | null;
	bodySeconds?: number;
	/** Exact cosine top-10 of the vector class's measured queries (flat scan; LanceDB only). */
	exactVector?: number[][];
	/** Recall against latency over vector-index search knobs (LanceDB only). */
	vectorSweep?: VectorSweepRow[];
}

/** One setting of LanceDB's IVF_PQ search: sequential latency (ms) and mean recall@10. */
export interface VectorSweepRow {
	nprobes: number;
	refineFactor: number;
	queries: number;
	p50: number;
	p95: number;
	recall10: number;
}

export interface Engine {
	readonly name: EngineName;
	readonly build: BuildReport;
	/** true, or why the class cannot be run on this engine. */
	supports(cls: QueryClass): true | string;
	/** Top-10 corpus line numbers, best first (a promise for engines with an async API). */
	run(cls: QueryClass, query: Query, index: QueryRef): number[] | Promise<number[]>;
	/** Per-query facts for the report, measured outside the timed call. */
	describe?(cls: QueryClass, query: Query): Record<string, number>;
	overlap(queries: readonly Query[]): OverlapResults | Promise<OverlapResults>;
	close(): void;
}

/** Where a query sits in the mix (engines that precompute per-query data look it up by this). */
export interface QueryRef {
	set: 'warmup' | 'measured';
	i: number;
}

export function rssMiB(): number {
	return Math.round(process.resourceUsage().maxRSS / 1024);
}

function heapMiB(): number {
	return Math.round(process.memoryUsage().heapUsed / 1048576);
}

const seconds = (since: number): number => Number(((performance.now() - since) / 1000).toFixed(2));

function containsSequence(haystack: readonly string[], needle: readonly string[]): boolean {
	outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
		for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
		return true;
	}
	return false;
}

/**
 * Per-document filter attributes by corpus line number: first-version day and the set of
 * archives, interned (a few hundred distinct sets), plus where the line is in the file so a
 * document's text can be read back for phrase checks, as the service reads it from the store.
 */
class Attributes {
	readonly day: Int32Array;
	readonly setOf: Uint16Array;
	readonly offset: Float64Array;
	readonly length: Uint32Array;
	private readonly sets: string[][] = [];
	private readonly setIds = new Map<string, number>();

	constructor(count: number) {
		this.day = new Int32Array(count);
		this.setOf = new Uint16Array(count);
		this.offset = new Float64Array(count);
		this.length = new Uint32Array(count);
	}

	set(ordinal: number, paper: Paper, offset: number, length: number): void {
		const key = paper.archives.join(' ');
		let id = this.setIds.get(key);
		if (id === undefined) {
			id = this.sets.length;
			if (id > 0xffff) throw new Error('too many distinct archive sets');
			this.sets.push(paper.archives);
			this.setIds.set(key, id);
		}
		this.day[ordinal] = paper.day;
		this.setOf[ordinal] = id;
		this.offset[ordinal] = offset;
		this.length[ordinal] = length;
	}

	/** The `filtered` class's predicate over corpus line numbers. */
	predicate(query: Query): (ordinal: number) => boolean {
		const wanted = new Uint8Array(this.sets.length);
		this.sets.forEach((set, id) => {
			if (query.archive !== undefined && set.includes(query.archive)) wanted[id] = 1;
		});
		const from = query.fromDay ?? -Infinity;
		const until = query.untilDay ?? Infinity;
		const day = this.day;
		const setOf = this.setOf;
		return (n) => wanted[setOf[n]] === 1 && day[n] >= from && day[n] < until;
	}
}

/** Checks phrase candidates in rank order against the stored text until k are confirmed. */
class PhraseChecker {
	private readonly reader: LineReader;

	constructor(
		file: string,
		private readonly attributes: Attributes
	) {
		this.reader = new LineReader(file);
	}

	confirm(candidates: Iterable<number>, phrase: string): number[] {
		const words = tokenize(phrase);
		const out: number[] = [];
		for (const n of candidates) {
			const line = this.reader.read(this.attributes.offset[n], this.attributes.length[n]);
			if (containsSequence(tokenize(phraseText(parsePaper(line))), words)) {
				out.push(n);
				if (out.length === TOP_K) break;
			}
		}
		return out;
	}

	close(): void {
		this.reader.close();
	}
}

// ---------------------------------------------------------------------------
// Ours

/** BM25 on the abstract alone (title and authors weigh 0): the overlap check's scoring. */
const ABSTRACT_ONLY: Bm25fParams = {
	k1: DEFAULT_BM25F.k1,
	fields: {
		title: { weight: 0, b: DEFAULT_BM25F.fields.title.b },
		abstract: { weight: 1, b: 0.75 },
		authors: { weight: 0, b: 0 }
	}
};

export async function buildOurs(ctx: EngineContext): Promise<Engine> {
	const attributes = new Attributes(ctx.count);
	const ids: string[] = new Array<string>(ctx.count);
	let docs = 0;
	function* stream(): Generator<IndexDocument> {
		for (const line of readLines(ctx.file)) {
			const paper = parsePaper(line.text);
			ids[line.ordinal] = paper.id;
			attributes.set(line.ordinal, paper, line.offset, line.length);
			docs++;
			if (docs % 100_000 === 0) ctx.log(`  ours: ${docs.toLocaleString('en-US')} documents`);
			yield { id: paper.id, title: paper.title, abstract: paper.abstract, authors: paper.authors };
		}
	}
	const started = performance.now();
	const lexical = await LexicalIndex.buildAsync(stream());
	const indexSeconds = seconds(started);
	const serializeStarted = performance.now();
	const lexicalFile = path.join(ctx.workDir, 'lexical.bin');
	{
		const bytes = lexical.serialize();
		fs.writeFileSync(lexicalFile, bytes);
	}
	const serializeSeconds = seconds(serializeStarted);
	const buildSeconds = seconds(started);
	const peakRssAfterBuildMiB = rssMiB();
	const heapUsedAfterBuildMiB = heapMiB();
	ctx.log(`  ours: lexical index built in ${buildSeconds} s, RSS peak ${peakRssAfterBuildMiB} MiB`);
	// Document numbers are insertion order today, but map them through the public API anyway.
	const ordinalOf = new Int32Array(lexical.docSlots).fill(-1);
	for (let n = 0; n < docs; n++) ordinalOf[lexical.docNoOf(ids[n])] = n;
	const lsaStarted = performance.now();
	const lsa = LsaIndex.train(lexical);
	const lsaTrainSeconds = seconds(lsaStarted);
	const lsaFile = path.join(ctx.workDir, 'lsa.bin');
	fs.writeFileSync(lsaFile, lsa.serialize());
	const lsaSeconds = seconds(lsaStarted);
	const engine = new SearchEngine(lexical, lsa);
	ctx.log(`  ours: LSA layer trained and saved in ${lsaSeconds} s, RSS peak ${rssMiB()} MiB`);
	const peakRssAfterLsaMiB = rssMiB();
	let exportSeconds: number | undefined;
	if (ctx.exportVectors !== null) {
		const exportStarted = performance.now();
		exportLsaVectors(lexical, lsa, ids, ctx.workDir, ctx.exportVectors);
		exportSeconds = seconds(exportStarted);
		ctx.log(`  ours: LSA vectors exported for LanceDB in ${exportSeconds} s`);
	}
	const stats = lexical.stats();
	const phrases = new PhraseChecker(ctx.file, attributes);
	const lexicalBytes = fs.statSync(lexicalFile).size;
	const lsaBytes = fs.statSync(lsaFile).size;

	const ordinals = (hits: readonly { id: string }[], limit = TOP_K): number[] => {
		const out: number[] = [];
		for (const hit of hits) {
			if (out.length === limit) break;
			out.push(ordinalOf[lexical.docNoOf(hit.id)]);
		}
		return out;
	};
	const distinctTerms = (text: string): string[] => [...new Set(analyze(text))];

	return {
		name: 'ours',
		build: {
			buildSeconds,
			steps: {
				'read + parse + index': indexSeconds,
				'serialize + write lexical.bin': serializeSeconds,
				'LSA train + fold-in': lsaTrainSeconds,
				'LSA train + write lsa.bin': lsaSeconds,
				...(exportSeconds === undefined
					? {}
					: { 'export LSA vectors (for LanceDB)': exportSeconds })
			},
			indexBytesOnDisk: lexicalBytes,
			files: { 'lexical.bin': lexicalBytes, 'lsa.bin': lsaBytes },
			peakRssAfterBuildMiB,
			heapUsedAfterBuildMiB,
			stats: {
				docs: stats.docs,
				terms: stats.terms,
				postings: stats.postings,
				heapBytesEstimate: stats.bytes,
				lsaBytesEstimate: lsa.bytes(),
				lsaDims: lsa.dims,
				peakRssAfterLsaMiB
			},
			notes: [
				'buildSeconds = read + parse + index + serialize + write lexical.bin; the LSA layer (hybrid) is extra, see steps'
			]
		},
		supports: () => true,
		run(cls, query) {
			const terms = analyze(query.text);
			switch (cls) {
				case 'single':
				case 'multi':
				case 'rare':
					return ordinals(lexical.search(terms, { k: TOP_K }));
				case 'filtered': {
					const keep = attributes.predicate(query);
					return ordinals(
						lexical.search(terms, { k: TOP_K, filter: (docNo) => keep(ordinalOf[docNo]) })
					);
				}
				case 'phrase': {
					// As the search service: every phrase word required, then word order checked on
					// the stored text of the candidates, best first.
					const hits = lexical.search(terms, {
						k: PHRASE_CANDIDATES,
						required: terms.map((term) => [term])
					});
					return phrases.confirm(ordinals(hits, PHRASE_CANDIDATES), query.text);
				}
				case 'hybrid':
					return ordinals(engine.search(terms, DEFAULT_RETRIEVAL, { k: TOP_K }));
				case 'vector':
					return ordinals(engine.search(terms, SEMANTIC_ONLY, { k: TOP_K }));
			}
		},
		describe(cls, query) {
			const terms = distinctTerms(query.text);
			let postings = 0;
			for (const term of terms) postings += lexical.docFreq(lexical.termId(term));
			const facts: Record<string, number> = { postings };
			if (cls === 'hybrid') {
				// The default pipeline only runs the LSA side when the best lexical hit does not
				// contain every query word: mismatch = 1 − covered / total, idf-weighted, counted
				// as 0 below 1e-9 (the two sums round differently for a full cover). Recomputed
				// here as SearchEngine does, so `semantic` says whether the LSA side ran.
				const top = lexical.rank(terms, { k: 1 })[0];
				let total = 0;
				let covered = 0;
				const weights = new Map<number, number>();
				for (const term of terms) {
					const termId = lexical.termId(term);
					const w = bm25Idf(lexical.size, lexical.docFreq(termId));
					total += w;
					if (lexical.docFreq(termId) > 0) weights.set(termId, w);
				}
				if (top !== undefined)
					lexical.forEachTerm(top.item, (termId) => {
						covered += weights.get(termId) ?? 0;
					});
				const mismatch = top === undefined || total === 0 ? 1 : 1 - covered / total;
				// hybrid.ts treats a mismatch below 1e-9 as none (rounding of a full cover).
				facts.semantic = mismatch >= 1e-9 ? 1 : 0;
			}
			return facts;
		},
		overlap(queries) {
			const plain = queries.map((q) => ordinals(lexical.search(analyze(q.text), { k: TOP_K })));
			let body: number[][] | null = null;
			if (ctx.overlapCheck) {
				lexical.params = ABSTRACT_ONLY;
				body = queries.map((q) => ordinals(lexical.search(analyze(q.text), { k: TOP_K })));
				lexical.params = DEFAULT_BM25F;
			}
			return { plain, body };
		},
		close() {
			phrases.close();
		}
	};
}

// ---------------------------------------------------------------------------
// SQLite FTS5

const FTS5_OR = (text: string): string =>
	text
		.split(' ')
		.map((word) => `"${word}"`)
		.join(' OR ');

interface RowIdRow {
	r: number;
}

export async function buildFts5(ctx: EngineContext): Promise<Engine> {
	const dbFile = path.join(ctx.workDir, 'fts5.db');
	fs.rmSync(dbFile, { force: true });
	const db = new SQLite(dbFile);
	db.pragma('journal_mode = OFF');
	db.pragma('synchronous = OFF');
	db.pragma('cache_size = -262144'); // 256 MiB, as in peer-engines.md
	// Contentless (content=''): like ours, the index holds no copy of the text (the store does).
	db.exec(`
		CREATE VIRTUAL TABLE t USING fts5(title, abstract, authors, content='',
			tokenize='porter unicode61');
		CREATE TABLE attrs (doc INTEGER PRIMARY KEY, day INTEGER NOT NULL);
		CREATE TABLE doc_archive (archive TEXT NOT NULL, doc INTEGER NOT NULL,
			PRIMARY KEY (archive, doc)) WITHOUT ROWID;
	`);
	const insertText = db.prepare<[number, string, string, string]>(
		'INSERT INTO t (rowid, title, abstract, authors) VALUES (?, ?, ?, ?)'
	);
	const insertAttrs = db.prepare<[number, number]>('INSERT INTO attrs (doc, day) VALUES (?, ?)');
	const insertArchive = db.prepare<[string, number]>(
		'INSERT INTO doc_archive (archive, doc) VALUES (?, ?)'
	);
	const started = performance.now();
	const attributes = new Attributes(ctx.count);
	let docs = 0;
	// One transaction for the whole bulk load.
	db.transaction(() => {
		for (const line of readLines(ctx.file)) {
			const paper = parsePaper(line.text);
			const rowid = line.ordinal + 1;
			attributes.set(line.ordinal, paper, line.offset, line.length);
			insertText.run(rowid, paper.title, paper.abstract, paper.authors.join(', '));
			insertAttrs.run(rowid, paper.day);
			for (const archive of paper.archives) insertArchive.run(archive, rowid);
			docs++;
			if (docs % 100_000 === 0) ctx.log(`  fts5: ${docs.toLocaleString('en-US')} documents`);
		}
	})();
	const insertSeconds = seconds(started);
	const optimizeStarted = performance.now();
	db.exec(`INSERT INTO t (t) VALUES ('optimize')`);
	const optimizeSeconds = seconds(optimizeStarted);
	const buildSeconds = seconds(started);
	const peakRssAfterBuildMiB = rssMiB();
	ctx.log(`  fts5: built in ${buildSeconds} s, RSS peak ${peakRssAfterBuildMiB} MiB`);
	const dbBytes = fs.statSync(dbFile).size;
	const pageSize = Number(db.pragma('page_size', { simple: true }));
	let ftsBytes: number | null = null;
	try {
		const pages = db
			.prepare<[], { pages: number }>(
				`SELECT count(*) AS pages FROM dbstat WHERE name IN ('t_data', 't_idx', 't_docsize', 't_config')`
			)
			.get();
		if (pages !== undefined) ftsBytes = pages.pages * pageSize;
	} catch {
		// dbstat not compiled in: fall back to the file size.
	}

	const search = db.prepare<[string], RowIdRow>(
		'SELECT rowid AS r FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 10'
	);
	const filtered = db.prepare<[string, number, number, string], RowIdRow>(`
		SELECT t.rowid AS r FROM t JOIN attrs a ON a.doc = t.rowid
		WHERE t MATCH ? AND a.day >= ? AND a.day < ?
			AND EXISTS (SELECT 1 FROM doc_archive d WHERE d.archive = ? AND d.doc = t.rowid)
		ORDER BY bm25(t) LIMIT 10`);
	const rows = (list: RowIdRow[]): number[] => list.map((row) => row.r - 1);

	return {
		name: 'fts5',
		build: {
			buildSeconds,
			steps: {
				'read + parse + insert (one transaction)': insertSeconds,
				optimize: optimizeSeconds
			},
			indexBytesOnDisk: ftsBytes ?? dbBytes,
			files: { 'fts5.db (FTS5 + attrs + doc_archive)': dbBytes },
			peakRssAfterBuildMiB,
			heapUsedAfterBuildMiB: heapMiB(),
			stats: { docs, sqlitePageSize: pageSize },
			notes: [
				"contentless FTS5 table (content=''), detail=full; indexBytesOnDisk counts the FTS5 shadow tables (dbstat), the file adds the filter side tables"
			]
		},
		supports: (cls) => (cls === 'hybrid' || cls === 'vector' ? 'no semantic layer' : true),
		run(cls, query) {
			switch (cls) {
				case 'single':
				case 'multi':
				case 'rare':
					return rows(search.all(FTS5_OR(query.text)));
				case 'phrase':
					return rows(search.all(`"${query.text}"`));
				case 'filtered':
					return rows(
						filtered.all(
							FTS5_OR(query.text),
							query.fromDay ?? -1e9,
							query.untilDay ?? 1e9,
							query.archive ?? ''
						)
					);
				case 'hybrid':
				case 'vector':
					return [];
			}
		},
		overlap(queries) {
			const plain = queries.map((q) => rows(search.all(FTS5_OR(q.text))));
			if (!ctx.overlapCheck) return { plain, body: null };
			// The reference for "ours computes BM25": an abstract-only FTS5 table fed the very
			// tokens our analyzer produces (stemmed, stopwords removed), so both sides rank the
			// same token streams; only the BM25 formulas remain (FTS5's idf has no "1 +").
			const bodyStarted = performance.now();
			const bodyFile = path.join(ctx.workDir, 'body.db');
			fs.rmSync(bodyFile, { force: true });
			const body = new SQLite(bodyFile);
			body.pragma('journal_mode = OFF');
			body.pragma('synchronous = OFF');
			body.exec(
				`CREATE VIRTUAL TABLE b USING fts5(abstract, content='', tokenize='unicode61 remove_diacritics 0')`
			);
			const insert = body.prepare<[number, string]>(
				'INSERT INTO b (rowid, abstract) VALUES (?, ?)'
			);
			body.transaction(() => {
				for (const line of readLines(ctx.file)) {
					insert.run(line.ordinal + 1, analyze(parsePaper(line.text).abstract).join(' '));
				}
			})();
			const select = body.prepare<[string], RowIdRow>(
				'SELECT rowid AS r FROM b WHERE b MATCH ? ORDER BY bm25(b) LIMIT 10'
			);
			const bodyResults = queries.map((q) =>
				rows(
					select.all([...new Set(analyze(q.text))].map((term) => `"${term}"`).join(' OR ') || '""')
				)
			);
			body.close();
			fs.rmSync(bodyFile, { force: true });
			return { plain, body: bodyResults, bodySeconds: seconds(bodyStarted) };
		},
		close() {
			db.close();
		}
	};
}

// ---------------------------------------------------------------------------
// MiniSearch

interface MiniDoc {
	n: number;
	title: string;
	abstract: string;
	authors: string;
}

export async function buildMiniSearch(ctx: EngineContext): Promise<Engine> {
	const attributes = new Attributes(ctx.count);
	// Our analyzer on both sides (tokens, stopwords, Porter stems), so the peer indexes the very
	// same terms and the comparison is about the engine, not the analysis.
	const mini = new MiniSearch<MiniDoc>({
		idField: 'n',
		fields: ['title', 'abstract', 'authors'],
		tokenize: (text) => tokenize(text),
		processTerm: (term) => termOfToken(term)
	});
	const started = performance.now();
	let docs = 0;
	for (const line of readLines(ctx.file)) {
		const paper = parsePaper(line.text);
		attributes.set(line.ordinal, paper, line.offset, line.length);
		mini.add({
			n: line.ordinal,
			title: paper.title,
			abstract: paper.abstract,
			authors: paper.authors.join(', ')
		});
		docs++;
		if (docs % 50_000 === 0) ctx.log(`  minisearch: ${docs.toLocaleString('en-US')} documents`);
	}
	const buildSeconds = seconds(started);
	const peakRssAfterBuildMiB = rssMiB();
	ctx.log(`  minisearch: built in ${buildSeconds} s, RSS peak ${peakRssAfterBuildMiB} MiB`);
	const phrases = new PhraseChecker(ctx.file, attributes);
	const top = (results: { id: unknown }[], limit = TOP_K): number[] =>
		results.slice(0, limit).map((r) => Number(r.id));

	return {
		name: 'minisearch',
		build: {
			buildSeconds,
			steps: { 'read + parse + add': buildSeconds },
			indexBytesOnDisk: null,
			files: {},
			peakRssAfterBuildMiB,
			heapUsedAfterBuildMiB: heapMiB(),
			stats: { docs, documentCount: mini.documentCount, termCount: mini.termCount },
			notes: ['in memory only (no on-disk form measured); our analyzer as tokenize/processTerm']
		},
		supports: (cls) => (cls === 'hybrid' || cls === 'vector' ? 'no semantic layer' : true),
		run(cls, query) {
			switch (cls) {
				case 'single':
				case 'multi':
				case 'rare':
					return top(mini.search(query.text, { combineWith: 'OR' }));
				case 'filtered': {
					const keep = attributes.predicate(query);
					return top(
						mini.search(query.text, { combineWith: 'OR', filter: (r) => keep(Number(r.id)) })
					);
				}
				case 'phrase': {
					// No phrase operator: all words (AND), then the same word-order check as ours.
					const hits = mini.search(query.text, { combineWith: 'AND' });
					return phrases.confirm(top(hits, PHRASE_CANDIDATES), query.text);
				}
				case 'hybrid':
				case 'vector':
					return [];
			}
		},
		overlap(queries) {
			return {
				plain: queries.map((q) => top(mini.search(q.text, { combineWith: 'OR' }))),
				body: null
			};
		},
		close() {
			phrases.close();
		}
	};
}

/**
 * Writes the LSA vector of every document (in corpus line order) and of the vector classes'
 * queries, through the public API: a document's vector is the fold-in of its indexed terms,
 * which is what the engine quantises and scans (LanceDB gets it before the int8 rounding).
 */
function exportLsaVectors(
	lexical: LexicalIndex,
	lsa: LsaIndex,
	ids: readonly string[],
	workDir: string,
	queries: QuerySet
): void {
	const dims = lsa.dims;
	const fd = fs.openSync(path.join(workDir, LSA_VECTOR_FILES.docs), 'w');
	try {
		const chunkDocs = 8192;
		const chunk = new Float32Array(chunkDocs * dims);
		for (let start = 0; start < ids.length; start += chunkDocs) {
			const end = Math.min(ids.length, start + chunkDocs);
			chunk.fill(0);
			for (let n = start; n < end; n++) {
				const terms: string[] = [];
				lexical.forEachTerm(lexical.docNoOf(ids[n]), (termId, tf) => {
					const term = lexical.term(termId);
					for (let i = 0; i < tf; i++) terms.push(term);
				});
				const vector = lsa.queryVector(terms);
				if (vector !== null) chunk.set(vector, (n - start) * dims);
			}
			const bytes = Buffer.from(chunk.buffer, 0, (end - start) * dims * 4);
			fs.writeSync(fd, bytes);
		}
	} finally {
		fs.closeSync(fd);
	}
	const vectorOf = (q: Query): number[] | null => {
		const v = lsa.queryVector(analyze(q.text));
		return v === null ? null : Array.from(v);
	};
	const out: LsaQueryVectors = {
		dims,
		docs: ids.length,
		warmup: queries.warmup.map(vectorOf),
		measured: queries.measured.map(vectorOf)
	};
	fs.writeFileSync(path.join(workDir, LSA_VECTOR_FILES.queries), JSON.stringify(out));
}

export const BUILDERS: Record<EngineName, (ctx: EngineContext) => Promise<Engine>> = {
	ours: buildOurs,
	fts5: buildFts5,
	minisearch: buildMiniSearch,
	lancedb: (ctx) => import('./lancedb').then((m) => m.buildLanceDb(ctx))
};
