import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	ByteBoundedCache,
	MATH_BUDGET_MS_PER_TURN,
	plainText,
	renderCacheUsage,
	renderMathText
} from './latex';

describe('renderMathText', () => {
	it('escapes markup outside math and renders the math with KaTeX', () => {
		const html = renderMathText('<script>alert(1)</script> & $x<y$');
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; ');
		expect(html).not.toContain('<script>');
		expect(html).toContain('class="katex"');
		expect(html).toContain('&lt;');
	});

	it('writes LaTeX accents outside math as letters, for display only', () => {
		const html = renderMathText(
			'Schr{\\"o}dinger operators and Erd\\H{o}s graphs with $\\ddot{x}$'
		);
		expect(html).toContain('Schrödinger operators and Erdős graphs with ');
		expect(html).toContain('class="katex"');
		expect(plainText('Schr{\\"o}dinger  $\\ddot{x}$')).toBe('Schrödinger $\\ddot{x}$');
	});

	it('shows LaTeX that does not parse as escaped text', () => {
		const html = renderMathText('bad $\\frac{1}{$ end');
		expect(html).toContain('math-error');
		expect(html).toContain('\\frac{1}{');
		expect(html).not.toContain('class="katex"');
	});

	it('leaves prices and escaped dollars alone', () => {
		expect(renderMathText('costs $5 and $6 now')).toBe('costs $5 and $6 now');
		expect(renderMathText('a \\$ sign')).toBe('a $ sign');
	});

	it('does not let \\href or \\url through (KaTeX trust is off)', () => {
		const html = renderMathText('$\\href{javascript:alert(1)}{x}$');
		// The source survives only as the escaped annotation text, never as a link.
		expect(html).not.toMatch(/href=/);
		expect(html).not.toMatch(/<a\s/);
	});

	it('never emits a raw tag from arbitrary input', () => {
		fc.assert(
			fc.property(fc.string(), (s) => {
				const html = renderMathText(`<img src=x onerror=alert(1)>${s}`);
				expect(html).not.toMatch(/<img|<script|onerror=alert\(1\)>/i);
			})
		);
	});
});

describe('renderMathText on hostile input', () => {
	const katexSpans = (html: string) => html.match(/class="katex"/g)?.length ?? 0;
	const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

	it('drops a NUL, other controls and bidi overrides from stored text', () => {
		const html = renderMathText('A NUL\u0000 here, a bell\u0007, an \u202eoverride and $x$');
		// eslint-disable-next-line no-control-regex -- the assertion is about control characters
		expect(html).not.toMatch(/[\u0000-\u0008\u202a-\u202e]/);
		expect(html).toContain('A NUL here, a bell, an override and ');
		expect(plainText('Title\u0000 \u202eexe')).toBe('Title exe');
	});

	it('renders at most 100 math spans of one field; the rest stay as their source', async () => {
		const text = Array.from({ length: 150 }, (_, i) => `$a_{${i}}$`).join(' ');
		let html = renderMathText(text);
		// A cold KaTeX may need more than one turn's budget for the first 100.
		for (let turn = 0; turn < 50 && katexSpans(html) < 100; turn++) {
			await nextTurn();
			html = renderMathText(text);
		}
		expect(katexSpans(html)).toBe(100);
		expect(html).toContain(
			`<span class="math-source">${Array.from({ length: 50 }, (_, i) => `$a_{${100 + i}}$`).join(' ')}</span>`
		);
	});

	it('stops calling KaTeX once a turn has spent its budget, and renders the rest on later turns', async () => {
		await nextTurn();
		const heavy = '\\frac{\\sqrt{a^2+b^2}}{\\sum_{i=1}^{n} x_i}';
		// Far more KaTeX work than MATH_BUDGET_MS_PER_TURN on any machine.
		const texts = Array.from({ length: 20 }, (_, t) =>
			Array.from({ length: 100 }, (_, i) => `$${heavy}+${t}_${i}$`).join(' ')
		);
		const began = performance.now();
		const first = texts.map(renderMathText);
		const elapsed = performance.now() - began;
		const rendered = first.reduce((sum, html) => sum + katexSpans(html), 0);
		expect(rendered).toBeGreaterThan(0);
		expect(rendered).toBeLessThan(2000);
		expect(first.at(-1)).toContain('math-source');
		// Generous: one span past the budget plus escaping, on a loaded machine.
		expect(elapsed).toBeLessThan(MATH_BUDGET_MS_PER_TURN + 400);
		// Partial renders are not cached: later turns finish the work.
		let turns = 0;
		while (texts.some((text) => renderMathText(text).includes('math-source'))) {
			turns += 1;
			expect(turns).toBeLessThan(500);
			await nextTurn();
		}
		for (const text of texts) expect(katexSpans(renderMathText(text))).toBe(100);
	});

	it('keeps the render cache under its byte bound, however large the texts', () => {
		const big = (i: number) => `${i} ${'word '.repeat(200_000)}`;
		for (let i = 0; i < 40; i++) renderMathText(big(i));
		for (let i = 0; i < 200; i++)
			renderMathText(`${i} ${'$x^2$ '.repeat(100)} ${'w'.repeat(30_000)}`);
		const usage = renderCacheUsage();
		expect(usage.bytes).toBeLessThanOrEqual(usage.maxBytes);
		expect(usage.entries).toBeGreaterThan(0);
	});
});

describe('ByteBoundedCache', () => {
	it('evicts the least recently used entries to stay within its bytes', () => {
		const cache = new ByteBoundedCache(100, 60);
		cache.set('a', 'x'.repeat(19)); // 40 bytes
		cache.set('b', 'y'.repeat(19)); // 40 bytes
		expect(cache.get('a')).toBeDefined(); // a is now the most recent
		cache.set('c', 'z'.repeat(19)); // 40 more: b goes
		expect(cache.get('b')).toBeUndefined();
		expect(cache.get('a')).toBeDefined();
		expect(cache.get('c')).toBeDefined();
		expect(cache.bytes).toBe(80);
	});

	it('does not keep an entry larger than its per-entry bound', () => {
		const cache = new ByteBoundedCache(1000, 100);
		cache.set('k', 'v'.repeat(100));
		expect(cache.size).toBe(0);
		expect(cache.bytes).toBe(0);
	});

	it('counts a replaced value once', () => {
		const cache = new ByteBoundedCache(1000);
		cache.set('k', 'one');
		cache.set('k', 'three');
		expect(cache.bytes).toBe(2 * ('k'.length + 'three'.length));
	});
});
