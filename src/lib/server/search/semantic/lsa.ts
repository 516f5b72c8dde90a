/**
 * Latent semantic analysis learned from the indexed corpus itself (no pretrained model): a
 * randomized truncated SVD of the log-TF·IDF term–document matrix gives a term basis U; every
 * document and query is folded in as Uᵀx and compared by cosine, so documents that share no
 * words with a query but share its topic can still be found.
 *
 * Document vectors live in a {@link VectorIndex} (int8 codes + one float scale, d + 4 bytes per
 * document): an exact scan for small collections, an inverted-file ANN index for large ones.
 */
import type { LexicalIndex } from '../lexical/lexical-index';
import { encodeSections, jsonBytes, SectionReader } from '../shared/sections';
import { truncatedSvd, type SparseColumns } from './svd';
import type { RankedItem } from '../shared/top-k';
import {
	DEFAULT_VECTOR_INDEX,
	listsFor,
	sampleSorted,
	VectorIndex,
	type VectorIndexOptions
} from '../vector/vector-index';

/** Parameters of the LSA model. */
export interface LsaParams {
	/** Latent dimensions kept. */
	dims: number;
	/** Extra random sketch columns for the randomized SVD. */
	oversample: number;
	/** Subspace (power) iterations of the randomized SVD. */
	powerIterations: number;
	/** Documents sampled (uniformly, seeded) to learn the basis; all are folded in afterwards. */
	maxTrainDocs: number;
	/** Vocabulary cap: the most frequent terms with at least `minDocFreq` documents. */
	maxTerms: number;
	/** Terms in fewer documents carry no co-occurrence signal and only add noise rows. */
	minDocFreq: number;
	/**
	 * Dimension i of folded-in vectors is scaled by σᵢ^(−sigmaPower): 0 compares projections in
	 * term space (Uᵀx, dominant topics weigh most), 1 weighs all latent dimensions equally.
	 */
	sigmaPower: number;
	/** Seed of the random sketch and of the training sample. */
	seed: number;
}

/** Defaults; dims and sigmaPower were picked on the HF known-item set, the rest are textbook. */
export const DEFAULT_LSA: LsaParams = {
	dims: 128,
	oversample: 16,
	powerIterations: 1,
	maxTrainDocs: 20_000,
	maxTerms: 30_000,
	minDocFreq: 2,
	sigmaPower: 0,
	seed: 42
};

const LSA_MAGIC = 0x41535044; // "DPSA" little-endian
// 2: document vectors moved into a VectorIndex section.
const LSA_VERSION = 2;

interface LsaHeader {
	params: LsaParams;
	dims: number;
	terms: number;
	docs: number;
	termsJson: number;
	idsJson: number;
	vectorBytes: number;
}

/** A sparse term vector: parallel term ids (in the model's vocabulary) and raw frequencies. */
interface TermCounts {
	rows: number[];
	tf: number[];
}

/** An LSA model plus the folded-in vectors of the indexed documents. */
export class LsaIndex {
	private readonly rowOf: Map<string, number>;
	/** External id of each document number (the vector index's ordinal); removed ones stay. */
	private ids: string[] = [];
	private docOf = new Map<string, number>();
	/** Document vectors by document number. */
	private vectors: VectorIndex;

	private constructor(
		readonly params: LsaParams,
		/** Model vocabulary (row r of U is the term terms[r]). */
		private readonly terms: string[],
		/** IDF of each vocabulary row, frozen at training so fold-in stays consistent. */
		private readonly idf: Float32Array,
		/** Row-major `terms × dims` basis, already multiplied by σ^(−sigmaPower). */
		private readonly basis: Float32Array,
		/** Singular values, for diagnostics. */
		readonly sigma: Float64Array,
		vectors: VectorIndex | null
	) {
		this.rowOf = new Map(terms.map((term, row) => [term, row]));
		this.vectors = vectors ?? VectorIndex.train(new Float32Array(0), this.dims, 0);
	}

	/** The number of latent dimensions actually kept (≤ params.dims for tiny corpora). */
	get dims(): number {
		return this.sigma.length;
	}

