import { describe, expect, it } from 'vitest';
import { XSS_PAYLOADS } from '$support/xss-payloads';
import { MAX_FORMULA_LENGTH } from './comment-math';
import {
	COMMENT_LINK_REL,
	MAX_FORMULAS_PER_COMMENT,
	MAX_MATH_CHARACTERS_PER_COMMENT,
	renderCommentMarkdown
} from './markdown';

const MARKDOWN_TAGS = new Set(
	'p br hr h4 h5 h6 em strong s code pre blockquote ul ol li a table thead tbody tr th td span'.split(
		' '
	)
);
const KATEX_ONLY_TAGS = new Set(['svg', 'path', 'line']);

interface Element {
	tag: string;
	attributes: Map<string, string>;
	inKatex: boolean;
}

/**
 * The elements of the renderer's output. sanitize-html serializes every attribute as
 * name="value" with `<`, `>` and `"` escaped inside, so a tag is exactly `<…>`.
 */
function elementsOf(html: string): Element[] {
	const elements: Element[] = [];
	const open: { tag: string; katex: boolean }[] = [];
	for (const match of html.matchAll(/<(\/?)([a-zA-Z0-9]+)([^<>]*?)(\/?)>/g)) {
		const [, closing, tag, rest, selfClosing] = match;
		if (closing) {
			const at = open.map((e) => e.tag).lastIndexOf(tag);
			if (at >= 0) open.length = at;
			continue;
		}
		const attributes = new Map<string, string>();
		for (const attribute of rest.matchAll(/\s([^\s=]+)(?:="([^"]*)")?/g)) {
			attributes.set(attribute[1].toLowerCase(), attribute[2] ?? '');
		}
		const katexHere = (attributes.get('class') ?? '')
			.split(' ')
			.some((name) => ['katex', 'katex-display', 'katex-error'].includes(name));
		const inKatex = open.some((e) => e.katex) || katexHere;
		elements.push({ tag: tag.toLowerCase(), attributes, inKatex });
		const isVoid = ['br', 'hr', 'path', 'line'].includes(tag.toLowerCase());
		if (!selfClosing && !isVoid) open.push({ tag, katex: katexHere });
	}
	return elements;
}

