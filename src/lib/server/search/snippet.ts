/**
 * Highlighted snippets: the best window of a text for a query, HTML-escaped,
 * with the words that match a query term wrapped in <mark>.
 */
import { escapeHtml } from '$lib/core/latex';
import { analyze, stripLatex } from './lexical/analyzer';

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

interface Piece {
	text: string;
	match: boolean;
	word: boolean;
}

function pieces(text: string, terms: ReadonlySet<string>): Piece[] {
	const out: Piece[] = [];
	let last = 0;
	for (const m of text.matchAll(WORD)) {
		if (m.index > last) out.push({ text: text.slice(last, m.index), match: false, word: false });
		const stems = analyze(m[0]);
		out.push({
			text: m[0],
			match: stems.length > 0 && stems.every((s) => terms.has(s)),
			word: true
		});
		last = m.index + m[0].length;
	}
	if (last < text.length) out.push({ text: text.slice(last), match: false, word: false });
	return out;
}

function render(parts: Piece[]): string {
	return parts
		.map((p) => (p.match ? `<mark>${escapeHtml(p.text)}</mark>` : escapeHtml(p.text)))
		.join('');
}

/** The whole text with matches marked (for titles). */
export function highlightAll(text: string, terms: ReadonlySet<string>): string {
	return render(pieces(stripLatex(text).replace(/\s+/g, ' ').trim(), terms));
}

/** The window of about `words` words with the most matches, marked, with ellipses where cut. */
export function snippet(text: string, terms: ReadonlySet<string>, words = 40): string {
	const parts = pieces(stripLatex(text).replace(/\s+/g, ' ').trim(), terms);
	const wordIndex: number[] = [];
	parts.forEach((p, i) => p.word && wordIndex.push(i));
	if (wordIndex.length <= words) return render(parts);
	let best = 0;
	let bestScore = -1;
	let score = 0;
	for (let w = 0; w < wordIndex.length; w++) {
		if (parts[wordIndex[w]].match) score++;
		if (w >= words && parts[wordIndex[w - words]].match) score--;
		const start = Math.max(0, w - words + 1);
		if (w >= words - 1 && score > bestScore) {
			bestScore = score;
			best = start;
		}
	}
	// Open a little before the first match so the reader has context.
	const firstMatch = wordIndex.findIndex((i, w) => w >= best && parts[i].match);
	if (firstMatch > best + 5) best = Math.min(firstMatch - 3, wordIndex.length - words);
	const from = wordIndex[best];
	const to = wordIndex[Math.min(best + words, wordIndex.length) - 1] + 1;
	return `${best > 0 ? '… ' : ''}${render(parts.slice(from, to))}${to < parts.length ? ' …' : ''}`;
}
