/**
 * Turns one document into its term ids and per-field term frequencies. Shared by the bulk
 * builder and by incremental `add`, so both sides analyze exactly alike.
 */
import { termOfToken, tokenize } from './analyzer';
import { FIELD_COUNT, FIELD_NAMES, type IndexDocument } from './lexical-types';
import { ensureCapacity } from '../shared/typed-arrays';

/** Maps terms to dense ids and back; ids are assigned in first-seen order and never reused. */
export class Vocabulary {
	private readonly ids = new Map<string, number>();
	/** Term by id. */
	readonly terms: string[];

	/** Starts from (a copy of) existing terms; their ids are their positions. */
	constructor(terms: readonly string[] = []) {
		this.terms = terms.slice();
		for (let i = 0; i < terms.length; i++) this.ids.set(terms[i], i);
	}

	/** The number of terms. */
	get size(): number {
		return this.terms.length;
	}

	/** The id of `term`, or -1 when it was never seen. */
	get(term: string): number {
		return this.ids.get(term) ?? -1;
	}

	/** The id of `term`, assigning the next one when it is new. */
	intern(term: string): number {
		let id = this.ids.get(term);
		if (id === undefined) {
			id = this.terms.length;
			this.ids.set(term, id);
			this.terms.push(term);
		}
		return id;
	}
}

const TOKEN_CACHE_LIMIT = 1_000_000;
// Slots per document in a packed sort key; term ids × 2^24 stay exact in a double up to 2^29 ids.
const SLOT_SPACE = 1 << 24;

/** The analyzed form of one document; arrays are scratch space, valid until the next call. */
export interface DocTerms {
	/** The number of distinct terms. */
	count: number;
	/** Distinct term ids, ascending (first `count` entries). */
	termIds: Uint32Array;
	/** Frequency of termIds[i] in field f at `i * FIELD_COUNT + f`, capped at 255. */
	tf: Uint8Array;
	/** Analyzed length of each field. */
	lengths: Uint32Array;
}

/** Text of a field of a document, authors joined so that names stay separate tokens. */
export function fieldText(doc: IndexDocument, field: (typeof FIELD_NAMES)[number]): string {
	const value = doc[field];
	if (value === undefined) return '';
	return typeof value === 'string' ? value : value.join(' ; ');
}

/**
 * Counts a document's terms per field. Keeps a term-id → slot table instead of a Map per document,
 * because bulk builds call this millions of times and per-document Maps dominate GC time.
 */
export class DocTermCounter {
	private slot = new Int32Array(1024).fill(-1);
	// Surface token → term id (-1: dropped), one lookup per token instead of a stem memo plus
	// a vocabulary lookup. Bound to one vocabulary, and cleared when it grows too large.
	private readonly tokenIds = new Map<string, number>();
	private tokenVocabulary: Vocabulary | null = null;
	private keys = new Float64Array(256);
	private readonly out: DocTerms = {
		count: 0,
		termIds: new Uint32Array(256),
		tf: new Uint8Array(256 * FIELD_COUNT),
		lengths: new Uint32Array(FIELD_COUNT)
	};

	private termIdOf(token: string, vocabulary: Vocabulary): number {
		let id = this.tokenIds.get(token);
		if (id === undefined) {
			const term = termOfToken(token);
			id = term === null ? -1 : vocabulary.intern(term);
			if (this.tokenIds.size >= TOKEN_CACHE_LIMIT) this.tokenIds.clear();
			this.tokenIds.set(token, id);
		}
		return id;
	}

	/** Analyzes `doc`, interning new terms into `vocabulary`. */
	count(doc: IndexDocument, vocabulary: Vocabulary): DocTerms {
		if (this.tokenVocabulary !== vocabulary) {
			this.tokenIds.clear();
			this.tokenVocabulary = vocabulary;
		}
		const out = this.out;
		let n = 0;
		for (let f = 0; f < FIELD_COUNT; f++) {
			let length = 0;
			for (const token of tokenize(fieldText(doc, FIELD_NAMES[f]))) {
				const id = this.termIdOf(token, vocabulary);
				if (id < 0) continue;
				length++;
				if (id >= this.slot.length) {
					const grown = new Int32Array(Math.max(id + 1, this.slot.length * 2)).fill(-1);
					grown.set(this.slot);
					this.slot = grown;
				}
				let s = this.slot[id];
				if (s < 0) {
					s = n++;
					this.slot[id] = s;
					out.termIds = ensureCapacity(out.termIds, n);
					out.tf = ensureCapacity(out.tf, n * FIELD_COUNT);
					out.termIds[s] = id;
					for (let g = 0; g < FIELD_COUNT; g++) out.tf[s * FIELD_COUNT + g] = 0;
				}
				const at = s * FIELD_COUNT + f;
				if (out.tf[at] < 255) out.tf[at]++;
			}
			out.lengths[f] = length;
		}
		// Sort entries by term id (the forward index stores id gaps): a native numeric sort of
		// packed (term id, slot) keys, then a gather, and clear the slot table on the way.
		this.keys = ensureCapacity(this.keys, n);
		const keys = this.keys.subarray(0, n);
		for (let i = 0; i < n; i++) keys[i] = out.termIds[i] * SLOT_SPACE + i;
		keys.sort();
		const ids = out.termIds.slice(0, n);
		const tf = out.tf.slice(0, n * FIELD_COUNT);
		for (let i = 0; i < n; i++) {
			const from = keys[i] % SLOT_SPACE;
			out.termIds[i] = ids[from];
			for (let g = 0; g < FIELD_COUNT; g++)
				out.tf[i * FIELD_COUNT + g] = tf[from * FIELD_COUNT + g];
			this.slot[ids[from]] = -1;
		}
		out.count = n;
		return out;
	}
}
