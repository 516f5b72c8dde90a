/**
 * Shapes shared by the lexical index, its bulk builder and its codec.
 */

/** The indexed fields, in the fixed order every per-field array uses. */
export const FIELD_NAMES = ['title', 'abstract', 'authors'] as const;

/** One indexed field. */
export type FieldName = (typeof FIELD_NAMES)[number];

/** The number of fields; per-field arrays are laid out as `doc * FIELD_COUNT + field`. */
export const FIELD_COUNT = FIELD_NAMES.length;

/** BM25F weight and length-normalisation strength of one field. */
export interface FieldParams {
	/** Multiplies the field's term frequency before saturation (BM25F: fields share one k1). */
	weight: number;
	/** Length normalisation in [0, 1]: 0 ignores the field's length, 1 divides by it fully. */
	b: number;
}

/** Scoring parameters; all apply at query time, so changing them needs no rebuild. */
export interface Bm25fParams {
	/** Term-frequency saturation shared by all fields. */
	k1: number;
	/** Per-field weight and length normalisation. */
	fields: Record<FieldName, FieldParams>;
}

/**
 * The default BM25F parameters. k1 = 1.2 and b = 0.75 are Robertson's textbook values, kept
 * as they are. The title weight is the one parameter tuned, on the HF known-item set only
 * (bench/search-quality): nDCG@10 rose from 0.949 (weight 1) through 0.962 (2) and 0.971 (4)
 * to 0.976 at 6 and fell at 8. Over that range CISI stayed within 0.404–0.412 and Cranfield
 * within 0.374–0.385 (looked at, not used to choose).
 * Author names are short bags of tokens whose length says nothing about relevance, hence b = 0.
 */
export const DEFAULT_BM25F: Bm25fParams = {
	k1: 1.2,
	fields: {
		title: { weight: 6, b: 0.75 },
		abstract: { weight: 1, b: 0.75 },
		authors: { weight: 1, b: 0 }
	}
};

/** A document as handed to the index; missing fields are simply empty. */
export interface IndexDocument {
	/** The caller's stable identifier (an arXiv id, a BEIR `_id`). */
	id: string;
	title?: string;
	abstract?: string;
	/** Author names; an array keeps names apart, a string is analyzed as-is. */
	authors?: string | readonly string[];
}

/**
 * A compacted, immutable segment: every document live, postings sorted by document number.
 * This is both the bulk builder's output and the unit of serialization.
 */
export interface IndexSnapshot {
	params: Bm25fParams;
	/** Term by term id. */
	terms: string[];
	/** External id by document number. */
	ids: string[];
	/** Postings of term t are `[postOffsets[t], postOffsets[t + 1])`; doubles so > 4G is fine. */
	postOffsets: Float64Array;
	/** Document numbers, ascending within each term. */
	postDocs: Uint32Array;
	/** Per-posting term frequency in each field (`posting * FIELD_COUNT + field`), capped at 255. */
	postTf: Uint8Array;
	/** Analyzed length of each field (`doc * FIELD_COUNT + field`). */
	fieldLen: Uint32Array;
	/** Forward index: document d's entries are bytes `[fwdOffsets[d], fwdOffsets[d + 1])`. */
	fwdOffsets: Float64Array;
	/** Per document: (varint term-id gap, total-tf byte) pairs in ascending term-id order. */
	fwdBytes: Uint8Array;
}
