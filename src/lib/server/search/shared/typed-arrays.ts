/**
 * Small helpers for growable typed arrays and varint coding, used by the index segments so that
 * per-posting data never lives in JavaScript objects (which cost ~10× the bytes and GC time).
 */

/** Any typed array constructor the index uses. */
type TypedArrayConstructor<T> = { new (length: number): T };

/** The typed arrays the helpers accept. */
export type NumericArray =
	Int8Array | Uint8Array | Uint16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/**
 * Returns `array` if it holds at least `length` elements, else a copy grown geometrically
 * (×1.5, so appends stay amortised O(1) without doubling peak memory on huge builds).
 */
export function ensureCapacity<T extends NumericArray>(array: T, length: number): T {
	if (array.length >= length) return array;
	const Ctor = array.constructor as TypedArrayConstructor<T>;
	const grown = new Ctor(Math.max(length, Math.ceil(array.length * 1.5), 16));
	grown.set(array as ArrayLike<number> & T);
	return grown;
}

/** An append-only typed array with amortised growth. */
export class Growable<T extends NumericArray> {
	/** The backing store; only the first `length` elements are meaningful. */
	data: T;
	/** The number of elements appended. */
	length = 0;

	/** Wraps an initial (possibly empty) typed array. */
	constructor(initial: T) {
		this.data = initial;
	}

	/** Appends one value. */
	push(value: number): void {
		if (this.length === this.data.length) this.data = ensureCapacity(this.data, this.length + 1);
		this.data[this.length++] = value;
	}

	/** Makes room for `extra` more elements (for bulk writes through `data`). */
	reserve(extra: number): void {
		this.data = ensureCapacity(this.data, this.length + extra);
	}

	/** A right-sized copy of the appended elements. */
	toArray(): T {
		return this.data.slice(0, this.length) as T;
	}
}

/** Appends `value` (a non-negative integer < 2^32) as an unsigned LEB128 varint. */
export function writeVarint(out: Growable<Uint8Array>, value: number): void {
	out.reserve(5);
	const bytes = out.data;
	let v = value >>> 0;
	let n = out.length;
	while (v >= 0x80) {
		bytes[n++] = (v & 0x7f) | 0x80;
		v >>>= 7;
	}
	bytes[n++] = v;
	out.length = n;
}
