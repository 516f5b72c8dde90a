/**
 * The replica's model-based semantic layer: one embedding per paper (title + abstract) from
 * the configured model, in the shared {@link VectorIndex} (IVF over int8 codes; an exact scan
 * below 500k papers), searched with the query's embedding. The file remembers which model made
 * the vectors, so configuring another model re-embeds instead of mixing spaces.
 */
import { encodeSections, jsonBytes, SectionReader } from '../shared/sections';
import { listsFor, sampleSorted, VectorIndex, DEFAULT_VECTOR_INDEX } from '../vector/vector-index';
import type { ScoredId } from '../fusion';
import type { EmbeddingProvider } from './provider';

const MAGIC = 0x45505044; // "DPPE" little-endian
const VERSION = 1;
// Query embeddings are cached: search-as-you-type and paging repeat the same text.
const QUERY_CACHE = 256;

interface Header {
	model: string;
	dims: number;
	idsBytes: number;
	indexBytes: number;
}

/** What is embedded of a paper (or a BEIR document). */
export interface EmbeddableDocument {
	id: string;
	title?: string;
	abstract?: string;
}

/** The text a document is embedded from. */
export function embeddingText(doc: EmbeddableDocument): string {
	return [doc.title, doc.abstract].filter((part) => part).join('\n');
}

/** Document vectors from one model, keyed by paper id. */
export class DocumentEmbeddings {
	private readonly queryCache = new Map<string, Float32Array | null>();

	private constructor(
		readonly provider: EmbeddingProvider,
		private readonly index: VectorIndex,
		private readonly ids: (string | null)[],
		private readonly ordinalOf: Map<string, number>
	) {}

	/** The model the vectors come from. */
	get model(): string {
		return this.provider.id;
	}

	/** Documents with a vector. */
	get size(): number {
		return this.index.size;
	}

	/** An empty layer for `provider` (an exact scan until the next full build). */
	static empty(provider: EmbeddingProvider): DocumentEmbeddings {
		const index = VectorIndex.train(new Float32Array(0), provider.dimensions, 0);
		return new DocumentEmbeddings(provider, index, [], new Map());
	}

	/** Embeds and adds (or replaces) documents. */
	async add(docs: readonly EmbeddableDocument[]): Promise<void> {
		if (docs.length === 0) return;
		const vectors = await this.provider.embed(docs.map(embeddingText));
		docs.forEach((doc, i) => {
			let ordinal = this.ordinalOf.get(doc.id);
			if (ordinal === undefined) {
				ordinal = this.ids.length;
				this.ids.push(doc.id);
				this.ordinalOf.set(doc.id, ordinal);
			}
			this.index.add(ordinal, vectors[i]);
		});
	}

	/** Removes a document; unknown ids are a no-op. */
	remove(id: string): void {
		const ordinal = this.ordinalOf.get(id);
		if (ordinal === undefined) return;
		this.index.remove(ordinal);
		this.ordinalOf.delete(id);
		this.ids[ordinal] = null;
	}

	/** The query's embedding, or null when the model knows none of its words. */
	async embedQuery(text: string): Promise<Float32Array | null> {
		const key = text.trim().toLowerCase();
		if (key === '') return null;
		if (this.queryCache.has(key)) return this.queryCache.get(key) ?? null;
		const [vector] = await this.provider.embed([text]);
		const useful = vector.some((x) => x !== 0) ? vector : null;
		if (this.queryCache.size >= QUERY_CACHE) {
			this.queryCache.delete(this.queryCache.keys().next().value as string);
		}
		this.queryCache.set(key, useful);
		return useful;
	}

	/** The k documents nearest to a query vector by cosine (positive only), `accept`ed ids only. */
	search(query: Float32Array, k: number, accept?: (id: string) => boolean): ScoredId[] {
		const filter = accept
			? (ordinal: number) => {
					const id = this.ids[ordinal];
					return id !== null && accept(id);
				}
			: undefined;
		// A document pointing nowhere near the query (cosine ≤ 0) is no semantic match.
		return this.index
			.search(query, k, { filter })
			.filter(({ score }) => score > 0)
			.map(({ item, score }) => ({ id: this.ids[item] as string, score }));
	}

	/** Encodes the layer: the model id, the ids by ordinal, then the vector index. */
	serialize(): Buffer {
		const ids = jsonBytes(this.ids);
		const index = this.index.serialize();
		const header: Header = {
			model: this.model,
			dims: this.provider.dimensions,
			idsBytes: ids.length,
			indexBytes: index.length
		};
		return encodeSections(MAGIC, VERSION, header, [ids, index]);
	}

