/**
 * A comment's Markdown as the HTML pages show. The interim rendering: text escaped,
 * blank lines as paragraph breaks, nothing else (the Markdown parser, sanitizer and
 * KaTeX math replace it; the signature stays).
 */
import { escapeHtml } from '$lib/core/latex';

/** Safe HTML for a comment's Markdown source. */
export function renderCommentMarkdown(source: string): string {
	return source
		.split(/\n{2,}/)
		.map((paragraph) => paragraph.trim())
		.filter((paragraph) => paragraph.length > 0)
		.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`)
		.join('\n');
}
