import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collapseWhitespace, shortenText } from './paper';

describe('shortenText', () => {
	it('keeps short text as is', () => {
		expect(shortenText('short', 10)).toBe('short');
	});

	it('cuts at a word boundary and marks the cut', () => {
		expect(shortenText('one two three four five', 12)).toBe('one two…');
	});

	it('never leaves half of a math span', () => {
		const text = 'We bound $\\sum_{i=1}^{n} x_i^2 \\leq C$ for all inputs and more words here';
		const short = shortenText(text, 25);
		expect((short.match(/\$/g) ?? []).length % 2).toBe(0);
		expect(short.endsWith('…')).toBe(true);
	});
});

describe('collapseWhitespace', () => {
	it('joins wrapped lines', () => {
		expect(collapseWhitespace('  a\n  b\tc ')).toBe('a b c');
	});

	it('returns clean strings as they are', () => {
		expect(collapseWhitespace('a b')).toBe('a b');
		expect(collapseWhitespace('')).toBe('');
	});

	it('treats every kind of space that \\s matches as a space', () => {
		expect(collapseWhitespace('\u00a0a\u2003\u3000b\ufeff\u2028')).toBe('a b');
		expect(collapseWhitespace('a\u200bb')).toBe('a\u200bb');
	});

	it('is exactly the regular-expression definition', () => {
		const piece = fc.constantFrom(
			'a',
			'é',
			'$x$',
			' ',
			'  ',
			'\n',
			'\t',
			'\r\n',
			'\u00a0',
			'\u2009',
			'\u3000',
			'\ufeff',
			'\u200b',
			'\u0085',
			'\ud835\udc00'
		);
		fc.assert(
			fc.property(fc.array(piece, { maxLength: 20 }), (pieces) => {
				const text = pieces.join('');
				expect(collapseWhitespace(text)).toBe(text.replace(/\s+/g, ' ').trim());
			}),
			{ numRuns: 2000 }
		);
	});
});
