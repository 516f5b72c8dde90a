/**
 * The storage half of the lexical index (lexical-index.ts ranks over it): documents, terms and
 * postings of one immutable main segment plus a small mutable delta segment for documents added
 * since the last compaction, a liveness bitmap as tombstones, a forward index (term-id gaps + tf
 * per document) and the live statistics (N, df, field length sums) that BM25F needs. Statistics
 * always count live documents only, so scores over them equal a from-scratch index of the live
 * set. The segment helpers (delta postings, compaction policy, forward-index reading, merging
 * into a snapshot) are in lexical-segments.ts.
 *
 * The ranker extends this class rather than holding it, so its hot loops read the postings as
 * fields of `this`, exactly as when both halves were one class.
 */
import { writeForward } from './lexical-builder';
import { encodeSnapshot } from './lexical-codec';
import {
	forEachForwardTerm,
	mergeSegments,
	needsCompaction,
	type DeltaPostings
} from './lexical-segments';
import { DocTermCounter, Vocabulary } from './doc-terms';
import {
	FIELD_COUNT,
	type Bm25fParams,
	type IndexDocument,
	type IndexSnapshot
} from './lexical-types';
import { Growable, ensureCapacity } from '../shared/typed-arrays';

/** Size figures of an index. */
export interface IndexStats {
	/** Live documents. */
	docs: number;
	/** Removed documents still occupying slots until the next compaction. */
	deletedDocs: number;
	/** Documents in the mutable delta segment. */
	deltaDocs: number;
	/** Distinct terms ever seen (terms of removed documents linger until compaction). */
	terms: number;
	/** Postings, main plus delta, including those of removed documents. */
	postings: number;
	/** Approximate heap bytes: typed arrays exactly, strings and maps estimated. */
	bytes: number;
}

/**
 * Documents, terms and postings of a lexical index with their live statistics; the fields are
 * protected so the ranking subclass can read them into locals in its hot loops.
 */
export abstract class LexicalStore {
	protected paramsValue: Bm25fParams;
	protected readonly vocabulary: Vocabulary;
	protected df: Int32Array;
	protected readonly ids: string[];
	private readonly docOf = new Map<string, number>();
	protected readonly live: Growable<Uint8Array>;
	protected liveCount = 0;
	protected readonly fieldLen: Growable<Uint32Array>;
	protected readonly fieldLenSum = new Float64Array(FIELD_COUNT);
	private readonly fwdOffsets: Growable<Float64Array>;
	private readonly fwdBytes: Growable<Uint8Array>;
	// Main segment.
	protected readonly mainDocs: number;
	protected readonly mainTerms: number;
	protected readonly postOffsets: Float64Array;
	protected readonly postDocs: Uint32Array;
	protected readonly postTf: Uint8Array;
	// Delta segment.
	protected readonly delta = new Map<number, DeltaPostings>();
	private deltaPostings = 0;
	private readonly counter = new DocTermCounter();
	// Bumped by every change to documents, statistics or parameters, so caches derived from them
	// (the ranker's norms) can tell they are stale without the store knowing about them.
	protected revision = 0;

	protected constructor(snapshot: IndexSnapshot, dead: readonly number[]) {
		this.paramsValue = snapshot.params;
		this.vocabulary = new Vocabulary(snapshot.terms);
		// Copied: snapshots may share arrays with another index, and `add` appends.
		this.ids = snapshot.ids.slice();
		this.mainDocs = snapshot.ids.length;
		this.mainTerms = snapshot.terms.length;
		this.postOffsets = snapshot.postOffsets;
		this.postDocs = snapshot.postDocs;
		this.postTf = snapshot.postTf;
		this.fieldLen = new Growable(snapshot.fieldLen);
		this.fieldLen.length = snapshot.fieldLen.length;
		this.fwdOffsets = new Growable(snapshot.fwdOffsets);
		this.fwdOffsets.length = snapshot.fwdOffsets.length;
		this.fwdBytes = new Growable(snapshot.fwdBytes);
		this.fwdBytes.length = snapshot.fwdBytes.length;
		this.live = new Growable(new Uint8Array(this.mainDocs).fill(1));
		this.live.length = this.mainDocs;
		this.liveCount = this.mainDocs;
		this.df = new Int32Array(this.mainTerms);
		for (let t = 0; t < this.mainTerms; t++)
			this.df[t] = this.postOffsets[t + 1] - this.postOffsets[t];
		for (let d = 0; d < this.mainDocs; d++) {
			this.docOf.set(this.ids[d], d);
			for (let f = 0; f < FIELD_COUNT; f++)
				this.fieldLenSum[f] += snapshot.fieldLen[d * FIELD_COUNT + f];
		}
		// A replaced document's id already maps to its successor (set later in the loop above).
		for (const d of dead) this.kill(d);
	}

