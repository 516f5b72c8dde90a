/**
 * The fixed query mix of the search scale benchmark, derived from the corpus itself with a seed:
 * one pass over the file that parses a seeded sample of documents (all of them up to 100k),
 * counts the document frequency of their surface words, keeps a small reservoir of documents, and
 * draws the queries from those. Same corpus + seed → the same queries, for every engine.
 */
import { ENGLISH_STOPWORDS, tokenize } from '$lib/server/search/lexical/analyzer';
import { mulberry32 } from '$lib/server/search/semantic/linalg';
import { dayOfYear, parsePaper, readLines } from './corpus';

/** The measured query classes, in report order. */
export const QUERY_CLASSES = [
	'single',
	'multi',
	'rare',
	'phrase',
	'filtered',
	'hybrid',
	'vector'
] as const;
export type QueryClass = (typeof QUERY_CLASSES)[number];

/** Classes answered from document vectors: both take the hybrid queries. */
export const VECTOR_CLASSES: readonly QueryClass[] = ['hybrid', 'vector'];

/** One query: surface words (space-separated), plus the filter of the `filtered` class. */
export interface Query {
	text: string;
	/** `cat:<archive>`: any category of the archive. */
	archive?: string;
	/** First day included (days since 1970-01-01). */
	fromDay?: number;
	/** First day excluded. */
	untilDay?: number;
	/** How the search box would spell it (for the report only). */
	display: string;
}

export interface QuerySet {
	warmup: Query[];
	measured: Query[];
}

export interface QueryMix {
	count: number;
	corpusSeed: number;
	querySeed: number;
	/** Documents parsed to learn word frequencies. */
	sampledDocs: number;
	/** Distinct content words in the sample. */
	sampleVocabulary: number;
	classes: Record<QueryClass, QuerySet>;
	/** Queries of the BM25 overlap check: three mid-frequency words, OR-ed. */
	overlap: Query[];
	/** How each class was drawn. */
	description: Record<QueryClass | 'overlap', string>;
}

/** Words a query may use: plain lower-case words of 3+ letters that are not stopwords. */
function isContentWord(token: string): boolean {
	return /^[a-z]{3,}$/.test(token) && !ENGLISH_STOPWORDS.has(token);
}

interface Kept {
	titleWords: string[];
	abstractTokens: string[];
	archives: string[];
	year: number;
}

const SAMPLE_TARGET = 100_000;
const RESERVOIR = 4000;
const COMMON_RANKS = 300;
const RARE_FROM_RANK = 50_000;
const OVERLAP_RANKS: [number, number] = [50, 5000];
const MAX_TRIES = 100_000;

