/**
 * A reader for the safetensors format (u64 little-endian header length · JSON header · raw
 * little-endian tensor bytes), enough for embedding matrices: float tensors are widened to
 * Float32Array, integer tensors (token mappings) to plain numbers.
 */
import { EmbeddingModelError } from './provider';

interface TensorEntry {
	dtype: string;
	shape: number[];
	data_offsets: [number, number];
}

/** A tensor read from a safetensors file. */
export interface Tensor<T> {
	shape: number[];
	data: T;
}

const FLOAT_BYTES: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I8: 1 };
const INT_BYTES: Record<string, number> = { I64: 8, I32: 4, I16: 2, U8: 1 };

/** The header and data of a safetensors file, read lazily tensor by tensor. */
export class SafetensorsFile {
	private readonly entries: Map<string, TensorEntry>;
	private readonly dataStart: number;

	/** Parses the header; `what` names the file in error messages. */
	constructor(
		private readonly bytes: Uint8Array,
		private readonly what: string
	) {
		if (bytes.length < 8) throw new EmbeddingModelError(`${what}: not a safetensors file`);
		const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
		const headerLength = Number(view.getBigUint64(0, true));
		if (headerLength > bytes.length - 8)
			throw new EmbeddingModelError(`${what}: header runs past the end of the file`);
		let header: Record<string, unknown>;
		try {
			header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
		} catch (error) {
			throw new EmbeddingModelError(`${what}: unreadable header`, { cause: error });
		}
		this.dataStart = 8 + headerLength;
		this.entries = new Map();
		for (const [name, entry] of Object.entries(header)) {
			if (name !== '__metadata__') this.entries.set(name, entry as TensorEntry);
		}
	}

	/** Names of the tensors in the file. */
	names(): string[] {
		return [...this.entries.keys()];
	}

	has(name: string): boolean {
		return this.entries.has(name);
	}

	/** A float tensor (F64, F32, F16, BF16 or I8) as float32. */
	floats(name: string): Tensor<Float32Array> {
		const { entry, view, count } = this.locate(name, FLOAT_BYTES);
		const out = new Float32Array(count);
		switch (entry.dtype) {
			case 'F64':
				for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
				break;
			case 'F32':
				for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
				break;
			case 'F16':
				for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
				break;
			case 'BF16':
				for (let i = 0; i < count; i++) out[i] = bfloatToFloat(view.getUint16(i * 2, true));
				break;
			case 'I8':
				for (let i = 0; i < count; i++) out[i] = view.getInt8(i);
				break;
		}
		return { shape: entry.shape, data: out };
	}

	/** An integer tensor (I64, I32, I16 or U8) as an Int32Array. */
	ints(name: string): Tensor<Int32Array> {
		const { entry, view, count } = this.locate(name, INT_BYTES);
		const out = new Int32Array(count);
		for (let i = 0; i < count; i++) {
			switch (entry.dtype) {
				case 'I64':
					out[i] = Number(view.getBigInt64(i * 8, true));
					break;
				case 'I32':
					out[i] = view.getInt32(i * 4, true);
					break;
				case 'I16':
					out[i] = view.getInt16(i * 2, true);
					break;
				case 'U8':
					out[i] = view.getUint8(i);
					break;
			}
		}
		return { shape: entry.shape, data: out };
	}

	private locate(
		name: string,
		widths: Record<string, number>
	): { entry: TensorEntry; view: DataView; count: number } {
		const entry = this.entries.get(name);
		if (!entry) throw new EmbeddingModelError(`${this.what}: no tensor named "${name}"`);
		const width = widths[entry.dtype];
		if (width === undefined)
			throw new EmbeddingModelError(
				`${this.what}: tensor "${name}" has unsupported dtype ${entry.dtype}`
			);
		const count = entry.shape.reduce((a, b) => a * b, 1);
		const [begin, end] = entry.data_offsets;
		if (end - begin !== count * width || this.dataStart + end > this.bytes.length)
			throw new EmbeddingModelError(`${this.what}: tensor "${name}" is truncated or mis-sized`);
		const view = new DataView(
			this.bytes.buffer,
			this.bytes.byteOffset + this.dataStart + begin,
			end - begin
		);
		return { entry, view, count };
	}
}

function halfToFloat(h: number): number {
	const sign = h & 0x8000 ? -1 : 1;
	const exponent = (h >> 10) & 0x1f;
	const fraction = h & 0x3ff;
	if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
	if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
	return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

const bfloatScratch = new DataView(new ArrayBuffer(4));
function bfloatToFloat(b: number): number {
	bfloatScratch.setUint32(0, b << 16);
	return bfloatScratch.getFloat32(0);
}