	/**
	 * A fresh instance of the concrete class over this store's snapshot: `compact` adopts its
	 * state wholesale, so caches a subclass derives from the old document numbers go with it.
	 */
	protected abstract compacted(): LexicalStore;

	/** The scoring parameters in use. */
	get params(): Bm25fParams {
		return this.paramsValue;
	}

	/** Changes the scoring parameters; takes effect on the next search, no rebuild needed. */
	set params(params: Bm25fParams) {
		this.paramsValue = params;
		this.revision++;
	}

	/** The number of live documents. */
	get size(): number {
		return this.liveCount;
	}

	/** One past the largest document number in use (live or removed). */
	get docSlots(): number {
		return this.ids.length;
	}

	/** The external id of a document number. */
	idOf(docNo: number): string {
		return this.ids[docNo];
	}

	/** The document number of a live id, or -1. Numbers change when the index compacts. */
	docNoOf(id: string): number {
		return this.docOf.get(id) ?? -1;
	}

	/** Whether `docNo` is a live document. */
	isLive(docNo: number): boolean {
		return this.live.data[docNo] === 1;
	}

	/** Whether a live document has this id. */
	has(id: string): boolean {
		return this.docOf.has(id);
	}

	/** The id of an analyzed term, or -1 if it never occurred. */
	termId(term: string): number {
		return this.vocabulary.get(term);
	}

	/** The term with this id. */
	term(termId: number): string {
		return this.vocabulary.terms[termId];
	}

	/** The number of distinct term ids. */
	get termCount(): number {
		return this.vocabulary.size;
	}

	/** The number of live documents containing the term id. */
	docFreq(termId: number): number {
		return termId >= 0 && termId < this.vocabulary.size ? this.df[termId] : 0;
	}

	/** Calls `visit(termId, tf)` for every distinct term of a document (tf summed over fields). */
	forEachTerm(docNo: number, visit: (termId: number, tf: number) => void): void {
		forEachForwardTerm(this.fwdBytes.data, this.fwdOffsets.data, docNo, visit);
	}

	/** Adds a document, replacing any live document with the same id. */
	add(doc: IndexDocument): void {
		this.remove(doc.id);
		const docNo = this.ids.length;
		const terms = this.counter.count(doc, this.vocabulary);
		this.df = ensureCapacity(this.df, this.vocabulary.size);
		this.ids.push(doc.id);
		this.docOf.set(doc.id, docNo);
		this.live.push(1);
		this.liveCount++;
		for (let f = 0; f < FIELD_COUNT; f++) {
			this.fieldLen.push(terms.lengths[f]);
			this.fieldLenSum[f] += terms.lengths[f];
		}
		writeForward(this.fwdBytes, terms.count, terms.termIds, terms.tf);
		this.fwdOffsets.push(this.fwdBytes.length);
		for (let i = 0; i < terms.count; i++) {
			const termId = terms.termIds[i];
			this.df[termId]++;
			let list = this.delta.get(termId);
			if (list === undefined) {
				list = { docs: [], tf: [] };
				this.delta.set(termId, list);
			}
			list.docs.push(docNo);
			for (let f = 0; f < FIELD_COUNT; f++) list.tf.push(terms.tf[i * FIELD_COUNT + f]);
			this.deltaPostings++;
		}
		this.revision++;
		this.maybeCompact();
	}

