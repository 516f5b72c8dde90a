import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainText, renderMathText } from './latex';

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