/** Every way rendered HTML could run script, load something or restyle the page; empty when inert. */
function problemsIn(html: string): string[] {
	const problems: string[] = [];
	for (const { tag, attributes, inKatex } of elementsOf(html)) {
		if (!MARKDOWN_TAGS.has(tag) && !(inKatex && KATEX_ONLY_TAGS.has(tag)))
			problems.push(`<${tag}>`);
		for (const [name, value] of attributes) {
			if (name.startsWith('on')) problems.push(`${tag}[${name}]`);
			if (['src', 'srcset', 'action', 'formaction', 'xlink:href', 'target', 'id'].includes(name))
				problems.push(`${tag}[${name}]`);
			if (name === 'style' && !inKatex) problems.push(`style outside KaTeX on <${tag}>`);
			if (name === 'class' && !inKatex && !['math-source'].includes(value))
				problems.push(`class "${value}" outside KaTeX`);
			if (name === 'href' && (tag !== 'a' || !/^(https?:\/\/|\/(?!\/)|#)/i.test(value)))
				problems.push(`${tag}[href=${value.slice(0, 60)}]`);
			if (name === 'style' && /url\(|expression|position:\s*(fixed|absolute)/i.test(value))
				problems.push(`style ${value}`);
		}
		if (tag === 'a' && attributes.get('rel') !== COMMENT_LINK_REL)
			problems.push(`a without rel "${COMMENT_LINK_REL}"`);
	}
	// eslint-disable-next-line no-control-regex -- what must not survive
	if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ue000\ue001]/.test(html))
		problems.push('control, bidi or slot character');
	return problems;
}

describe('renderCommentMarkdown and hostile input', () => {
	it.each(XSS_PAYLOADS)('$name renders inert, quickly', ({ source }) => {
		const began = performance.now();
		const html = renderCommentMarkdown(source);
		const ms = performance.now() - began;
		expect(problemsIn(html)).toEqual([]);
		expect(ms).toBeLessThan(2_000);
	});

	it('the inertness check finds what it looks for', () => {
		expect(problemsIn('<p><img src="x" onerror="alert(1)"></p>')).toEqual([
			'<img>',
			'img[src]',
			'img[onerror]'
		]);
		expect(problemsIn('<a href="javascript:alert(1)" rel="nofollow ugc noopener">x</a>')).toEqual([
			'a[href=javascript:alert(1)]'
		]);
		expect(problemsIn('<p style="color:red">x</p>')).toEqual(['style outside KaTeX on <p>']);
		expect(problemsIn('<span class="katex"><span style="height:1em">x</span></span>')).toEqual([]);
	});

	it('keeps raw HTML as text', () => {
		expect(renderCommentMarkdown('<script>alert(1)</script>')).toBe(
			'<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n'
		);
	});

	it('never makes a link of javascript:, data: or vbscript:, however written', () => {
		for (const { name, source } of XSS_PAYLOADS.filter((p) => /link|autolink|image/.test(p.name))) {
			const html = renderCommentMarkdown(source);
			expect(html, name).not.toMatch(/href="\s*(javascript|data|vbscript|file):/i);
		}
	});

	it('shows KaTeX commands that need trust as errors, not as links or attributes', () => {
		for (const command of [
			'\\href{https://a.example}{x}',
			'\\url{https://a.example}',
			'\\htmlId{main}{x}'
		]) {
			const html = renderCommentMarkdown(`$${command}$`);
			expect(html).not.toContain('<a');
			expect(html).not.toContain('id="main"');
			expect(html).toContain('katex');
		}
		expect(renderCommentMarkdown('$\\htmlStyle{position:fixed}{x}$')).not.toMatch(
			/style="[^"]*fixed/
		);
		expect(renderCommentMarkdown('$\\htmlClass{action}{x}$')).not.toMatch(/class="[^"]*action/);
	});

	it('clamps sizes to maxSize (5em)', () => {
		const html = renderCommentMarkdown('$\\rule{10000em}{10000em}$');
		expect(html).toContain('border-right-width:5em');
		expect(html).not.toMatch(/style="[^"]*10000/);
	});

	it('stops macro bombs at maxExpand', () => {
		const bomb = XSS_PAYLOADS.find((p) => p.name === 'exponential \\def');
		const html = renderCommentMarkdown(bomb?.source ?? '');
		expect(html).toContain('katex-error');
		expect(html).toMatch(/Too many expansions/);
	});

	it('drops bidi overrides and control characters', () => {
		expect(renderCommentMarkdown('file\u202Egnp.exe')).toBe('<p>filegnp.exe</p>\n');
		expect(renderCommentMarkdown('a\u0000b\u0007c')).toBe('<p>abc</p>\n');
	});
});

