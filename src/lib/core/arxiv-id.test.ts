import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractArxivId, parseArxivId } from './arxiv-id';

describe('parseArxivId', () => {
	it('reads new-style ids with and without a version', () => {
		expect(parseArxivId('2401.12345')).toEqual({ id: '2401.12345', version: null });
		expect(parseArxivId('2401.12345v3')).toEqual({ id: '2401.12345', version: 3 });
		expect(parseArxivId('0704.0001')).toEqual({ id: '0704.0001', version: null });
	});

	it('reads old-style ids, including subject classes', () => {
		expect(parseArxivId('hep-th/9901001')).toEqual({ id: 'hep-th/9901001', version: null });
		expect(parseArxivId('math.GT/0309136v2')).toEqual({ id: 'math.GT/0309136', version: 2 });
	});

	it('rejects what is not an id', () => {
		for (const bad of [
			'',
			'abc',
			'2413.12345',
			'2401.123',
			'1401.12345',
			'2401.1234567',
			'hep-th/99'
		]) {
			expect(parseArxivId(bad), bad).toBeNull();
		}
	});

	it('round-trips every well-formed new-style id', () => {
		const ids = fc
			.tuple(
				fc.integer({ min: 15, max: 99 }),
				fc.integer({ min: 1, max: 12 }),
				fc.integer({ min: 0, max: 99999 })
			)
			.map(([yy, mm, n]) => `${yy}${String(mm).padStart(2, '0')}.${String(n).padStart(5, '0')}`);
		fc.assert(
			fc.property(ids, fc.integer({ min: 1, max: 40 }), (id, v) => {
				expect(parseArxivId(`${id}v${v}`)).toEqual({ id, version: v });
			})
		);
	});

	it('never throws on arbitrary text', () => {
		fc.assert(
			fc.property(fc.string(), (s) => {
				parseArxivId(s);
				extractArxivId(s);
			})
		);
	});
});

describe('extractArxivId', () => {
	it('finds the id in pasted arXiv and Hugging Face URLs', () => {
		expect(extractArxivId('https://arxiv.org/abs/2401.12345v2')?.id).toBe('2401.12345');
		expect(extractArxivId('https://arxiv.org/pdf/2401.12345.pdf')?.id).toBe('2401.12345');
		expect(extractArxivId('arxiv.org/abs/hep-th/9901001')?.id).toBe('hep-th/9901001');
		expect(extractArxivId('https://huggingface.co/papers/2401.12345')?.id).toBe('2401.12345');
		expect(extractArxivId('arXiv:2401.12345')?.id).toBe('2401.12345');
	});
});
