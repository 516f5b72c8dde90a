/**
 * The container format of the on-disk search files: magic · u32 version · u32 header length ·
 * header JSON · sections, each 8-byte aligned so that decoding can wrap the file's bytes as typed
 * arrays without copying them · a checksum trailer (u32 CRC-32 of the header, one u32 CRC-32 per
 * section, u32 section count, u32 trailer magic). Writing the bytes atomically (temp file +
 * rename) is the caller's.
 *
 * The checksums catch silent corruption (a flipped disk block, a stray write) that would otherwise
 * load and quietly change search results. CRC-32 runs at several GB/s here (zlib's, in Node since
 * 20.15), so verifying every section at load adds tens of milliseconds to a start, not seconds.
 */
import { constants as bufferLimits } from 'node:buffer';
import fs from 'node:fs/promises';
import { crc32 } from 'node:zlib';

/** 'CRC1' little-endian: the file ends with a checksum trailer. */
const TRAILER_MAGIC = 0x31435243;

/** A section file whose bytes do not match their checksums (or that has none): rebuild it. */
export class ChecksumError extends Error {}

/**
 * `n` rounded up to a multiple of 8. Plain arithmetic, not `(n + 7) & ~7`: bitwise
 * operators work on 32 bits, and the lexical file passes 2 GiB at ~2M papers.
 */
export const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/** Typed array classes a section can be read as. */
interface TypedArrayClass<T> {
	new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
	readonly BYTES_PER_ELEMENT: number;
}

/** Bytes of a JSON value, for a section holding strings (JSON.parse is the fastest decoder). */
export function jsonBytes(value: unknown): Uint8Array {
	return Buffer.from(JSON.stringify(value));
}

/** Packs a header object and byte sections into one buffer. */
export function encodeSections(
	magic: number,
	version: number,
	header: object,
	sections: readonly ArrayBufferView[]
): Buffer {
	const headerBytes = Buffer.from(JSON.stringify(header));
	let size = align8(12 + headerBytes.length);
	for (const section of sections) size = align8(size + section.byteLength);
	const trailerAt = size;
	size += 4 * (sections.length + 3);
	const out = Buffer.alloc(size);
	out.writeUInt32LE(magic, 0);
	out.writeUInt32LE(version, 4);
	out.writeUInt32LE(headerBytes.length, 8);
	out.set(headerBytes, 12);
	let at = align8(12 + headerBytes.length);
	let trailer = trailerAt;
	out.writeUInt32LE(crc32(headerBytes), trailer);
	for (const section of sections) {
		const bytes = new Uint8Array(section.buffer, section.byteOffset, section.byteLength);
		out.set(bytes, at);
		out.writeUInt32LE(crc32(bytes), (trailer += 4));
		at = align8(at + section.byteLength);
	}
	out.writeUInt32LE(sections.length, (trailer += 4));
	out.writeUInt32LE(TRAILER_MAGIC, (trailer += 4));
	return out;
}

/** One read call's most; the kernel moves at most ~2 GiB per read(2) anyway. */
const READ_STEP = 1 << 30;

/**
 * Reads a whole sections file. fs.readFile refuses files over 2 GiB, and the
 * lexical index passes that at ~2M papers; a Buffer holds up to 4 GiB on Node 20.
 */
export async function readSectionFile(file: string): Promise<Buffer> {
	const handle = await fs.open(file, 'r');
	try {
		const { size } = await handle.stat();
		if (size > bufferLimits.MAX_LENGTH) {
			throw new Error(
				`${file} is ${size.toLocaleString('en')} bytes; this Node.js reads at most ` +
					`${bufferLimits.MAX_LENGTH.toLocaleString('en')} into one buffer`
			);
		}
		// Unpooled, so the bytes start 8-aligned and SectionReader wraps them without a copy.
		const bytes = Buffer.allocUnsafeSlow(size);
		let at = 0;
		while (at < size) {
			const { bytesRead } = await handle.read(bytes, at, Math.min(READ_STEP, size - at), at);
			if (bytesRead === 0) throw new Error(`${file} ended at byte ${at} of ${size} while reading`);
			at += bytesRead;
		}
		return bytes;
	} finally {
		await handle.close();
	}
}

/** Reads the sections of a buffer written by {@link encodeSections}, in order. */
export class SectionReader<H> {
	/** The decoded header. */
	readonly header: H;
	private readonly bytes: Uint8Array;
	private readonly what: string;
	private readonly checksums: Uint32Array;
	private sectionIndex = 0;
	private at: number;

	/**
	 * Checks magic, version and the header's checksum; `what` names the file kind in error
	 * messages. Each section's checksum is verified as it is taken.
	 */
	constructor(input: Uint8Array, magic: number, version: number, what: string) {
		this.what = what;
		// Typed-array views need aligned offsets; a Buffer may start mid-ArrayBuffer. Buffer#slice
		// is a view, so the copy goes through the Uint8Array constructor.
		this.bytes = input.byteOffset % 8 === 0 ? input : new Uint8Array(input);
		const view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
		if (this.bytes.length < 12 || view.getUint32(0, true) !== magic)
			throw new Error(`not a ${what} file`);
		const found = view.getUint32(4, true);
		if (found !== version) throw new Error(`unsupported ${what} version ${found}`);
		const headerLength = view.getUint32(8, true);
		this.checksums = readTrailer(view, what);
		const headerBytes = this.bytes.subarray(12, 12 + headerLength);
		if (headerBytes.length !== headerLength || crc32(headerBytes) !== this.checksums[0]) {
			throw new ChecksumError(`${what} file header does not match its checksum`);
		}
		this.header = JSON.parse(new TextDecoder().decode(headerBytes)) as H;
		this.at = align8(12 + headerLength);
	}

	/** The next section's raw bytes, after checking them against their checksum. */
	take(byteLength: number): Uint8Array {
		if (this.at + byteLength > this.bytes.length) throw new Error(`truncated ${this.what} file`);
		const index = ++this.sectionIndex;
		if (index >= this.checksums.length) {
			throw new ChecksumError(`${this.what} file has more sections than checksums`);
		}
		const section = this.bytes.subarray(this.at, this.at + byteLength);
		if (crc32(section) !== this.checksums[index]) {
			throw new ChecksumError(`${this.what} file section ${index} does not match its checksum`);
		}
		this.at = align8(this.at + byteLength);
		return section;
	}

	/** The next section as a typed-array view sharing the input's memory (do not reuse it). */
	typed<T>(Ctor: TypedArrayClass<T>, length: number): T {
		const section = this.take(length * Ctor.BYTES_PER_ELEMENT);
		return new Ctor(section.buffer, section.byteOffset, length);
	}

	/** The next section parsed as JSON. */
	json<T>(byteLength: number): T {
		return JSON.parse(new TextDecoder().decode(this.take(byteLength))) as T;
	}
}

/** The header's checksum followed by each section's, from the end of the file. */
function readTrailer(view: DataView, what: string): Uint32Array {
	const end = view.byteLength;
	if (end < 20 || view.getUint32(end - 4, true) !== TRAILER_MAGIC) {
		throw new ChecksumError(
			`${what} file has no checksums (truncated, or written by an older version)`
		);
	}
	const count = view.getUint32(end - 8, true);
	const start = end - 8 - 4 * (count + 1);
	if (start < 12) throw new ChecksumError(`${what} file has a damaged checksum trailer`);
	const checksums = new Uint32Array(count + 1);
	for (let i = 0; i <= count; i++) checksums[i] = view.getUint32(start + 4 * i, true);
	return checksums;
}
