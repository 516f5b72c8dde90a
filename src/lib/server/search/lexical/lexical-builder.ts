/**
 * Bulk construction of an index snapshot from a stream of documents in one pass: each document
 * is analyzed and appended to compact typed-array buffers (its text is dropped right away), then
 * the buffers are inverted with a counting sort. Peak memory is ~17 bytes per posting and no
 * document strings are retained, so millions of abstracts fit in a few GB.
 */
import { DocTermCounter, Vocabulary } from './doc-terms';
import {
	DEFAULT_BM25F,
	FIELD_COUNT,
	type Bm25fParams,
	type IndexDocument,
	type IndexSnapshot
} from './lexical-types';
import { Growable, writeVarint } from '../shared/typed-arrays';

/** Appends one document's forward entries: (term-id gap varint, total tf capped at 255). */
export function writeForward(
	out: Growable<Uint8Array>,
	count: number,
	termIds: ArrayLike<number>,
	tf: ArrayLike<number>
): void {
	let previous = 0;
	for (let i = 0; i < count; i++) {
		writeVarint(out, termIds[i] - previous);
		previous = termIds[i];
		let total = 0;
		for (let f = 0; f < FIELD_COUNT; f++) total += tf[i * FIELD_COUNT + f];
		out.push(Math.min(total, 255));
	}
}

/** Accumulates documents, then inverts them into an {@link IndexSnapshot}. */
export class SnapshotBuilder {
	private readonly vocabulary = new Vocabulary();
	private readonly counter = new DocTermCounter();
	private readonly ids: string[] = [];
	private readonly seen = new Map<string, number>();
	private readonly replaced: number[] = [];
	private readonly docStart = new Growable(new Float64Array(1024));
	private readonly docTerms = new Growable(new Uint32Array(1 << 16));
	private readonly docTf = new Growable(new Uint8Array(FIELD_COUNT << 16));
	private readonly fieldLen = new Growable(new Uint32Array(1024 * FIELD_COUNT));
	private readonly fwdOffsets = new Growable(new Float64Array(1024));
	private readonly fwdBytes = new Growable(new Uint8Array(1 << 16));

	/** Starts an empty build with the given scoring parameters (stored in the snapshot). */
	constructor(private readonly params: Bm25fParams = DEFAULT_BM25F) {
		this.docStart.push(0);
		this.fwdOffsets.push(0);
	}

	/** Adds one document; a repeated id replaces the earlier document. */
	add(doc: IndexDocument): void {
		const docNo = this.ids.length;
		const earlier = this.seen.get(doc.id);
		if (earlier !== undefined) this.replaced.push(earlier);
		this.seen.set(doc.id, docNo);
		this.ids.push(doc.id);
		const terms = this.counter.count(doc, this.vocabulary);
		const n = terms.count;
		this.docTerms.reserve(n);
		this.docTerms.data.set(terms.termIds.subarray(0, n), this.docTerms.length);
		this.docTerms.length += n;
		this.docTf.reserve(n * FIELD_COUNT);
		this.docTf.data.set(terms.tf.subarray(0, n * FIELD_COUNT), this.docTf.length);
		this.docTf.length += n * FIELD_COUNT;
		this.docStart.push(this.docTerms.length);
		for (let f = 0; f < FIELD_COUNT; f++) this.fieldLen.push(terms.lengths[f]);
		writeForward(this.fwdBytes, n, terms.termIds, terms.tf);
		this.fwdOffsets.push(this.fwdBytes.length);
	}

	/** Document numbers superseded by a later document with the same id. */
	get replacedDocs(): readonly number[] {
		return this.replaced;
	}

	/** Inverts the buffered documents. The builder must not be used afterwards. */
	finish(): IndexSnapshot {
		const termCount = this.vocabulary.size;
		const postings = this.docTerms.length;
		const docTerms = this.docTerms.data;
		// Counting sort by term: count, prefix-sum, scatter in document order, which leaves every
		// posting list sorted by document number without any comparison sort.
		const postOffsets = new Float64Array(termCount + 1);
		for (let p = 0; p < postings; p++) postOffsets[docTerms[p] + 1]++;
		for (let t = 0; t < termCount; t++) postOffsets[t + 1] += postOffsets[t];
		const cursor = postOffsets.slice(0, termCount);
		const postDocs = new Uint32Array(postings);
		const postTf = new Uint8Array(postings * FIELD_COUNT);
		const docStart = this.docStart.data;
		const docTf = this.docTf.data;
		for (let d = 0; d < this.ids.length; d++) {
			for (let p = docStart[d]; p < docStart[d + 1]; p++) {
				const at = cursor[docTerms[p]]++;
				postDocs[at] = d;
				for (let f = 0; f < FIELD_COUNT; f++)
					postTf[at * FIELD_COUNT + f] = docTf[p * FIELD_COUNT + f];
			}
		}
		return {
			params: this.params,
			terms: this.vocabulary.terms,
			ids: this.ids,
			postOffsets,
			postDocs,
			postTf,
			fieldLen: this.fieldLen.toArray(),
			fwdOffsets: this.fwdOffsets.toArray(),
			fwdBytes: this.fwdBytes.toArray()
		};
	}
}
