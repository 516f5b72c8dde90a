/**
 * What the search replica keeps of a paper: the text the lexical index reads,
 * and the few attributes filters and sorts need (kept beside the index, keyed
 * by id, because the index renumbers documents when it compacts).
 */
import type { StoredPaper } from '../papers/paper.repository';
import { tokenize } from './lexical/analyzer';
import type { IndexDocument } from './lexical/lexical-types';

export interface PaperAttributes {
	/** Days since 1970-01-01 of the first version. */
	day: number;
	categories: string[];
	/** Author names as accent-free lowercase tokens joined by spaces, padded: ` yann lecun | ... `. */
	authorTokens: string;
	upvotes: number;
}

/** The indexed text of a paper. */
export function toIndexDocument(paper: StoredPaper): IndexDocument {
	return { id: paper.id, title: paper.title, abstract: paper.abstract, authors: paper.authors };
}

/** Author names normalised for `author:` matching: token sequences separated by `|`. */
export function authorTokens(names: readonly string[]): string {
	return ` ${names.map((name) => tokenize(name).join(' ')).join(' | ')} `;
}

/** The attributes of a paper that filters and sorts read. */
export function toAttributes(paper: StoredPaper): PaperAttributes {
	return {
		day: Math.floor(Date.parse(paper.publishedAt) / 86_400_000),
		categories: paper.categories,
		authorTokens: authorTokens(paper.authors),
		upvotes: paper.upvotes
	};
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` day. */
export function dayNumber(day: string): number {
	return Math.floor(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
}