	/** Removes the live document with this id; returns false (and does nothing) if there is none. */
	remove(id: string): boolean {
		const docNo = this.docOf.get(id);
		if (docNo === undefined) return false;
		this.docOf.delete(id);
		this.kill(docNo);
		this.maybeCompact();
		return true;
	}

	private kill(docNo: number): void {
		if (this.live.data[docNo] === 0) return;
		this.live.data[docNo] = 0;
		this.liveCount--;
		for (let f = 0; f < FIELD_COUNT; f++)
			this.fieldLenSum[f] -= this.fieldLen.data[docNo * FIELD_COUNT + f];
		this.forEachTerm(docNo, (termId) => this.df[termId]--);
		this.revision++;
	}

	private maybeCompact(): void {
		if (needsCompaction(this.ids.length, this.mainDocs, this.liveCount)) this.compact();
	}

	/**
	 * Folds the delta segment into the main one and drops removed documents and orphaned terms.
	 * Document numbers change; ids, scores and rankings do not.
	 */
	compact(): void {
		// Adopt the fresh instance's state wholesale: simpler than re-running the constructor logic.
		Object.assign(this, this.compacted());
	}

	/** A compacted copy of the live contents (the current index is not modified). */
	snapshot(): IndexSnapshot {
		return mergeSegments({
			params: this.paramsValue,
			vocabulary: this.vocabulary,
			df: this.df,
			ids: this.ids,
			live: this.live,
			liveCount: this.liveCount,
			fieldLen: this.fieldLen,
			fwdOffsets: this.fwdOffsets,
			fwdBytes: this.fwdBytes,
			mainDocs: this.mainDocs,
			mainTerms: this.mainTerms,
			postOffsets: this.postOffsets,
			postDocs: this.postDocs,
			postTf: this.postTf,
			delta: this.delta
		});
	}

	/** Encodes the live contents (compacted) into one buffer; see `deserialize`. */
	serialize(): Buffer {
		return encodeSnapshot(this.snapshot());
	}

	/** Size figures of the stored contents (a subclass adds the bytes of its own caches). */
	stats(): IndexStats {
		let stringBytes = 0;
		for (const id of this.ids) stringBytes += 2 * id.length + 40;
		for (const term of this.vocabulary.terms) stringBytes += 2 * term.length + 40;
		// Each Map entry (id → doc, term → id) costs roughly 40 bytes beyond its key.
		const mapBytes = 40 * (this.docOf.size + this.vocabulary.size);
		const arrays =
			this.postOffsets.byteLength +
			this.postDocs.byteLength +
			this.postTf.byteLength +
			this.df.byteLength +
			this.live.data.byteLength +
			this.fieldLen.data.byteLength +
			this.fwdOffsets.data.byteLength +
			this.fwdBytes.data.byteLength;
		return {
			docs: this.liveCount,
			deletedDocs: this.ids.length - this.liveCount,
			deltaDocs: this.ids.length - this.mainDocs,
			terms: this.vocabulary.size,
			postings: this.postDocs.length + this.deltaPostings,
			// Delta postings live in JS arrays: ~8 bytes per number, 1 + FIELD_COUNT numbers each.
			bytes: arrays + stringBytes + mapBytes + this.deltaPostings * 8 * (1 + FIELD_COUNT)
		};
	}

	/** Calls `visit(docNo)` for every posting of a term (main then delta; dead documents included). */
	protected forEachPosting(termId: number, visit: (docNo: number) => void): void {
		if (termId < 0) return;
		if (termId < this.mainTerms)
			for (let p = this.postOffsets[termId]; p < this.postOffsets[termId + 1]; p++)
				visit(this.postDocs[p]);
		const list = this.delta.get(termId);
		if (list !== undefined) for (const d of list.docs) visit(d);
	}

	/** Postings of a term in main and delta (removed documents included). */
	protected postingCount(termId: number): number {
		const main =
			termId < this.mainTerms ? this.postOffsets[termId + 1] - this.postOffsets[termId] : 0;
		return main + (this.delta.get(termId)?.docs.length ?? 0);
	}
}