/** Derives the query mix of a corpus file. */
export function buildQueryMix(
	file: string,
	count: number,
	corpusSeed: number,
	querySeed: number,
	perClass: { warmup: number; measured: number; overlap: number }
): QueryMix {
	const random = mulberry32(querySeed);
	const share = Math.min(1, SAMPLE_TARGET / Math.max(1, count));
	const df = new Map<string, number>();
	const reservoir: Kept[] = [];
	let sampled = 0;
	for (const line of readLines(file)) {
		if (share < 1 && random() >= share) continue;
		const paper = parsePaper(line.text);
		sampled++;
		const abstractTokens = tokenize(paper.abstract);
		const words = new Set<string>();
		for (const token of tokenize(paper.title)) if (isContentWord(token)) words.add(token);
		const titleWords = [...words];
		for (const token of abstractTokens) if (isContentWord(token)) words.add(token);
		for (const word of words) df.set(word, (df.get(word) ?? 0) + 1);
		const kept: Kept = {
			titleWords,
			abstractTokens,
			archives: paper.archives,
			year: new Date(paper.day * 86_400_000).getUTCFullYear()
		};
		// Reservoir sampling: every sampled document is kept with the same probability.
		if (reservoir.length < RESERVOIR) reservoir.push(kept);
		else {
			const j = Math.floor(random() * sampled);
			if (j < RESERVOIR) reservoir[j] = kept;
		}
	}
	const ranked = [...df.entries()]
		.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
		.map(([word]) => word);
	if (ranked.length < 1000 || reservoir.length === 0)
		throw new Error(`corpus too small to draw queries from (${ranked.length} words)`);
	const rareFrom = Math.min(RARE_FROM_RANK, Math.floor(ranked.length / 2));
	const between = (from: number, to: number): string =>
		ranked[from + Math.floor(random() * (Math.min(to, ranked.length) - from))];
	const distinct = (n: number, draw: () => string): string[] => {
		const words = new Set<string>();
		for (let tries = 0; words.size < n && tries < MAX_TRIES; tries++) words.add(draw());
		return [...words];
	};
	const anyKept = (): Kept => reservoir[Math.floor(random() * reservoir.length)];
	const plain = (words: string[]): Query => ({ text: words.join(' '), display: words.join(' ') });

	// Drawn in this order (the seeded stream makes the order part of the mix); `vector` is not
	// drawn: it reuses the hybrid queries, so the semantic side alone is timed on the same text.
	const draw: Record<Exclude<QueryClass, 'vector'>, () => Query> = {
		single: () => plain([between(0, COMMON_RANKS)]),
		multi: () => plain(distinct(3, () => between(0, COMMON_RANKS))),
		rare: () => plain(distinct(3, () => between(rareFrom, ranked.length))),
		phrase: () => {
			for (let tries = 0; tries < MAX_TRIES; tries++) {
				const tokens = anyKept().abstractTokens;
				const length = random() < 0.5 ? 2 : 3;
				if (tokens.length < length) continue;
				const start = Math.floor(random() * (tokens.length - length + 1));
				const words = tokens.slice(start, start + length);
				if (words.every(isContentWord) && new Set(words).size === length)
					return { text: words.join(' '), display: `"${words.join(' ')}"` };
			}
			throw new Error('no phrase found');
		},
		filtered: () => {
			const word = between(0, COMMON_RANKS);
			const kept = anyKept();
			const archive = kept.archives[Math.floor(random() * kept.archives.length)];
			const from = kept.year - Math.floor(random() * 3);
			const to = kept.year + Math.floor(random() * 3);
			return {
				text: word,
				archive,
				fromDay: dayOfYear(from),
				untilDay: dayOfYear(to + 1),
				display: `${word} cat:${archive} after:${from} before:${to + 1}`
			};
		},
		hybrid: () => {
			for (let tries = 0; tries < MAX_TRIES; tries++) {
				const a = anyKept().titleWords;
				const b = anyKept().titleWords;
				if (a.length < 2 || b.length < 1) continue;
				const first = distinct(2, () => a[Math.floor(random() * a.length)]);
				const third = b[Math.floor(random() * b.length)];
				if (first.includes(third)) continue;
				return plain([...first, third]);
			}
			throw new Error('no hybrid query found');
		}
	};
	const classes = {} as Record<QueryClass, QuerySet>;
	for (const name of Object.keys(draw) as Exclude<QueryClass, 'vector'>[]) {
		const make = (n: number) => Array.from({ length: n }, () => draw[name]());
		classes[name] = { warmup: make(perClass.warmup), measured: make(perClass.measured) };
	}
	classes.vector = classes.hybrid;
	const overlap = Array.from({ length: perClass.overlap }, () =>
		plain(distinct(3, () => between(OVERLAP_RANKS[0], OVERLAP_RANKS[1])))
	);
	return {
		count,
		corpusSeed,
		querySeed,
		sampledDocs: sampled,
		sampleVocabulary: ranked.length,
		classes,
		overlap,
		description: {
			single: `one word of document-frequency rank 1–${COMMON_RANKS}`,
			multi: `three distinct words of rank 1–${COMMON_RANKS}, OR-ed`,
			rare: `three distinct words of rank ≥ ${rareFrom.toLocaleString('en-US')}, OR-ed`,
			phrase: '2 or 3 consecutive content words cut from a real abstract, as a "phrase"',
			filtered: `one word of rank 1–${COMMON_RANKS} + cat:<archive> + a 1–5 year range`,
			hybrid:
				'two words of one real title + one word of another (default hybrid pipeline: BM25F + LSA)',
			vector: 'the hybrid queries, semantic side alone: top-10 by cosine to the LSA query vector',
			overlap: `three distinct words of rank ${OVERLAP_RANKS[0]}–${OVERLAP_RANKS[1]}, OR-ed`
		}
	};
}
