/**
 * Binary encoding of an index snapshot: a small JSON header followed by the typed arrays, each
 * 8-byte aligned so that decoding can wrap the file's bytes without copying them.
 *
 * Layout: "DPLX" · u32 version · u32 header length · header JSON · padding · sections.
 * Writing the bytes atomically (temp file + rename) is the caller's job.
 */
import { FIELD_COUNT, type Bm25fParams, type IndexSnapshot } from './lexical-types';

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

const align8 = (n: number): number => (n + 7) & ~7;

/** Encodes a snapshot into a single buffer. */
export function encodeSnapshot(snapshot: IndexSnapshot): Buffer {
	// JSON keeps ids with any characters intact and JSON.parse is the fastest bulk string decoder.
	const termsJson = Buffer.from(JSON.stringify(snapshot.terms));
	const idsJson = Buffer.from(JSON.stringify(snapshot.ids));
	const header: Header = {
		params: snapshot.params,
		fieldCount: FIELD_COUNT,
		docs: snapshot.ids.length,
		terms: snapshot.terms.length,
		postings: snapshot.postDocs.length,
		fwdBytes: snapshot.fwdBytes.length,
		termsJson: termsJson.length,
		idsJson: idsJson.length
	};
	const headerBytes = Buffer.from(JSON.stringify(header));
	const sections: Uint8Array[] = [
		termsJson,
		idsJson,
		bytesOf(snapshot.postOffsets),
		bytesOf(snapshot.postDocs),
		bytesOf(snapshot.postTf),
		bytesOf(snapshot.fieldLen),
		bytesOf(snapshot.fwdOffsets),
		bytesOf(snapshot.fwdBytes)
	];
	let size = align8(12 + headerBytes.length);
	for (const section of sections) size = align8(size + section.length);
	const out = Buffer.alloc(size);
	out.writeUInt32LE(MAGIC, 0);
	out.writeUInt32LE(VERSION, 4);
	out.writeUInt32LE(headerBytes.length, 8);
	out.set(headerBytes, 12);
	let at = align8(12 + headerBytes.length);
	for (const section of sections) {
		out.set(section, at);
		at = align8(at + section.length);
	}
	return out;
}

function bytesOf(array: ArrayBufferView): Uint8Array {
	return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** Decodes a buffer written by {@link encodeSnapshot}; throws on anything else. */
export function decodeSnapshot(input: Uint8Array): IndexSnapshot {
	// Typed-array views need aligned offsets; a pooled Buffer may start mid-ArrayBuffer.
	// (Buffer#slice is a view, so copy explicitly with the Uint8Array constructor.)
	const bytes = input.byteOffset % 8 === 0 ? input : new Uint8Array(input);
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	if (bytes.length < 12 || view.getUint32(0, true) !== MAGIC)
		throw new Error('not a lexical index file');
	const version = view.getUint32(4, true);
	if (version !== VERSION) throw new Error(`unsupported lexical index version ${version}`);
	const headerLength = view.getUint32(8, true);
	const text = new TextDecoder();
	const header = JSON.parse(text.decode(bytes.subarray(12, 12 + headerLength))) as Header;
	if (header.fieldCount !== FIELD_COUNT) throw new Error('lexical index field count mismatch');
	let at = align8(12 + headerLength);
	const take = (byteLength: number): Uint8Array => {
		if (at + byteLength > bytes.length) throw new Error('truncated lexical index file');
		const section = bytes.subarray(at, at + byteLength);
		at = align8(at + byteLength);
		return section;
	};
	// Views share the input's memory: the caller must not reuse the buffer afterwards.
	const typed = <T>(
		Ctor: new (buffer: ArrayBufferLike, offset: number, length: number) => T,
		length: number,
		size: number
	): T => new Ctor(bytes.buffer, take(length * size).byteOffset, length);
	const terms = JSON.parse(text.decode(take(header.termsJson))) as string[];
	const ids = JSON.parse(text.decode(take(header.idsJson))) as string[];
	return {
		params: header.params,
		terms,
		ids,
		postOffsets: typed(Float64Array, header.terms + 1, 8),
		postDocs: typed(Uint32Array, header.postings, 4),
		postTf: typed(Uint8Array, header.postings * FIELD_COUNT, 1),
		fieldLen: typed(Uint32Array, header.docs * FIELD_COUNT, 4),
		fwdOffsets: typed(Float64Array, header.docs + 1, 8),
		fwdBytes: typed(Uint8Array, header.fwdBytes, 1)
	};
}