	/** The number of live documents. */
	get size(): number {
		return this.docOf.size;
	}

	/** The document vectors' index (for statistics and benchmarks). */
	get vectorIndex(): VectorIndex {
		return this.vectors;
	}

	/**
	 * Learns the basis from a lexical index's forward vectors (a seeded sample of at most
	 * `maxTrainDocs` live documents), learns the vector index's lists from a sample of folded-in
	 * documents, and folds in every live document.
	 */
	static train(
		index: LexicalIndex,
		params: LsaParams = DEFAULT_LSA,
		vectorOptions: Partial<VectorIndexOptions> = {}
	): LsaIndex {
		const docs = index.size;
		// Vocabulary: frequent-enough terms, most frequent first, capped.
		const candidates: number[] = [];
		for (let t = 0; t < index.termCount; t++)
			if (index.docFreq(t) >= params.minDocFreq) candidates.push(t);
		candidates.sort((a, b) => index.docFreq(b) - index.docFreq(a) || a - b);
		const chosen = candidates.slice(0, params.maxTerms);
		const rowOfTermId = new Int32Array(index.termCount).fill(-1);
		const terms: string[] = [];
		const idf = new Float32Array(chosen.length);
		chosen.forEach((termId, row) => {
			rowOfTermId[termId] = row;
			terms.push(index.term(termId));
			idf[row] = Math.log((docs + 1) / index.docFreq(termId));
		});
		const liveDocs: number[] = [];
		for (let d = 0; d < index.docSlots; d++) if (index.isLive(d)) liveDocs.push(d);
		const sample = sampleSorted(liveDocs, params.maxTrainDocs, params.seed);
		const counts = (docNo: number): TermCounts => {
			const out: TermCounts = { rows: [], tf: [] };
			index.forEachTerm(docNo, (termId, tf) => {
				const row = rowOfTermId[termId];
				if (row >= 0) {
					out.rows.push(row);
					out.tf.push(tf);
				}
			});
			return out;
		};
		const matrix = buildMatrix(sample.map(counts), idf, terms.length);
		const svd = truncatedSvd(matrix, params.dims, {
			oversample: params.oversample,
			iterations: params.powerIterations,
			seed: params.seed
		});
		const dims = svd.rank;
		const basis = new Float32Array(terms.length * dims);
		for (let r = 0; r < terms.length; r++)
			for (let c = 0; c < dims; c++) {
				const scale = svd.sigma[c] > 0 ? Math.pow(svd.sigma[c], -params.sigmaPower) : 0;
				basis[r * dims + c] = svd.u[r * dims + c] * scale;
			}
		const model = new LsaIndex(params, terms, idf, basis, svd.sigma, null);
		const options = { ...DEFAULT_VECTOR_INDEX, ...vectorOptions };
		const lists = listsFor(liveDocs.length, options);
		if (lists > 1) {
			// Only vectors go into k-means: a document with no vocabulary term has none.
			const sampled = sampleSorted(liveDocs, lists * options.samplePerList, params.seed)
				.map((d) => model.fold(counts(d)))
				.filter((v): v is Float64Array => v !== null);
			const sample = new Float32Array(sampled.length * dims);
			sampled.forEach((v, i) => sample.set(v, i * dims));
			model.vectors = VectorIndex.train(sample, dims, liveDocs.length, options);
		}
		for (const d of liveDocs) model.addCounts(index.idOf(d), counts(d));
		return model;
	}

	/** Projects weighted vocabulary rows into the latent space; null when nothing is known. */
	private fold(counts: TermCounts): Float64Array | null {
		const dims = this.dims;
		const out = new Float64Array(dims);
		let any = false;
		for (let i = 0; i < counts.rows.length; i++) {
			const row = counts.rows[i];
			const w = (1 + Math.log(counts.tf[i])) * this.idf[row];
			if (w <= 0) continue;
			any = true;
			const base = row * dims;
			for (let c = 0; c < dims; c++) out[c] += w * this.basis[base + c];
		}
		if (!any) return null;
		let norm = 0;
		for (let c = 0; c < dims; c++) norm += out[c] * out[c];
		if (norm === 0) return null;
		norm = Math.sqrt(norm);
		for (let c = 0; c < dims; c++) out[c] /= norm;
		return out;
	}