	/**
	 * Restores a layer saved by {@link serialize}, or returns null when it was made by another
	 * model than `provider` (the caller re-embeds).
	 */
	static deserialize(bytes: Uint8Array, provider: EmbeddingProvider): DocumentEmbeddings | null {
		const reader = new SectionReader<Header>(bytes, MAGIC, VERSION, 'embeddings');
		const { model, dims, idsBytes, indexBytes } = reader.header;
		if (model !== provider.id || dims !== provider.dimensions) return null;
		const ids = reader.json<(string | null)[]>(idsBytes);
		const index = VectorIndex.deserialize(reader.take(indexBytes));
		const ordinalOf = new Map<string, number>();
		ids.forEach((id, ordinal) => {
			if (id !== null) ordinalOf.set(id, ordinal);
		});
		return new DocumentEmbeddings(provider, index, ids, ordinalOf);
	}

	/** A builder for a whole corpus (used by full builds: the IVF lists are learned once). */
	static builder(provider: EmbeddingProvider): DocumentEmbeddingsBuilder {
		return new DocumentEmbeddingsBuilder(provider);
	}

	/** @internal Used by the builder. */
	static fromParts(
		provider: EmbeddingProvider,
		index: VectorIndex,
		ids: string[]
	): DocumentEmbeddings {
		return new DocumentEmbeddings(provider, index, ids, new Map(ids.map((id, i) => [id, i])));
	}
}

/**
 * Embeds a corpus batch by batch, holding the vectors as int8 codes (dims + 4 bytes each)
 * until {@link finish} learns the IVF lists from a seeded sample and fills the index.
 */
export class DocumentEmbeddingsBuilder {
	private readonly ids: string[] = [];
	private readonly seen = new Map<string, number>();
	private codes = new Int8Array(0);
	private scales = new Float32Array(0);

	constructor(private readonly provider: EmbeddingProvider) {}

	/** Embeds a batch; a repeated id replaces its earlier vector. */
	async add(docs: readonly EmbeddableDocument[]): Promise<void> {
		if (docs.length === 0) return;
		const dims = this.provider.dimensions;
		const vectors = await this.provider.embed(docs.map(embeddingText));
		this.reserve(this.ids.length + docs.length);
		docs.forEach((doc, i) => {
			let row = this.seen.get(doc.id);
			if (row === undefined) {
				row = this.ids.length;
				this.ids.push(doc.id);
				this.seen.set(doc.id, row);
			}
			const vector = vectors[i];
			let max = 0;
			for (let c = 0; c < dims; c++) max = Math.max(max, Math.abs(vector[c]));
			const scale = max > 0 ? max / 127 : 0;
			this.scales[row] = scale;
			for (let c = 0; c < dims; c++)
				this.codes[row * dims + c] = scale > 0 ? Math.round(vector[c] / scale) : 0;
		});
	}

	/** Documents embedded so far. */
	get size(): number {
		return this.ids.length;
	}

	/** Learns the index from a sample of the vectors and adds them all. */
	finish(): DocumentEmbeddings {
		const dims = this.provider.dimensions;
		const rows = this.ids.length;
		const lists = listsFor(rows, DEFAULT_VECTOR_INDEX);
		const sampleRows =
			lists === 1
				? []
				: sampleSorted(
						Array.from({ length: rows }, (_, r) => r),
						Math.min(rows, lists * DEFAULT_VECTOR_INDEX.samplePerList),
						DEFAULT_VECTOR_INDEX.seed
					);
		const sample = new Float32Array(sampleRows.length * dims);
		sampleRows.forEach((row, i) => sample.set(this.vector(row), i * dims));
		const index = VectorIndex.train(sample, dims, rows);
		for (let row = 0; row < rows; row++) index.add(row, this.vector(row));
		return DocumentEmbeddings.fromParts(this.provider, index, this.ids);
	}

	private vector(row: number): Float32Array {
		const dims = this.provider.dimensions;
		const out = new Float32Array(dims);
		const scale = this.scales[row];
		for (let c = 0; c < dims; c++) out[c] = this.codes[row * dims + c] * scale;
		return out;
	}

	private reserve(rows: number): void {
		if (rows <= this.scales.length) return;
		const capacity = Math.max(rows, this.scales.length * 2, 1024);
		const codes = new Int8Array(capacity * this.provider.dimensions);
		codes.set(this.codes);
		const scales = new Float32Array(capacity);
		scales.set(this.scales);
		this.codes = codes;
		this.scales = scales;
	}
}
