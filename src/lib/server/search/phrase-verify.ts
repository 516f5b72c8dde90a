/**
 * Phrase checks on ranked candidates. The index matches a phrase's words anywhere in a paper;
 * word order is checked here on the stored text. Texts are loaded in rank order in growing
 * batches and only as deep as the caller needs, so a page of results costs a few store reads
 * instead of reading every candidate.
 */
import { tokenize } from './lexical/analyzer';

/** Whether `needle` occurs as consecutive tokens in `haystack`. */
export function containsSequence(haystack: readonly string[], needle: readonly string[]): boolean {
	if (needle.length === 0) return true;
	outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
		for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
		return true;
	}
	return false;
}

export interface PhraseConstraints {
	/** Tokenized phrases that must occur. */
	phrases: readonly (readonly string[])[];
	/** Tokenized phrases that must not occur. */
	excluded: readonly (readonly string[])[];
}

/** Loads title and abstract of papers by id (missing papers are simply absent). */
export type TextLoader = (
	ids: string[]
) => Promise<Map<string, { title: string; abstract: string }>>;

/** The first batch of texts read; each next batch is twice as large. */
const FIRST_BATCH = 32;

/**
 * The candidates, in their order, whose text meets the phrase constraints: checked until `need`
 * have passed (or all were checked). `complete` tells whether every candidate was checked, i.e.
 * whether `matches.length` is the exact count.
 */
export async function verifyPhrases<T extends { id: string }>(
	candidates: readonly T[],
	constraints: PhraseConstraints,
	need: number,
	loadTexts: TextLoader
): Promise<{ matches: T[]; complete: boolean }> {
	const matches: T[] = [];
	let next = 0;
	let batch = FIRST_BATCH;
	while (next < candidates.length && matches.length < need) {
		const part = candidates.slice(next, next + batch);
		next += part.length;
		batch *= 2;
		const texts = await loadTexts(part.map((c) => c.id));
		for (const candidate of part) {
			const text = texts.get(candidate.id);
			if (!text) continue;
			const tokens = tokenize(`${text.title} . ${text.abstract}`);
			if (
				constraints.phrases.every((p) => containsSequence(tokens, p)) &&
				!constraints.excluded.some((p) => containsSequence(tokens, p))
			)
				matches.push(candidate);
		}
	}
	return { matches, complete: next >= candidates.length };
}
