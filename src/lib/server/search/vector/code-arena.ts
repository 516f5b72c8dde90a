/**
 * The storage of a vector index's int8 codes: one WebAssembly memory shared by every inverted
 * list, so the SIMD kernel (vector-kernel.ts) scans them in place. The index (vector-index.ts)
 * decides what goes in which list; this file only allocates, grows and packs the blocks.
 */
import { align8 } from '../shared/sections';
import { Growable } from '../shared/typed-arrays';
import { createDotKernel, type DotKernel } from './vector-kernel';

/** Bytes per WebAssembly memory page. */
export const PAGE = 65536;
/** Vectors scanned per kernel call: bounds the output area. */
export const CHUNK = 16384;

/**
 * One inverted list: a block of the code arena (`capacity` rows of codes, then `capacity` float32
 * scales) plus parallel JavaScript arrays.
 */
export class List {
	/** Byte offset of the block in the arena. */
	offset = 0;
	/** Entries the block can hold. */
	capacity = 0;
	ordinals = new Growable(new Int32Array(0));
	floats = new Growable(new Float32Array(0));

	get length(): number {
		return this.ordinals.length;
	}
}

/**
 * The int8 codes of all lists in one WebAssembly memory: [query int16 | kernel output | blocks].
 * Blocks are bump-allocated; a list that outgrows its block moves to a bigger one at the end.
 */
export class CodeArena {
	readonly kernel: DotKernel;
	readonly queryAt = 0;
	readonly outAt: number;
	private readonly start: number;
	/** End of the last block. */
	top: number;
	private view: Int8Array;
	private floatView: Float32Array;
	private intView: Int32Array;

	constructor(
		readonly stride: number,
		bytes: number
	) {
		this.outAt = Math.ceil((2 * stride) / 16) * 16;
		this.start = this.outAt + 8 * CHUNK;
		this.top = this.start;
		this.kernel = createDotKernel(Math.max(1, Math.ceil((this.start + bytes) / PAGE)));
		this.view = new Int8Array(this.kernel.memory.buffer);
		this.floatView = new Float32Array(this.kernel.memory.buffer);
		this.intView = new Int32Array(this.kernel.memory.buffer);
	}

	/** The arena as int8 (re-viewed after the memory grew). */
	get codes(): Int8Array {
		if (this.view.buffer !== this.kernel.memory.buffer)
			this.view = new Int8Array(this.kernel.memory.buffer);
		return this.view;
	}

	/** The arena as float32, for the scales (index = byte offset / 4). */
	get floats(): Float32Array {
		if (this.floatView.buffer !== this.kernel.memory.buffer)
			this.floatView = new Float32Array(this.kernel.memory.buffer);
		return this.floatView;
	}

	/** The arena as int32, for the kernel's output (index = byte offset / 4). */
	get ints(): Int32Array {
		if (this.intView.buffer !== this.kernel.memory.buffer)
			this.intView = new Int32Array(this.kernel.memory.buffer);
		return this.intView;
	}

	/** Bytes of a block of `capacity` entries. */
	blockBytes(capacity: number): number {
		return align8(capacity * (this.stride + 4));
	}

	/** Bytes in blocks (live or left behind). */
	get used(): number {
		return this.top - this.start;
	}

	/** Reserved bytes of the memory. */
	get reserved(): number {
		return this.kernel.memory.buffer.byteLength;
	}

	/** Makes sure `bytes` more can be allocated without growing the memory again. */
	reserve(bytes: number): void {
		const needed = this.top + bytes - this.kernel.memory.buffer.byteLength;
		if (needed > 0) this.kernel.memory.grow(Math.ceil(needed / PAGE));
	}

	/** A new block of `bytes` at the end. */
	allocate(bytes: number): number {
		const at = this.top;
		const needed = at + bytes - this.kernel.memory.buffer.byteLength;
		if (needed > 0) {
			// Grow by half again at least, so appends stay amortised O(1).
			const pages = Math.max(
				Math.ceil(needed / PAGE),
				Math.ceil(this.kernel.memory.buffer.byteLength / PAGE / 2)
			);
			this.kernel.memory.grow(Math.min(pages, 65536 - this.kernel.memory.buffer.byteLength / PAGE));
		}
		this.top += bytes;
		return at;
	}

	/** Byte offset of the scales of a block. */
	scalesAt(list: List): number {
		return list.offset + list.capacity * this.stride;
	}

	/**
	 * Packs the given lists' blocks to the front, in offset order, with no spare capacity. Moves
	 * only go down, codes before scales, so no source is overwritten before it is copied.
	 */
	pack(lists: readonly List[]): void {
		const codes = this.codes;
		let at = this.start;
		for (const list of [...lists].sort((a, b) => a.offset - b.offset)) {
			const codeBytes = list.length * this.stride;
			const scales = this.scalesAt(list);
			codes.copyWithin(at, list.offset, list.offset + codeBytes);
			codes.copyWithin(at + codeBytes, scales, scales + 4 * list.length);
			list.offset = at;
			list.capacity = list.length;
			at += this.blockBytes(list.length);
		}
		this.top = at;
	}

	/** Writes the int16 query lanes. */
	setQuery(values: Int16Array): void {
		new Int16Array(this.kernel.memory.buffer, this.queryAt, this.stride).set(values);
	}
}