	private countsOf(terms: readonly string[]): TermCounts {
		const byRow = new Map<number, number>();
		for (const term of terms) {
			const row = this.rowOf.get(term);
			if (row !== undefined) byRow.set(row, (byRow.get(row) ?? 0) + 1);
		}
		return { rows: [...byRow.keys()], tf: [...byRow.values()] };
	}

	private addCounts(id: string, counts: TermCounts): void {
		this.remove(id);
		const docNo = this.ids.length;
		this.ids.push(id);
		this.docOf.set(id, docNo);
		// A document with no vocabulary term keeps a zero vector: it scores 0 against every query.
		this.vectors.add(docNo, this.fold(counts) ?? new Float64Array(this.dims));
	}

	/** Folds in (or replaces) a document given its analyzed terms, e.g. after `LexicalIndex.add`. */
	add(id: string, terms: readonly string[]): void {
		this.addCounts(id, this.countsOf(terms));
	}

	private indexedCounts(index: LexicalIndex, docNo: number): TermCounts {
		const counts: TermCounts = { rows: [], tf: [] };
		index.forEachTerm(docNo, (termId, tf) => {
			const row = this.rowOf.get(index.term(termId));
			if (row !== undefined) {
				counts.rows.push(row);
				counts.tf.push(tf);
			}
		});
		return counts;
	}

	/** Folds in a document that the lexical index already holds, reading its forward vector. */
	addFromIndex(index: LexicalIndex, id: string): void {
		const docNo = index.docNoOf(id);
		if (docNo < 0) return;
		this.addCounts(id, this.indexedCounts(index, docNo));
	}

	/**
	 * The full-precision unit vector of a document the lexical index holds (null when unknown or
	 * when it has no vocabulary term), without adding it; for benchmarks and diagnostics.
	 */
	foldDocument(index: LexicalIndex, id: string): Float64Array | null {
		const docNo = index.docNoOf(id);
		return docNo < 0 ? null : this.fold(this.indexedCounts(index, docNo));
	}

	/** Removes a document; unknown ids are ignored. Numbers are reclaimed by {@link LsaIndex.compact}. */
	remove(id: string): boolean {
		const docNo = this.docOf.get(id);
		if (docNo === undefined) return false;
		this.docOf.delete(id);
		this.vectors.remove(docNo);
		return true;
	}

	/** The unit query vector of analyzed query terms, or null if none is in the vocabulary. */
	queryVector(terms: readonly string[]): Float64Array | null {
		return this.fold(this.countsOf(terms));
	}

	/** Cosine of a stored document with a query vector (NaN for an unknown id). */
	similarity(id: string, query: Float64Array): number {
		const docNo = this.docOf.get(id);
		return docNo === undefined ? NaN : this.vectors.similarity(docNo, query);
	}

	/** Cosine top-k over live documents (approximate on large collections); `filter` gets the id. */
	rank(query: Float64Array, k: number, filter?: (id: string) => boolean): RankedItem[] {
		const ids = this.ids;
		return this.vectors.search(query, k, {
			filter: filter === undefined ? undefined : (docNo) => filter(ids[docNo])
		});
	}

	/** The top-k documents for analyzed query terms, best first. */
	search(
		terms: readonly string[],
		k = 10,
		filter?: (id: string) => boolean
	): { id: string; score: number }[] {
		const query = this.queryVector(terms);
		if (query === null) return [];
		return this.rank(query, k, filter).map(({ item, score }) => ({ id: this.ids[item], score }));
	}

	/**
	 * The k documents whose vectors are nearest to document `id`'s own, itself excluded; null when
	 * the id is unknown or its vector is zero (it shares no word with the model's vocabulary).
	 */
	neighbours(
		id: string,
		k = 10,
		filter?: (id: string) => boolean
	): { id: string; score: number }[] | null {
		const docNo = this.docOf.get(id);
		const vector = docNo === undefined ? null : this.vectors.vector(docNo);
		if (vector === null || vector.every((x) => x === 0)) return null;
		const ids = this.ids;
		return this.vectors
			.search(vector, k, {
				filter: (d) => d !== docNo && (filter === undefined || filter(ids[d]))
			})
			.map(({ item, score }) => ({ id: ids[item], score }));
	}

