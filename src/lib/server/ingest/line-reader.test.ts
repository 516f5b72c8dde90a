import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
	readLines,
	TruncatedInputError,
	type InputLine,
	type LineReaderOptions
} from './line-reader';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-lines-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function writeFile(content: Buffer | string, gzip = false): string {
	fileCount += 1;
	const file = path.join(dir, `input-${fileCount}${gzip ? '.gz' : ''}`);
	const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
	fs.writeFileSync(file, gzip ? zlib.gzipSync(bytes) : bytes);
	return file;
}

async function collect(file: string, options: LineReaderOptions = {}): Promise<InputLine[]> {
	const all: InputLine[] = [];
	for await (const chunk of readLines(file, options)) all.push(...chunk);
	return all;
}

describe('readLines', () => {
	it('numbers lines and reports the byte offset after each, counting multi-byte characters', async () => {
		const file = writeFile('{"a":1}\n{"é":"ü"}\r\n\nlast');
		const lines = await collect(file);
		expect(lines.map((l) => [l.number, l.text, l.endOffset])).toEqual([
			[1, '{"a":1}', 8],
			[2, '{"é":"ü"}', 21],
			[3, '', 22],
			[4, 'last', 26]
		]);
	});

	it('reads gzip input the same as plain input, whatever the file is called', async () => {
		const content = Array.from({ length: 5000 }, (_, i) => `{"id":"${i}"}`).join('\n') + '\n';
		const plain = await collect(writeFile(content));
		const gzip = await collect(writeFile(content, true));
		expect(gzip).toEqual(plain);
		expect(plain).toHaveLength(5000);
	});

	it('resumes after a saved point: plain files by seeking, gzip files by skipping lines', async () => {
		const content = Array.from({ length: 3000 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
		for (const gzip of [false, true]) {
			const file = writeFile(content, gzip);
			const all = await collect(file);
			const at = all[1233];
			const rest = await collect(file, { start: { line: at.number, offset: at.endOffset } });
			expect(rest).toEqual(all.slice(1234));
		}
	});

	it('reports invalid UTF-8 and over-long lines without losing the lines around them', async () => {
		const bad = Buffer.concat([
			Buffer.from('ok 1\n'),
			Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]),
			Buffer.from(`${'x'.repeat(3000)}\n`),
			Buffer.from('ok 2\n')
		]);
		const lines = await collect(writeFile(bad), { maxLineBytes: 1000 });
		expect(lines.map((l) => l.text)).toEqual(['ok 1', null, null, 'ok 2']);
		expect(lines[1].problem).toBe('not valid UTF-8');
		expect(lines[2].problem).toMatch(/^line is 2\.9 KiB \(limit 1000 bytes\)$/);
		expect(lines[3].endOffset).toBe(bad.length);
	});

	it('keeps offsets exact across a long line split over many reads', async () => {
		const long = 'y'.repeat(3 * (1 << 20));
		const lines = await collect(writeFile(`a\n${long}\nb\n`));
		expect(lines.map((l) => [l.number, l.text?.length ?? null, l.endOffset])).toEqual([
			[1, 1, 2],
			[2, null, 2 + long.length + 1],
			[3, 1, 2 + long.length + 3]
		]);
	});

	it('yields the complete lines of a truncated gzip file, then says it is truncated', async () => {
		const content = Array.from({ length: 20000 }, (_, i) => `{"n":${i}}`).join('\n') + '\n';
		const whole = zlib.gzipSync(Buffer.from(content));
		const file = writeFile(whole.subarray(0, Math.floor(whole.length / 2)));
		const seen: InputLine[] = [];
		const error = await (async () => {
			try {
				for await (const chunk of readLines(file)) seen.push(...chunk);
			} catch (caught) {
				return caught;
			}
		})();
		expect(error).toBeInstanceOf(TruncatedInputError);
		expect(seen.length).toBeGreaterThan(1000);
		expect((error as TruncatedInputError).afterLine).toBe(seen.length);
		seen.forEach((line, i) => expect(line.text).toBe(`{"n":${i}}`));
	});
});
