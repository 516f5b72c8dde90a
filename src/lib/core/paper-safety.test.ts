import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	MAX_ABSTRACT_LENGTH,
	MAX_MATH_SPANS_PER_FIELD,
	MAX_TITLE_LENGTH,
	countMathSpans,
	securePaperRecord,
	stripUnsafeCharacters
} from './paper-safety';
import type { PaperRecord } from './paper';
import { makePaper } from '$support/fixtures';

// C0 except tab and line feed, DEL, C1.
// eslint-disable-next-line no-control-regex -- the property is about control characters
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;

const hostileChar = fc.oneof(
	fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)),
	fc.constantFrom(
		'\u202a',
		'\u202b',
		'\u202c',
		'\u202d',
		'\u202e',
		'\u2066',
		'\u2067',
		'\u2068',
		'\u2069'
	),
	fc.constantFrom('a', 'é', '$', '\\', ' ', '\u200f', '\u05d0')
);
const hostileText = fc.array(hostileChar, { maxLength: 60 }).map((chars) => chars.join(''));

function paper(overrides: Partial<PaperRecord> = {}): PaperRecord {
	return makePaper({
		id: '2401.00001',
		title: 'A title',
		abstract: 'An abstract with $x$.',
		authors: ['Alice Jones'],
		categories: ['cs.LG'],
		...overrides
	});
}

describe('stripUnsafeCharacters', () => {
	it('leaves no C0 or C1 control except tab and line feed, and no bidi control', () => {
		fc.assert(
			fc.property(hostileText, (text) => {
				const clean = stripUnsafeCharacters(text);
				expect(clean).not.toMatch(FORBIDDEN_CONTROL);
				expect(clean).not.toMatch(BIDI_CONTROL);
			}),
			{ numRuns: 2000 }
		);
	});

	it('keeps every other character, in order, and is idempotent', () => {
		fc.assert(
			fc.property(hostileText, (text) => {
				const clean = stripUnsafeCharacters(text);
				const kept = [...text]
					.filter((c) => !FORBIDDEN_CONTROL.test(c) && !BIDI_CONTROL.test(c))
					.join('');
				expect(clean.replace(/ /g, '')).toBe(kept.replace(/ /g, ''));
				expect(stripUnsafeCharacters(clean)).toBe(clean);
			}),
			{ numRuns: 1000 }
		);
	});

	it('drops a NUL and an RTL override, turns a carriage return into a line feed', () => {
		expect(stripUnsafeCharacters('Alice \u202eJones Carol')).toBe('Alice Jones Carol');
		expect(stripUnsafeCharacters('before\u0000after')).toBe('beforeafter');
		expect(stripUnsafeCharacters('one\r\ntwo\rthree\ffour')).toBe('one\ntwo three four');
		expect(stripUnsafeCharacters('Ωmega \u200f \u05d0')).toBe('Ωmega \u200f \u05d0');
	});

	it('returns clean text as the same string', () => {
		const text = 'Clean text with $x$ and Erdős';
		expect(stripUnsafeCharacters(text)).toBe(text);
	});
});

describe('countMathSpans', () => {
	it('counts what the renderer would render, stopping early when told', () => {
		expect(countMathSpans('costs $5 and $6 now')).toBe(0);
		expect(countMathSpans('$a$ and $b$ and $$c$$ and \\$d')).toBe(3);
		expect(countMathSpans('$x$ '.repeat(500), 10)).toBe(10);
	});
});

describe('securePaperRecord', () => {
	it('strips control and bidi characters from every text field', () => {
		const secured = securePaperRecord(
			paper({
				title: 'Invoice\u202efdp.exe',
				abstract: 'A NUL\u0000 here.',
				authors: ['Alice \u202eJones', '\u0000', 'Bob\u0007'],
				aiSummary: 'sum\u0085mary',
				aiKeywords: ['\u2066kw\u2069'],
				comment: '\u0001',
				submitter: 'Eve\u202d'
			})
		);
		expect(secured).toMatchObject({
			title: 'Invoicefdp.exe',
			abstract: 'A NUL here.',
			authors: ['Alice Jones', 'Bob'],
			aiSummary: 'sum mary',
			aiKeywords: ['kw'],
			comment: null,
			submitter: 'Eve'
		});
	});

	it('never lets a control or bidi character through, whatever the fields hold', () => {
		fc.assert(
			fc.property(
				hostileText,
				hostileText,
				fc.array(hostileText, { maxLength: 4 }),
				(t, a, names) => {
					const secured = securePaperRecord(paper({ title: `T${t}`, abstract: a, authors: names }));
					if (typeof secured === 'string') return;
					for (const text of [secured.title, secured.abstract, ...secured.authors]) {
						expect(text).not.toMatch(FORBIDDEN_CONTROL);
						expect(text).not.toMatch(BIDI_CONTROL);
					}
				}
			),
			{ numRuns: 500 }
		);
	});

	it('refuses a title or an abstract over its bound, saying which and by how much', () => {
		expect(securePaperRecord(paper({ title: 'x'.repeat(MAX_TITLE_LENGTH + 1) }))).toBe(
			'title is 1,001 characters (limit 1,000)'
		);
		expect(securePaperRecord(paper({ abstract: 'y'.repeat(MAX_ABSTRACT_LENGTH + 5) }))).toBe(
			'abstract is 10,005 characters (limit 10,000)'
		);
		expect(securePaperRecord(paper({ title: 'x'.repeat(MAX_TITLE_LENGTH) }))).not.toBeTypeOf(
			'string'
		);
	});

	it('refuses a field with more math spans than real papers ever have', () => {
		const spans = (n: number) => Array.from({ length: n }, (_, i) => `$x_${i}$`).join(' ');
		expect(securePaperRecord(paper({ abstract: spans(MAX_MATH_SPANS_PER_FIELD) }))).not.toBeTypeOf(
			'string'
		);
		expect(securePaperRecord(paper({ abstract: spans(MAX_MATH_SPANS_PER_FIELD + 1) }))).toBe(
			'abstract has more than 100 math spans'
		);
		// The reported 300 KB case: refused by its length before its spans are counted.
		expect(securePaperRecord(paper({ abstract: spans(20_000) }))).toMatch(
			/^abstract is [\d,]+ characters \(limit 10,000\)$/
		);
		expect(securePaperRecord(paper({ title: `T ${spans(101)}`.slice(0, 999) }))).toBe(
			'title has more than 100 math spans'
		);
	});

	it('refuses a title that was nothing but control characters', () => {
		expect(securePaperRecord(paper({ title: '\u0000\u202e' }))).toBe(
			'empty title once control characters are removed'
		);
	});
});