	/** Renumbers the live documents densely, dropping removed documents' numbers. */
	compact(): void {
		const newNumber = new Int32Array(this.ids.length).fill(-1);
		const ids: string[] = [];
		const docOf = new Map<string, number>();
		for (let d = 0; d < this.ids.length; d++) {
			if (!this.vectors.has(d)) continue;
			newNumber[d] = ids.length;
			docOf.set(this.ids[d], ids.length);
			ids.push(this.ids[d]);
		}
		this.vectors.renumber(newNumber);
		this.ids = ids;
		this.docOf = docOf;
	}

	/**
	 * Encodes the model, the document ids and the vector index (LSA layer file, see shared/sections.ts).
	 * Compacts first, so the file holds live documents only (document numbers are internal).
	 */
	serialize(): Buffer {
		this.compact();
		const terms = jsonBytes(this.terms);
		const ids = jsonBytes(this.ids);
		const vectors = this.vectors.serialize();
		const header: LsaHeader = {
			params: this.params,
			dims: this.dims,
			terms: this.terms.length,
			docs: this.ids.length,
			termsJson: terms.length,
			idsJson: ids.length,
			vectorBytes: vectors.length
		};
		return encodeSections(LSA_MAGIC, LSA_VERSION, header, [
			terms,
			ids,
			this.sigma,
			this.idf,
			this.basis,
			vectors
		]);
	}

	/** Restores a layer written by {@link LsaIndex.serialize}. */
	static deserialize(bytes: Uint8Array): LsaIndex {
		const reader = new SectionReader<LsaHeader>(bytes, LSA_MAGIC, LSA_VERSION, 'search LSA layer');
		const { header } = reader;
		const terms = reader.json<string[]>(header.termsJson);
		const ids = reader.json<string[]>(header.idsJson);
		const sigma = reader.typed(Float64Array, header.dims).slice();
		const idf = reader.typed(Float32Array, header.terms);
		const basis = reader.typed(Float32Array, header.terms * header.dims);
		const vectors = VectorIndex.deserialize(reader.take(header.vectorBytes));
		if (vectors.dims !== header.dims || vectors.size !== ids.length)
			throw new Error('search LSA layer: the vector index does not match the model');
		const model = new LsaIndex(header.params, terms, idf, basis, sigma, vectors);
		model.ids = ids;
		ids.forEach((id, d) => model.docOf.set(id, d));
		return model;
	}

	/** Approximate bytes held: basis, vectors, vocabulary and ids. */
	bytes(): number {
		let strings = 0;
		for (const term of this.terms) strings += 2 * term.length + 80;
		for (const id of this.ids) strings += 2 * id.length + 80;
		return this.basis.byteLength + this.idf.byteLength + this.vectors.bytes() + strings;
	}
}

/** Builds the doc-normalised log-TF·IDF matrix (terms × documents) in compressed columns. */
function buildMatrix(docs: TermCounts[], idf: Float32Array, rows: number): SparseColumns {
	let nnz = 0;
	for (const doc of docs) nnz += doc.rows.length;
	const colStart = new Float64Array(docs.length + 1);
	const rowIndex = new Int32Array(nnz);
	const values = new Float64Array(nnz);
	let at = 0;
	docs.forEach((doc, j) => {
		const start = at;
		let norm = 0;
		for (let i = 0; i < doc.rows.length; i++) {
			const w = (1 + Math.log(doc.tf[i])) * idf[doc.rows[i]];
			rowIndex[at] = doc.rows[i];
			values[at++] = w;
			norm += w * w;
		}
		// Unit columns: otherwise long documents would dominate the learned directions.
		norm = Math.sqrt(norm);
		if (norm > 0) for (let p = start; p < at; p++) values[p] /= norm;
		colStart[j + 1] = at;
	});
	return { rows, cols: docs.length, colStart, rowIndex, values };
}
