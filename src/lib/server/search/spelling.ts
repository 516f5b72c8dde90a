/**
 * "Did you mean": when a query finds little, each query word the index has never
 * seen is replaced by the most frequent indexed term within two edits, shown in
 * a surface form taken from a paper that contains it (index terms are stems).
 */
import type { Db } from '../db/create-db';
import { findPaperTexts } from '../papers/paper.repository';
import { termOfToken, tokenize } from './lexical/analyzer';
import type { LexicalIndex } from './lexical/lexical-index';

/** Damerau–Levenshtein distance, giving up (returning max + 1) once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
	if (Math.abs(a.length - b.length) > max) return max + 1;
	const rows = a.length + 1;
	const cols = b.length + 1;
	const d: number[][] = Array.from({ length: rows }, (_, i) => [
		i,
		...new Array<number>(b.length).fill(0)
	]);
	for (let j = 0; j < cols; j++) d[0][j] = j;
	for (let i = 1; i < rows; i++) {
		let rowMin = Infinity;
		for (let j = 1; j < cols; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				v = Math.min(v, d[i - 2][j - 2] + 1);
			}
			d[i][j] = v;
			rowMin = Math.min(rowMin, v);
		}
		if (rowMin > max) return max + 1;
	}
	return d[a.length][b.length];
}

function closestTerm(index: LexicalIndex, unknown: string): number | null {
	const max = unknown.length <= 4 ? 1 : 2;
	let best: number | null = null;
	let bestDistance = max + 1;
	let bestDf = 0;
	for (let termId = 0; termId < index.termCount; termId++) {
		const df = index.docFreq(termId);
		if (df === 0) continue;
		const term = index.term(termId);
		if (term[0] !== unknown[0] || Math.abs(term.length - unknown.length) > max) continue;
		const distance = editDistance(unknown, term, max);
		if (distance < bestDistance || (distance === bestDistance && df > bestDf)) {
			best = termId;
			bestDistance = distance;
			bestDf = df;
		}
	}
	return best;
}

async function surfaceForm(db: Db, index: LexicalIndex, stem: string): Promise<string> {
	const [hit] = index.search([stem], { k: 1 });
	if (!hit) return stem;
	const text = (await findPaperTexts(db, [hit.id])).get(hit.id);
	if (!text) return stem;
	for (const token of tokenize(`${text.title} ${text.abstract}`)) {
		if (termOfToken(token) === stem) return token;
	}
	return stem;
}

/**
 * A corrected version of `words` (the query's free-text words), or null when
 * every word is known or nothing close enough exists.
 */
export async function suggestSpelling(
	db: Db,
	index: LexicalIndex,
	words: readonly string[]
): Promise<string[] | null> {
	let changed = false;
	const corrected: string[] = [];
	for (const word of words) {
		const tokens = tokenize(word);
		const stems = tokens.map((t) => termOfToken(t));
		const unknown = stems.some((s) => s !== null && index.docFreq(index.termId(s)) === 0);
		if (!unknown || tokens.length !== 1 || stems[0] === null) {
			corrected.push(word);
			continue;
		}
		const termId = closestTerm(index, stems[0]);
		if (termId === null) {
			corrected.push(word);
			continue;
		}
		corrected.push(await surfaceForm(db, index, index.term(termId)));
		changed = true;
	}
	return changed ? corrected : null;
}
