import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { align8, ChecksumError, encodeSections, readSectionFile, SectionReader } from './sections';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-sections-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('align8', () => {
	it('rounds up to a multiple of 8', () => {
		expect([0, 1, 7, 8, 9, 16].map(align8)).toEqual([0, 8, 8, 8, 16, 16]);
	});

	// Regression: `(n + 7) & ~7` wrapped negative here and the 2.7M-paper index build failed.
	it('stays exact past 2 GiB and 4 GiB', () => {
		expect(align8(2_777_169_617)).toBe(2_777_169_624);
		expect(align8(2 ** 31)).toBe(2 ** 31);
		expect(align8(2 ** 32 + 1)).toBe(2 ** 32 + 8);
	});
});

describe('readSectionFile', () => {
	it('reads back what encodeSections wrote', async () => {
		const values = Float32Array.from([1.5, -2, 3.25]);
		const file = path.join(dir, 'small.bin');
		fs.writeFileSync(file, encodeSections(0x1234, 2, { n: 3 }, [values]));
		const reader = new SectionReader<{ n: number }>(await readSectionFile(file), 0x1234, 2, 'test');
		expect(reader.header).toEqual({ n: 3 });
		expect([...reader.typed(Float32Array, 3)]).toEqual([1.5, -2, 3.25]);
	});

	// Regression: fs.readFile refuses files over 2 GiB, the size of the lexical index
	// at ~2M papers. A sparse file costs no disk; reading it costs 2 GiB of memory briefly.
	it('reads a file larger than 2 GiB whole', async () => {
		const file = path.join(dir, 'large.bin');
		const size = 2 ** 31 + 24;
		const handle = fs.openSync(file, 'w');
		try {
			fs.ftruncateSync(handle, size);
			fs.writeSync(handle, Buffer.from('tail'), 0, 4, size - 4);
		} finally {
			fs.closeSync(handle);
		}
		let bytes: Buffer | null = await readSectionFile(file);
		expect(bytes.length).toBe(size);
		expect(bytes.subarray(size - 4).toString()).toBe('tail');
		expect(bytes.byteOffset % 8).toBe(0);
		bytes = null;
	}, 60_000);
});

describe('section checksums', () => {
	const encoded = () =>
		encodeSections(0x1234, 2, { n: 64 }, [
			Float64Array.from({ length: 64 }, (_, i) => i / 3),
			Uint8Array.from({ length: 100 }, (_, i) => i)
		]);
	const readAll = (bytes: Uint8Array) => {
		const reader = new SectionReader<{ n: number }>(bytes, 0x1234, 2, 'test');
		return [reader.typed(Float64Array, 64), reader.take(100)];
	};

	it('reads every section of an intact file', () => {
		const [values, raw] = readAll(encoded());
		expect(values[63]).toBe(21);
		expect(raw[99]).toBe(99);
	});

	// Regression: random bytes written into the middle of lexical.bin loaded without a word.
	it('refuses a section whose bytes changed, size unchanged', () => {
		const bytes = encoded();
		const headerEnd = align8(12 + bytes.readUInt32LE(8));
		bytes[headerEnd + 100] ^= 0x40;
		expect(() => readAll(bytes)).toThrow(ChecksumError);
		expect(() => readAll(bytes)).toThrow(/section 1 does not match its checksum/);
	});

	it('refuses a changed header', () => {
		const bytes = encoded();
		bytes[13] = bytes[13] === 0x22 ? 0x27 : 0x22;
		expect(() => readAll(bytes)).toThrow(ChecksumError);
	});

	it('refuses a file without its checksum trailer', () => {
		const bytes = encoded();
		expect(() => readAll(bytes.subarray(0, bytes.length - 4))).toThrow(/no checksums/);
	});
});
