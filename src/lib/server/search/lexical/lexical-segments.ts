/**
 * The storage side of a live lexical index (lexical-index.ts holds the ranking): the delta
 * segment's postings, when to compact, reading the forward index, and merging the main and
 * delta segments minus removed documents into a fresh snapshot. Building a snapshot in bulk is
 * lexical-builder.ts, encoding one lexical-codec.ts.
 */
import type { Vocabulary } from './doc-terms';
import { writeForward } from './lexical-builder';
import { FIELD_COUNT, type Bm25fParams, type IndexSnapshot } from './lexical-types';
import { Growable } from '../shared/typed-arrays';

/** The postings of one term in the delta segment, in ascending document order. */
export interface DeltaPostings {
	docs: number[];
	tf: number[];
}

// Compaction rewrites every posting, so it runs only when the delta or the tombstones have grown
// to a fixed fraction of the index: amortised O(1) rewrites per added document.
const MIN_DELTA_BEFORE_COMPACT = 4096;
const COMPACT_FRACTION = 0.25;

/** Whether the delta segment or the tombstones have grown enough to be worth a compaction. */
export function needsCompaction(slots: number, mainDocs: number, liveCount: number): boolean {
	const deltaDocs = slots - mainDocs;
	const dead = slots - liveCount;
	const limit = Math.max(MIN_DELTA_BEFORE_COMPACT, COMPACT_FRACTION * slots);
	return deltaDocs >= limit || dead >= limit;
}

/** The state of a live index that {@link mergeSegments} reads; nothing in it is modified. */
export interface IndexSegments {
	params: Bm25fParams;
	vocabulary: Vocabulary;
	/** Per term id: live documents containing it. */
	df: Int32Array;
	ids: string[];
	/** Per document number: 1 when live. */
	live: Growable<Uint8Array>;
	liveCount: number;
	fieldLen: Growable<Uint32Array>;
	fwdOffsets: Growable<Float64Array>;
	fwdBytes: Growable<Uint8Array>;
	/** Documents of the main segment (numbers below this). */
	mainDocs: number;
	/** Terms of the main segment (ids below this have main postings). */
	mainTerms: number;
	postOffsets: Float64Array;
	postDocs: Uint32Array;
	postTf: Uint8Array;
	delta: ReadonlyMap<number, DeltaPostings>;
}

/** Calls `visit(termId, tf)` for every distinct term of a document in a forward index. */
export function forEachForwardTerm(
	fwdBytes: Uint8Array,
	fwdOffsets: Float64Array,
	docNo: number,
	visit: (termId: number, tf: number) => void
): void {
	const end = fwdOffsets[docNo + 1];
	let p = fwdOffsets[docNo];
	let termId = 0;
	while (p < end) {
		let gap = 0;
		let shift = 0;
		let byte: number;
		do {
			byte = fwdBytes[p++];
			gap |= (byte & 0x7f) << shift;
			shift += 7;
		} while (byte & 0x80);
		termId += gap >>> 0;
		visit(termId, fwdBytes[p++]);
	}
}

/**
 * A compacted snapshot of the live documents: main postings then delta postings per term, removed
 * documents and orphaned terms dropped, document and term ids renumbered densely. With nothing
 * added or removed since the last compaction it shares the main segment's arrays instead.
 */
export function mergeSegments(segments: IndexSegments): IndexSnapshot {
	if (segments.ids.length === segments.mainDocs && segments.liveCount === segments.mainDocs) {
		// Nothing added or removed since the last compaction: the arrays already are a
		// snapshot (shared, not copied — snapshots are read-only by contract).
		return {
			params: segments.params,
			terms: segments.vocabulary.terms,
			ids: segments.ids,
			postOffsets: segments.postOffsets,
			postDocs: segments.postDocs,
			postTf: segments.postTf,
			fieldLen: segments.fieldLen.data.subarray(0, segments.fieldLen.length),
			fwdOffsets: segments.fwdOffsets.data.subarray(0, segments.fwdOffsets.length),
			fwdBytes: segments.fwdBytes.data.subarray(0, segments.fwdBytes.length)
		};
	}
	const termCount = segments.vocabulary.size;
	const live = segments.live.data;
	const termMap = new Int32Array(termCount).fill(-1);
	const terms: string[] = [];
	for (let t = 0; t < termCount; t++) {
		if (segments.df[t] > 0) {
			termMap[t] = terms.length;
			terms.push(segments.vocabulary.terms[t]);
		}
	}
	const docMap = new Int32Array(segments.ids.length).fill(-1);
	const ids: string[] = [];
	for (let d = 0; d < segments.ids.length; d++) {
		if (live[d]) {
			docMap[d] = ids.length;
			ids.push(segments.ids[d]);
		}
	}
	const postOffsets = new Float64Array(terms.length + 1);
	for (let t = 0; t < termCount; t++)
		if (termMap[t] >= 0) postOffsets[termMap[t] + 1] = segments.df[t];
	for (let t = 0; t < terms.length; t++) postOffsets[t + 1] += postOffsets[t];
	const total = postOffsets[terms.length];
	const postDocs = new Uint32Array(total);
	const postTf = new Uint8Array(total * FIELD_COUNT);
	let at = 0;
	for (let t = 0; t < termCount; t++) {
		if (termMap[t] < 0) continue;
		// Main postings precede delta postings and both ascend, so the merge is a concatenation.
		if (t < segments.mainTerms) {
			for (let p = segments.postOffsets[t]; p < segments.postOffsets[t + 1]; p++) {
				const d = segments.postDocs[p];
				if (!live[d]) continue;
				postDocs[at] = docMap[d];
				for (let f = 0; f < FIELD_COUNT; f++)
					postTf[at * FIELD_COUNT + f] = segments.postTf[p * FIELD_COUNT + f];
				at++;
			}
		}
		const list = segments.delta.get(t);
		if (list !== undefined) {
			for (let i = 0; i < list.docs.length; i++) {
				const d = list.docs[i];
				if (!live[d]) continue;
				postDocs[at] = docMap[d];
				for (let f = 0; f < FIELD_COUNT; f++)
					postTf[at * FIELD_COUNT + f] = list.tf[i * FIELD_COUNT + f];
				at++;
			}
		}
	}
	const fieldLen = new Uint32Array(ids.length * FIELD_COUNT);
	const fwdOffsets = new Growable(new Float64Array(ids.length + 1));
	const fwdBytes = new Growable(new Uint8Array(segments.fwdBytes.length));
	fwdOffsets.push(0);
	const termIds: number[] = [];
	const tfs: number[] = [];
	for (let d = 0; d < segments.ids.length; d++) {
		const nd = docMap[d];
		if (nd < 0) continue;
		for (let f = 0; f < FIELD_COUNT; f++)
			fieldLen[nd * FIELD_COUNT + f] = segments.fieldLen.data[d * FIELD_COUNT + f];
		termIds.length = 0;
		tfs.length = 0;
		forEachForwardTerm(segments.fwdBytes.data, segments.fwdOffsets.data, d, (termId, tf) => {
			termIds.push(termMap[termId]);
			// writeForward sums per-field tf; the total goes in the first slot, the rest are 0.
			tfs.push(tf, 0, 0);
		});
		writeForward(fwdBytes, termIds.length, termIds, tfs);
		fwdOffsets.push(fwdBytes.length);
	}
	return {
		params: segments.params,
		terms,
		ids,
		postOffsets,
		postDocs,
		postTf,
		fieldLen,
		fwdOffsets: fwdOffsets.toArray(),
		fwdBytes: fwdBytes.toArray()
	};
}
