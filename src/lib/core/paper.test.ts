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
});
