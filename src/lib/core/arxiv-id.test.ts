import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractArxivId, formatArxivId, parseArxivId, parseOaiIdentifier } from './arxiv-id';

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

describe('arXiv ids in snapshot and OAI-PMH records', () => {
	it('reads 4- and 5-digit new-style numbers and old archives, including pre-2007 ones', () => {
		expect(parseArxivId('0704.0001')).toEqual({ id: '0704.0001', version: null });
		expect(parseArxivId('1501.00001v1')).toEqual({ id: '1501.00001', version: 1 });
		expect(parseArxivId('math/0309136')).toEqual({ id: 'math/0309136', version: null });
		expect(parseArxivId('solv-int/9901001v2')).toEqual({ id: 'solv-int/9901001', version: 2 });
		expect(parseArxivId('alg-geom/9202001')).toEqual({ id: 'alg-geom/9202001', version: null });
		expect(parseArxivId('hep-th/9108001')).toEqual({ id: 'hep-th/9108001', version: null });
		expect(parseArxivId('nlin.CG/0703050')).toEqual({ id: 'nlin.CG/0703050', version: null });
	});

	it('rejects malformed numbers, unknown archives, impossible months and years, and v0', () => {
		for (const bad of [
			'1234.567',
			'hep-th/990100',
			'foo/1234567',
			'foo/9901001',
			'hep-th/1501001',
			'hep-th/9913001',
			'2413.00001',
			'2401.12345v0',
			'2401.12345v',
			'HEP-TH/9901001',
			'hep-th/9901001/',
			' 2401.12345 v2'
		]) {
			expect(parseArxivId(bad), bad).toBeNull();
		}
	});

	it('reads OAI-PMH header identifiers', () => {
		expect(parseOaiIdentifier('oai:arXiv.org:hep-th/9901001')).toEqual({
			id: 'hep-th/9901001',
			version: null
		});
		expect(parseOaiIdentifier(' oai:arXiv.org:1401.2122 ')).toEqual({
			id: '1401.2122',
			version: null
		});
		expect(parseOaiIdentifier('oai:arXiv.org:1234.567')).toBeNull();
		expect(parseOaiIdentifier('oai:example.org:1401.2122')).toBeNull();
		expect(parseOaiIdentifier('1401.2122')).toBeNull();
	});

	it('reads the arXiv: prefix with a version', () => {
		expect(extractArxivId('arXiv:1204.5678v2')).toEqual({ id: '1204.5678', version: 2 });
		// 1234.5678 looks like an id but names month 34.
		expect(extractArxivId('arXiv:1234.5678v2')).toBeNull();
	});

	const newStyle = fc
		.tuple(
			fc.integer({ min: 7, max: 99 }),
			fc.integer({ min: 1, max: 12 }),
			fc.integer({ min: 0, max: 99999 })
		)
		.filter(([yy, mm]) => yy > 7 || mm >= 4)
		.map(([yy, mm, n]) => {
			const yymm = `${String(yy).padStart(2, '0')}${String(mm).padStart(2, '0')}`;
			const digits = Number(yymm) >= 1501 ? 5 : 4;
			return `${yymm}.${String(n % 10 ** digits).padStart(digits, '0')}`;
		});
	const oldStyle = fc
		.tuple(
			fc.constantFrom('hep-th', 'math', 'cond-mat', 'solv-int', 'alg-geom', 'q-bio', 'physics'),
			fc.constantFrom('', '.GT', '.AG'),
			fc.constantFrom(...'9192939495969798990001020304050607'.match(/../g)!),
			fc.integer({ min: 1, max: 12 }),
			fc.integer({ min: 0, max: 999 })
		)
		.map(
			([archive, subject, yy, mm, n]) =>
				`${archive}${subject}/${yy}${String(mm).padStart(2, '0')}${String(n).padStart(3, '0')}`
		);

	it('round-trips every well-formed id through format and parse, in every wrapper', () => {
		const version = fc.option(fc.integer({ min: 1, max: 99 }), { nil: null });
		fc.assert(
			fc.property(fc.oneof(newStyle, oldStyle), version, (id, v) => {
				const written = formatArxivId({ id, version: v });
				expect(parseArxivId(written)).toEqual({ id, version: v });
				expect(parseOaiIdentifier(`oai:arXiv.org:${written}`)).toEqual({ id, version: v });
				expect(extractArxivId(`arXiv:${written}`)).toEqual({ id, version: v });
				expect(extractArxivId(`https://arxiv.org/abs/${written}`)).toEqual({ id, version: v });
			}),
			{ numRuns: 1000 }
		);
	});

	it('never accepts an id whose number has the wrong length for its month', () => {
		fc.assert(
			fc.property(newStyle, (id) => {
				const [yymm, number] = id.split('.');
				expect(parseArxivId(`${yymm}.${number}0`)).toBeNull();
				expect(parseArxivId(`${yymm}.${number.slice(1)}`)).toBeNull();
			})
		);
	});
});
