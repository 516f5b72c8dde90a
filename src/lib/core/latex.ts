/**
 * Text with inline LaTeX (`$...$`, as arXiv titles and abstracts carry it) to
 * safe HTML: everything outside math is escaped, math goes through KaTeX with
 * `trust: false`, and math KaTeX cannot parse is shown as the escaped source.
 */
import katex from 'katex';
import { latexToUnicode } from './latex-text';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

// `$...$` whose content neither starts nor ends with a space (so "$5 and $6" stays text),
// or `$$...$$` display math; `\$` is a literal dollar sign.
const MATH = /\$\$([^$]+?)\$\$|(?<!\\)\$(?!\s)((?:\\\$|[^$\n])+?)(?<![\s\\])\$/g;

const MAX_MATH_LENGTH = 2000;

function renderMath(source: string, displayMode: boolean): string | null {
	if (source.length > MAX_MATH_LENGTH) return null;
	try {
		return katex.renderToString(source, {
			displayMode,
			throwOnError: true,
			trust: false,
			strict: 'ignore',
			output: 'htmlAndMathml',
			maxSize: 20,
			maxExpand: 200
		});
	} catch {
		return null;
	}
}

// Pages render the same titles and abstracts over and over; KaTeX is the costly part.
const CACHE_LIMIT = 5000;
const cache = new Map<string, string>();

/** Renders text with `$...$` math to HTML that is safe to insert as is. */
export function renderMathText(text: string): string {
	const cached = cache.get(text);
	if (cached !== undefined) return cached;
	const html = renderUncached(text);
	// Oldest-first eviction: Map iterates in insertion order.
	if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
	cache.set(text, html);
	return html;
}

function renderUncached(text: string): string {
	let html = '';
	let last = 0;
	for (const match of text.matchAll(MATH)) {
		const start = match.index;
		html += escapeHtml(latexToUnicode(text.slice(last, start)).replace(/\\\$/g, '$'));
		const rendered = renderMath(match[1] ?? match[2], match[1] !== undefined);
		html +=
			rendered ??
			`<span class="math-error" title="LaTeX that could not be rendered">${escapeHtml(match[0])}</span>`;
		last = start + match[0].length;
	}
	html += escapeHtml(latexToUnicode(text.slice(last)).replace(/\\\$/g, '$'));
	return html;
}

/** Plain text for places that cannot hold markup (page titles, feeds): math kept as source. */
export function plainText(text: string): string {
	return latexToUnicode(text).replace(/\s+/g, ' ').trim();
}
