/**
 * Text analysis shared by indexing and querying: the same function must run on both sides,
 * otherwise a query term can never meet its document term.
 *
 * Pipeline: cheap LaTeX cleanup → Unicode NFKD + diacritic stripping → lowercase → split on
 * anything that is not a letter or digit → drop English stopwords and lone letters → Porter stem.
 */
import { stemmer } from 'stemmer';

/**
 * The Snowball (Porter) English stopword list. It is the list designed to go with the Porter
 * stemmer; a longer list (SMART's 571 words) also removes words that carry meaning in paper
 * titles ("novel", "first", "value"), a short one (Lucene's 33) leaves verbose queries noisy.
 */
export const ENGLISH_STOPWORDS: ReadonlySet<string> = new Set(
	(
		'i me my myself we our ours ourselves you your yours yourself yourselves he him his himself ' +
		'she her hers herself it its itself they them their theirs themselves what which who whom ' +
		'this that these those am is are was were be been being have has had having do does did ' +
		'doing would should could ought a an the and but if or because as until while of at by for ' +
		'with about against between into through during before after above below to from up down in ' +
		'out on off over under again further then once here there when where why how all any both ' +
		'each few more most other some such no nor not only own same so than too very can will just ' +
		'don shall may might must also'
	).split(' ')
);

// `\command` names are markup, not content ("\mathbf{x}" means "x"); accent commands such as
// `\"o` or `\'{e}` are removed without a space so "Schr\"odinger" stays one word.
const LATEX_ACCENT = /\\['"`^~=.][{]?([a-zA-Z])[}]?/g;
const LATEX_COMMAND = /\\[a-zA-Z]+\*?/g;
// Apostrophes inside words ("model's", "don't") are dropped rather than split on, so the
// possessive stays attached and stems with its word instead of leaving a stray "s".
const INNER_APOSTROPHE = /(\p{L})['\u2019](\p{L})/gu;
const DIACRITICS = /\p{M}+/gu;
const NON_WORD = /[^\p{L}\p{N}]+/u;
// A token made of letters only, one character long: in paper abstracts these are almost always
// LaTeX math variables ("x", "n") or list markers, which would otherwise become common noise terms.
const LONE_LETTER = /^\p{L}$/u;

// Stemming dominates analysis time and word frequencies are Zipfian, so a small memo pays off;
// it is cleared when full instead of tracking recency, which is cheaper and good enough.
const STEM_CACHE_LIMIT = 100_000;
const stemCache = new Map<string, string>();

function stem(token: string): string {
	let stemmed = stemCache.get(token);
	if (stemmed === undefined) {
		// Porter rules are defined for letters; tokens with digits ("gpt4", "x86") are kept as-is.
		stemmed = /\d/.test(token) ? token : stemmer(token);
		if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
		stemCache.set(token, stemmed);
	}
	return stemmed;
}

/** Removes the LaTeX markup that abstracts carry (`$`, `\command` names, braces) but keeps words. */
export function stripLatex(text: string): string {
	if (!text.includes('\\') && !text.includes('$')) return text;
	return text.replace(LATEX_ACCENT, '$1').replace(LATEX_COMMAND, ' ').replace(/\$/g, ' ');
}

/**
 * Splits text into lowercase, accent-free word tokens without stopword removal or stemming
 * (for highlighting and for callers that need surface forms). Letter–digit runs stay whole.
 */
export function tokenize(text: string): string[] {
	const folded = stripLatex(text)
		.normalize('NFKD')
		.replace(DIACRITICS, '')
		.replace(INNER_APOSTROPHE, '$1$2')
		.toLowerCase();
	return folded.split(NON_WORD).filter((token) => token.length > 0);
}

function keep(token: string): boolean {
	return !ENGLISH_STOPWORDS.has(token) && !(token.length === 1 && LONE_LETTER.test(token));
}

/**
 * The index term of one token from {@link tokenize}, or null for a stopword or lone letter.
 * Exposed so that bulk indexing can memoise token → term id without re-running analysis.
 */
export function termOfToken(token: string): string | null {
	return keep(token) ? stem(token) : null;
}

/** Analyzes text into the stemmed index terms, in order, repeats included. */
export function analyze(text: string): string[] {
	const terms: string[] = [];
	for (const token of tokenize(text)) if (keep(token)) terms.push(stem(token));
	return terms;
}

/** A stemmed term and the ordinal of the token it came from (stopwords still count as positions). */
export interface PositionedTerm {
	term: string;
	position: number;
}

/**
 * Like {@link analyze} but keeps token positions, so a phrase matcher can tell "neural network"
 * from "network of neural"; removed stopwords leave gaps so positions match the original text.
 */
export function analyzeWithPositions(text: string): PositionedTerm[] {
	const out: PositionedTerm[] = [];
	tokenize(text).forEach((token, position) => {
		if (keep(token)) out.push({ term: stem(token), position });
	});
	return out;
}
