/**
 * LanceDB as a peer of the search scale benchmark: one table (id = corpus line, text = title +
 * abstract + authors, archives, first-version day, LSA vector) with its native full-text index
 * (English stemming, positions for phrases), scalar indexes for the filters and an IVF_PQ index
 * over the document vectors our engine uses (exported by ours into the work dir). Runs in its own
 * child process like every engine, so its native threads count towards its own peak RSS.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as LanceDb from '@lancedb/lancedb';
import type * as Arrow from 'apache-arrow';
import { parsePaper, readLines } from './corpus';
import {
	LSA_VECTOR_FILES,
	rssMiB,
	TOP_K,
	type Engine,
	type EngineContext,
	type LsaQueryVectors,
	type OverlapResults,
	type VectorSweepRow
} from './engines';
import type { Query } from './queries';

/**
 * LanceDB and apache-arrow, loaded only in LanceDB's own child process (the other engines' peak
 * RSS should not include a native library they do not use). Both through `require`: LanceDB is
 * CommonJS and builds Arrow data with the CommonJS build of apache-arrow (its peer dependency);
 * the ES module build would be a second copy whose classes LanceDB does not recognise.
 */
function load(): { lancedb: typeof LanceDb; arrow: typeof Arrow } {
	const require = createRequire(import.meta.url);
	return {
		lancedb: require('@lancedb/lancedb') as typeof LanceDb,
		arrow: require('apache-arrow') as typeof Arrow
	};
}

/** Rows per `add`: each becomes one fragment of the table. */
const BATCH_ROWS = 50_000;
/** RRF constant of the hybrid query, as in peer-engines.md. */
const RRF_K = 60;
/** The IVF_PQ search knobs swept for recall against latency (after the timed classes). */
const SWEEP_NPROBES = [20, 50, 100];
const SWEEP_REFINE = [0, 10, 50];
/** Values per PQ sub-vector: 8 keeps the SIMD-friendly layout LanceDB recommends. */
const PQ_DIMS_PER_SUBVECTOR = 8;

const seconds = (since: number): number => Number(((performance.now() - since) / 1000).toFixed(2));

/** Bytes of every file under a directory. */
function directoryBytes(dir: string): number {
	let total = 0;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
		if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
	}
	return total;
}

/** A SQL string literal. */
const sqlString = (text: string): string => `'${text.replace(/'/g, "''")}'`;

interface Vectors {
	dims: number;
	queries: LsaQueryVectors;
	fd: number;
}

function openVectors(ctx: EngineContext): Vectors | null {
	const queriesFile = path.join(ctx.workDir, LSA_VECTOR_FILES.queries);
	const docsFile = path.join(ctx.workDir, LSA_VECTOR_FILES.docs);
	if (!fs.existsSync(queriesFile) || !fs.existsSync(docsFile)) return null;
	const queries = JSON.parse(fs.readFileSync(queriesFile, 'utf8')) as LsaQueryVectors;
	if (queries.docs !== ctx.count || fs.statSync(docsFile).size !== ctx.count * queries.dims * 4)
		throw new Error(`${docsFile} does not hold ${ctx.count} vectors of ${queries.dims} floats`);
	return { dims: queries.dims, queries, fd: fs.openSync(docsFile, 'r') };
}

/** One batch of rows as an Arrow table. */
class Batch {
	readonly ids: Int32Array;
	readonly days: Int32Array;
	readonly texts: string[] = [];
	readonly archives: string[][] = [];
	readonly vectors: Float32Array;
	length = 0;
	first = 0;

	constructor(readonly dims: number) {
		this.ids = new Int32Array(BATCH_ROWS);
		this.days = new Int32Array(BATCH_ROWS);
		this.vectors = new Float32Array(BATCH_ROWS * dims);
	}

	toArrow(arrow: typeof Arrow, vectors: Vectors | null): Arrow.Table {
		const n = this.length;
		const columns: Record<string, Arrow.Vector> = {
			id: arrow.makeVector(this.ids.slice(0, n)),
			text: arrow.vectorFromArray(this.texts, new arrow.Utf8()),
			archives: arrow.vectorFromArray(
				this.archives,
				new arrow.List(new arrow.Field('item', new arrow.Utf8(), true))
			),
			day: arrow.makeVector(this.days.slice(0, n))
		};
		if (vectors !== null) {
			const values = this.vectors.subarray(0, n * this.dims);
			fs.readSync(
				vectors.fd,
				new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
				0,
				values.byteLength,
				this.first * this.dims * 4
			);
			const type = new arrow.FixedSizeList(
				this.dims,
				new arrow.Field('item', new arrow.Float32(), true)
			);
			const child = arrow.makeData({
				type: new arrow.Float32(),
				length: n * this.dims,
				data: values.slice()
			});
			columns.vector = arrow.makeVector(arrow.makeData({ type, length: n, nullCount: 0, child }));
		}
		return new arrow.Table(columns);
	}

