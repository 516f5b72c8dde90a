/**
 * Binary encoding of a lexical index snapshot ("DPLX" container, see shared/sections.ts): term and id
 * lists as JSON, then the posting, length and forward-index arrays.
 */
import { FIELD_COUNT, type Bm25fParams, type IndexSnapshot } from './lexical-types';
import { encodeSections, jsonBytes, SectionReader } from '../shared/sections';

const MAGIC = 0x584c5044; // "DPLX" little-endian
const VERSION = 1;

interface Header {
	params: Bm25fParams;
	fieldCount: number;
	docs: number;
	terms: number;
	postings: number;
	fwdBytes: number;
	/** Byte lengths of the JSON-encoded term and id lists. */
	termsJson: number;
	idsJson: number;
}

/** Encodes a snapshot into a single buffer. */
export function encodeSnapshot(snapshot: IndexSnapshot): Buffer {
	const terms = jsonBytes(snapshot.terms);
	const ids = jsonBytes(snapshot.ids);
	const header: Header = {
		params: snapshot.params,
		fieldCount: FIELD_COUNT,
		docs: snapshot.ids.length,
		terms: snapshot.terms.length,
		postings: snapshot.postDocs.length,
		fwdBytes: snapshot.fwdBytes.length,
		termsJson: terms.length,
		idsJson: ids.length
	};
	return encodeSections(MAGIC, VERSION, header, [
		terms,
		ids,
		snapshot.postOffsets,
		snapshot.postDocs,
		snapshot.postTf,
		snapshot.fieldLen,
		snapshot.fwdOffsets,
		snapshot.fwdBytes
	]);
}

/** Decodes a buffer written by {@link encodeSnapshot}; throws on anything else. */
export function decodeSnapshot(input: Uint8Array): IndexSnapshot {
	const reader = new SectionReader<Header>(input, MAGIC, VERSION, 'lexical index');
	const { header } = reader;
	if (header.fieldCount !== FIELD_COUNT) throw new Error('lexical index field count mismatch');
	return {
		params: header.params,
		terms: reader.json<string[]>(header.termsJson),
		ids: reader.json<string[]>(header.idsJson),
		postOffsets: reader.typed(Float64Array, header.terms + 1),
		postDocs: reader.typed(Uint32Array, header.postings),
		postTf: reader.typed(Uint8Array, header.postings * FIELD_COUNT),
		fieldLen: reader.typed(Uint32Array, header.docs * FIELD_COUNT),
		fwdOffsets: reader.typed(Float64Array, header.docs + 1),
		fwdBytes: reader.typed(Uint8Array, header.fwdBytes)
	};
}