describe('renderCommentMarkdown features', () => {
	it('renders code blocks and inline code, with no math inside', () => {
		expect(renderCommentMarkdown('```python\nx = $a$ < 3\n```')).toBe(
			'<pre><code>x = $a$ &lt; 3\n</code></pre>\n'
		);
		expect(renderCommentMarkdown('    $indented$')).toBe('<pre><code>$indented$\n</code></pre>\n');
		expect(renderCommentMarkdown('use `$x$` here')).toBe('<p>use <code>$x$</code> here</p>\n');
	});

	it.each([
		['$x^2$', false],
		['$$x^2$$', true],
		['\\(x^2\\)', false],
		['\\[x^2\\]', true],
		['$$\nx^2\n$$', true],
		['\\[\nx^2\n\\]', true]
	])('renders math in %s', (source, display) => {
		const html = renderCommentMarkdown(source);
		expect(html).toContain('<span class="katex">');
		expect(html).toContain('<span role="math" aria-label="x^2">');
		expect(html.includes('katex-display')).toBe(display);
		expect(html).toContain('class="msupsub"');
		expect(problemsIn(html)).toEqual([]);
	});

	it('keeps prices and escaped dollars as text', () => {
		expect(renderCommentMarkdown('It costs $5 and $6.')).toBe('<p>It costs $5 and $6.</p>\n');
		expect(renderCommentMarkdown('from $ 5 to $ 6')).toBe('<p>from $ 5 to $ 6</p>\n');
		expect(renderCommentMarkdown('\\$x\\$')).toBe('<p>$x$</p>\n');
	});

	it('shows a formula KaTeX cannot parse as KaTeX error text', () => {
		const html = renderCommentMarkdown('$\\frac{1}$');
		expect(html).toContain('katex-error');
		expect(html).toContain('\\frac{1}');
	});

	it('shows formulas past the bounds as their source', () => {
		const long = `$${'x+'.repeat(MAX_FORMULA_LENGTH)}x$`;
		const heavy = renderCommentMarkdown(`$${'x+'.repeat(900)}x$ `.repeat(4));
		expect(heavy.split('class="katex"').length - 1).toBe(
			Math.floor(MAX_MATH_CHARACTERS_PER_COMMENT / 1801)
		);
		expect(heavy).toContain('characters of math per comment are rendered');
		expect(renderCommentMarkdown(long)).toContain('<code class="math-source"');
		const many = renderCommentMarkdown('$x$ '.repeat(MAX_FORMULAS_PER_COMMENT + 3));
		expect(many.split('class="katex"').length - 1).toBe(MAX_FORMULAS_PER_COMMENT);
		expect(many.split('class="math-source"').length - 1).toBe(3);
	});

	it('gives every link rel="nofollow ugc noopener" and no target', () => {
		expect(renderCommentMarkdown('[paper](https://arxiv.org/abs/2406.00001)')).toBe(
			'<p><a href="https://arxiv.org/abs/2406.00001" rel="nofollow ugc noopener">paper</a></p>\n'
		);
		expect(renderCommentMarkdown('see https://arxiv.org and <https://example.com/a>')).toBe(
			'<p>see <a href="https://arxiv.org" rel="nofollow ugc noopener">https://arxiv.org</a> and <a href="https://example.com/a" rel="nofollow ugc noopener">https://example.com/a</a></p>\n'
		);
		expect(renderCommentMarkdown('[here](/papers/2406.00001) [up](#c1)')).toBe(
			'<p><a href="/papers/2406.00001" rel="nofollow ugc noopener">here</a> <a href="#c1" rel="nofollow ugc noopener">up</a></p>\n'
		);
	});

	it('shows images as links to them', () => {
		expect(renderCommentMarkdown('![a plot](https://example.com/plot.png)')).toBe(
			'<p><a href="https://example.com/plot.png" rel="nofollow ugc noopener">a plot</a></p>\n'
		);
	});

	it('demotes headings to h4–h6 and keeps quotes, lists, emphasis and tables', () => {
		expect(renderCommentMarkdown('# A\n## B\n### C\n#### D')).toBe(
			'<h4>A</h4>\n<h5>B</h5>\n<h6>C</h6>\n<h6>D</h6>\n'
		);
		expect(renderCommentMarkdown('> *quoted* **strong** ~~gone~~')).toBe(
			'<blockquote>\n<p><em>quoted</em> <strong>strong</strong> <s>gone</s></p>\n</blockquote>\n'
		);
		expect(renderCommentMarkdown('3. three\n4. four')).toBe(
			'<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>\n'
		);
		expect(renderCommentMarkdown('| a |\n|--:|\n| 1 |')).toBe(
			'<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n</tr>\n</tbody>\n</table>\n'
		);
	});
});