	reset(first: number): void {
		this.length = 0;
		this.first = first;
		this.texts.length = 0;
		this.archives.length = 0;
	}
}

export async function buildLanceDb(ctx: EngineContext): Promise<Engine> {
	const dir = path.join(ctx.workDir, 'lancedb');
	fs.rmSync(dir, { recursive: true, force: true });
	const { lancedb, arrow } = load();
	const vectors = openVectors(ctx);
	if (vectors === null)
		ctx.log('  lancedb: no LSA vectors in the work dir (ours did not run): text only');
	const db = await lancedb.connect(dir);
	const started = performance.now();
	let table: LanceDb.Table | null = null;
	const batch = new Batch(vectors?.dims ?? 0);
	const flush = async (): Promise<void> => {
		if (batch.length === 0) return;
		const data = batch.toArrow(arrow, vectors);
		if (table === null) table = await db.createTable('papers', data, { mode: 'overwrite' });
		else await table.add(data);
	};
	let docs = 0;
	for (const line of readLines(ctx.file)) {
		if (batch.length === BATCH_ROWS) {
			await flush();
			batch.reset(line.ordinal);
		}
		const paper = parsePaper(line.text);
		const i = batch.length++;
		batch.ids[i] = line.ordinal;
		batch.days[i] = paper.day;
		batch.texts.push(`${paper.title}\n${paper.abstract}\n${paper.authors.join(', ')}`);
		batch.archives.push(paper.archives);
		docs++;
		if (docs % 100_000 === 0) ctx.log(`  lancedb: ${docs.toLocaleString('en-US')} documents`);
	}
	await flush();
	if (vectors !== null) fs.closeSync(vectors.fd);
	if (table === null) throw new Error(`${ctx.file} holds no documents`);
	const papers: LanceDb.Table = table;
	const ingestSeconds = seconds(started);
	const ftsStarted = performance.now();
	await papers.createIndex('text', {
		config: lancedb.Index.fts({
			baseTokenizer: 'simple',
			lowercase: true,
			asciiFolding: true,
			stem: true,
			language: 'English',
			removeStopWords: false,
			withPosition: true // phrase queries need positions
		})
	});
	const ftsSeconds = seconds(ftsStarted);
	const scalarStarted = performance.now();
	await papers.createIndex('day', { config: lancedb.Index.btree() });
	await papers.createIndex('archives', { config: lancedb.Index.labelList() });
	const scalarSeconds = seconds(scalarStarted);
	const buildSeconds = seconds(started);
	const peakRssAfterBuildMiB = rssMiB();
	ctx.log(
		`  lancedb: table + FTS built in ${buildSeconds} s, RSS peak ${peakRssAfterBuildMiB} MiB`
	);
	const steps: Record<string, number> = {
		'read + parse + add rows (incl. vectors)': ingestSeconds,
		'FTS index': ftsSeconds,
		'btree(day) + label list(archives)': scalarSeconds
	};
	const notes = [
		'buildSeconds = rows + FTS + scalar indexes; the IVF_PQ index (vector, hybrid) is extra, see steps',
		'the table also stores the text (a store, not only an index); indexBytesOnDisk counts the FTS index alone'
	];
	let partitions = 0;
	let subVectors = 0;
	if (vectors !== null) {
		partitions = Math.max(1, Math.round(Math.sqrt(docs)));
		subVectors =
			vectors.dims % PQ_DIMS_PER_SUBVECTOR === 0 ? vectors.dims / PQ_DIMS_PER_SUBVECTOR : 1;
		const ivfStarted = performance.now();
		await papers.createIndex('vector', {
			config: lancedb.Index.ivfPq({
				distanceType: 'cosine',
				numPartitions: partitions,
				numSubVectors: subVectors
			})
		});
		steps['IVF_PQ index'] = seconds(ivfStarted);
		ctx.log(`  lancedb: IVF_PQ built in ${steps['IVF_PQ index']} s, RSS peak ${rssMiB()} MiB`);
	}
	const indices = await papers.listIndices();
	const indexBytes = (column: string): number =>
		indices
			.filter((index) => index.columns.includes(column))
			.reduce((s, i) => s + (i.sizeBytes ?? 0), 0);
	const files: Record<string, number> = {
		'table directory (rows + all indexes)': directoryBytes(dir),
		'FTS index': indexBytes('text'),
		'scalar indexes': indexBytes('day') + indexBytes('archives'),
		...(vectors === null ? {} : { 'IVF_PQ index': indexBytes('vector') })
	};
	// Load the index files now, as a server would after start, rather than on first queries.
	const prewarmStarted = performance.now();
	for (const index of indices) {
		try {
			await papers.prewarmIndex(index.name);
		} catch (error) {
			notes.push(`prewarmIndex(${index.name}) failed: ${String(error)}`);
		}
	}
	steps['prewarm indexes'] = seconds(prewarmStarted);
	const rrf = await lancedb.rerankers.RRFReranker.create(RRF_K);

	const ids = async (query: LanceDb.Query | LanceDb.VectorQuery): Promise<number[]> => {
		const result = await query.select(['id']).limit(TOP_K).toArrow();
		const column = result.getChild('id');
		return column === null ? [] : Array.from(column.toArray() as Int32Array);
	};
	const match = (query: Query) =>
		papers.query().fullTextSearch(new lancedb.MatchQuery(query.text, 'text'));
	const queryVector = (set: 'warmup' | 'measured', i: number): number[] | null =>
		vectors?.queries[set][i] ?? null;
	const { nprobes, refineFactor } = ctx.lanceVector;
	const nearest = (v: number[]): LanceDb.VectorQuery => {
		const query = papers.query().nearestTo(v).distanceType('cosine').nprobes(nprobes);
		return refineFactor > 0 ? query.refineFactor(refineFactor) : query;
	};
	const noVectors = 'needs the LSA vectors ours exports (run with ours)';

	/** Recall@10 and 1-client latency of the vector class over a grid of IVF_PQ search knobs. */
	const sweep = async (exact: number[][]): Promise<VectorSweepRow[]> => {
		const rows: VectorSweepRow[] = [];
		const measured = vectors?.queries.measured ?? [];
		for (const probes of SWEEP_NPROBES)
			for (const refine of SWEEP_REFINE) {
				const latencies: number[] = [];
				let recall = 0;
				let judged = 0;
				for (const [i, v] of measured.entries()) {
					if (v === null || exact[i].length === 0) continue;
					const query = papers.query().nearestTo(v).distanceType('cosine').nprobes(probes);
					const t0 = performance.now();
					const found = await ids(refine > 0 ? query.refineFactor(refine) : query);
					latencies.push(performance.now() - t0);
					const truth = new Set(exact[i]);
					recall += found.filter((n) => truth.has(n)).length / exact[i].length;
					judged++;
				}
				latencies.sort((a, b) => a - b);
				const at = (p: number) =>
					Number(latencies[Math.max(0, Math.ceil(p * latencies.length) - 1)]?.toFixed(2));
				rows.push({
					nprobes: probes,
					refineFactor: refine,
					queries: judged,
					p50: at(0.5),
					p95: at(0.95),
					recall10: Number((recall / Math.max(1, judged)).toFixed(3))
				});
			}
		return rows;
	};

	return {
		name: 'lancedb',
		build: {
			buildSeconds,
			steps,
			indexBytesOnDisk: files['FTS index'],
			files,
			peakRssAfterBuildMiB,
			heapUsedAfterBuildMiB: Math.round(process.memoryUsage().heapUsed / 1048576),
			stats: {
				docs,
				rows: await papers.countRows(),
				fragments: Math.ceil(docs / BATCH_ROWS),
				vectorDims: vectors?.dims ?? 0,
				ivfPartitions: partitions,
				pqSubVectors: subVectors,
				rrfK: RRF_K,
				nprobes,
				refineFactor
			},
			notes
		},
		supports: (cls) =>
			(cls === 'hybrid' || cls === 'vector') && vectors === null ? noVectors : true,
		async run(cls, query, ref) {
			switch (cls) {
				case 'single':
				case 'multi':
				case 'rare':
					return ids(match(query));
				case 'phrase':
					return ids(papers.query().fullTextSearch(new lancedb.PhraseQuery(query.text, 'text')));
				case 'filtered':
					return ids(
						match(query).where(
							`array_has(archives, ${sqlString(query.archive ?? '')}) AND day >= ${query.fromDay ?? -1e9} AND day < ${query.untilDay ?? 1e9}`
						)
					);
				case 'vector': {
					const v = queryVector(ref.set, ref.i);
					return v === null ? [] : ids(nearest(v));
				}
				case 'hybrid': {
					// LanceDB's own hybrid: FTS and IVF_PQ top lists fused by reciprocal rank.
					const v = queryVector(ref.set, ref.i);
					if (v === null) return ids(match(query));
					return ids(
						nearest(v).fullTextSearch(new lancedb.MatchQuery(query.text, 'text')).rerank(rrf)
					);
				}
			}
		},
		async overlap(queries): Promise<OverlapResults> {
			const plain: number[][] = [];
			for (const query of queries) plain.push(await ids(match(query)));
			if (vectors === null) return { plain, body: null };
			// The ground truth of the vector class: a flat scan of the float vectors.
			const exactVector: number[][] = [];
			for (const v of vectors.queries.measured)
				exactVector.push(
					v === null
						? []
						: await ids(papers.query().nearestTo(v).distanceType('cosine').bypassVectorIndex())
				);
			return { plain, body: null, exactVector, vectorSweep: await sweep(exactVector) };
		},
		close() {
			papers.close();
			db.close();
		}
	};
}
