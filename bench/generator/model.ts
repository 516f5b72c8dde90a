/**
 * The learned half of the corpus generator: distributions measured on the real files in the
 * shared data folder, saved as JSON so later runs start in milliseconds.
 *
 * Sources (all optional but the Kaggle sample and the Hugging Face papers):
 * - `arxiv-kaggle-sample/…head200.jsonl`: 200 real snapshot lines (April 2007). The "old"
 *   end of every era-dependent distribution, the primary-archive mix of 2007, field presence,
 *   versions, cross-lists, licences, formatting quirks, pools of comments / journal refs / DOIs.
 * - `hf-daily-papers/papers.jsonl`: 9,877 papers of 2024–26. The "modern" end of title,
 *   abstract and author-count distributions, the name pool, organisations, code URLs, and
 *   most of the text of the "cs" language model.
 * - `cacm/beir/corpus.jsonl`: 3,204 CACM titles/abstracts, more "cs" text.
 * - `cranfield/beir/corpus.jsonl`: 1,400 aeronautics abstracts, padding the small "phys" text.
 *
 * Hand-entered facts about arXiv at large are in priors.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CATEGORY_ALIASES, STOPWORDS } from './priors';
import { projectRoot } from '../support';
import type { SnapshotRecord } from './corpus';

export { projectRoot };

/** Bump when the model's shape or the way it is learned changes: old caches are rebuilt. */
export const MODEL_VERSION = 7;

/** Token ids every bigram table reserves. */
export const BOS = 0;
export const EOS = 1;

/**
 * A bigram language model in compressed-row form: the continuations of token `t` are
 * `next[rowStart[t] .. rowStart[t + 1])` with weights `counts[…]`. Token 0 starts a text,
 * token 1 ends it.
 */
export interface BigramTable {
	vocab: string[];
	rowStart: number[];
	next: number[];
	counts: number[];
}

/** An empirical distribution on two ends of the time axis: the 2007 sample and 2024–26. */
export interface EraSamples {
	old: number[];
	modern: number[];
}

/** First and last names that go together (pinyin names are paired with pinyin names). */
export interface NameClass {
	label: string;
	/** Share of real authors in this class. */
	share: number;
	first: [string, number][];
	last: [string, number][];
}

/** Everything the generator learns from the real files. Plain JSON. */
export interface GeneratorModel {
	version: number;
	sources: { file: string; size: number; mtimeMs: number }[];
	text: Record<'cs' | 'phys', { title: BigramTable; abstract: BigramTable }>;
	titleWords: EraSamples;
	abstractWords: EraSamples;
	authorsPerPaper: EraSamples;
	categoriesPerPaper: number[];
	versionsPerPaper: number[];
	versionGapDays: number[];
	updateGapDays: number[];
	/** Primary-archive counts in the 2007 sample. */
	archiveMix2007: Record<string, number>;
	/** Cross-list counts in the sample: primary archive → other archive → count. */
	crossListPairs: Record<string, Record<string, number>>;
	/** Share of cross-lists that stay in the primary's archive. */
	sameArchiveCrossShare: number;
	/** Rates measured on the 2007 sample (the "old" end). */
	presence2007: {
		comments: number;
		journalRef: number;
		doiGivenJournalRef: number;
		doiWithoutJournalRef: number;
		reportNo: number;
		affiliations: number;
		paragraphBreak: number;
		andBeforeLast: number;
		submitterIsAuthor: number;
		initialsStyle: number;
		compactInitials: number;
	};
	/** Share of 2024–26 papers whose authors are written with initials only. */
	initialsStyleModern: number;
	/** Licence values of the 2007 sample ('' = null) with counts. */
	licenses2007: [string, number][];
	pools: {
		comments: string[];
		journalRefs: string[];
		dois: string[];
		reportNos: string[];
		affiliations: string[];
		codeUrls: string[];
		projectUrls: string[];
	};
	names: {
		classes: NameClass[];
		middleInitialRate: number;
		suffixRate: number;
	};
	/** Figures of the real data the --check table compares against. */
	reference: {
		/** Distinct words in the first 20,000 words of the sample's abstracts. */
		kaggleDistinct20k: number;
		/** Distinct words in the first 20,000 / 200,000 words of HF abstracts (spread over the file). */
		hfDistinct20k: number;
		hfDistinct200k: number;
		/** topWordCount of every HF abstract. */
		hfTopWord: number[];
		hfAuthorSlots: number;
		hfDistinctAuthors: number;
	};
}

/** Where the model comes from and where its cache goes. */
export interface ModelOptions {
	/** Folder holding arxiv-kaggle-sample/, hf-daily-papers/, … (default $DP_SHARED_DATA). */
	dataDir?: string;
	/** Cache file (default bench/results/generator-model.json). */
	cachePath?: string;
	/** Rebuild even when the cache is current. */
	rebuild?: boolean;
	/** Called with a line of progress text (default: silent). */
	log?: (line: string) => void;
}

/** The shared data folder, as the other benchmarks find it. */
export function defaultDataDir(): string {
	return process.env.DP_SHARED_DATA ?? path.resolve(projectRoot(), '../shared/data');
}

const SOURCES = {
	kaggle: 'arxiv-kaggle-sample/arxiv-metadata-oai-snapshot.head200.jsonl',
	hf: 'hf-daily-papers/papers.jsonl',
	cacm: 'cacm/beir/corpus.jsonl',
	cranfield: 'cranfield/beir/corpus.jsonl'
} as const;

/**
 * Returns the model: from the cache when it is current (same version, same source files by size
 * and mtime), else learned from the data folder and written to the cache.
 */
export function loadModel(options: ModelOptions = {}): GeneratorModel {
	const dataDir = options.dataDir ?? defaultDataDir();
	const cachePath =
		options.cachePath ?? path.join(projectRoot(), 'bench', 'results', 'generator-model.json');
	const stamps = stampSources(dataDir);
	if (!options.rebuild && fs.existsSync(cachePath)) {
		try {
			const cached = JSON.parse(fs.readFileSync(cachePath, 'utf8')) as GeneratorModel;
			if (cached.version === MODEL_VERSION && sameStamps(cached.sources, stamps)) return cached;
		} catch {
			// A truncated or foreign cache is rebuilt below.
		}
	}
	const started = performance.now();
	const model = buildModel(dataDir, stamps);
	fs.mkdirSync(path.dirname(cachePath), { recursive: true });
	// Write then rename, so a concurrent reader never sees half a file.
	const temp = `${cachePath}.${process.pid}.tmp`;
	fs.writeFileSync(temp, JSON.stringify(model));
	fs.renameSync(temp, cachePath);
	options.log?.(
		`generator model built from ${dataDir} in ${((performance.now() - started) / 1000).toFixed(1)} s → ${cachePath}`
	);
	return model;
}

function stampSources(dataDir: string): GeneratorModel['sources'] {
	const stamps: GeneratorModel['sources'] = [];
	for (const [key, rel] of Object.entries(SOURCES)) {
		const file = path.join(dataDir, rel);
		if (!fs.existsSync(file)) {
			if (key === 'kaggle' || key === 'hf') {
				throw new Error(
					`The generator needs ${file}. Set DP_SHARED_DATA to the shared data folder (default ../shared/data).`
				);
			}
			continue;
		}
		const stat = fs.statSync(file);
		stamps.push({ file: rel, size: stat.size, mtimeMs: Math.round(stat.mtimeMs) });
	}
	return stamps;
}

function sameStamps(a: GeneratorModel['sources'], b: GeneratorModel['sources']): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

function readJsonLines(file: string): unknown[] {
	return fs
		.readFileSync(file, 'utf8')
		.split('\n')
		.filter((line) => line.trim() !== '')
		.map((line) => JSON.parse(line) as unknown);
}

// ---------------------------------------------------------------------------
// Record shapes of the sources (only the fields used)

// The generator writes exactly the shape it learns from.
type KaggleLine = SnapshotRecord;

interface HfLine {
	title: string;
	abstract: string;
	authors: string[];
	github_repo: string | null;
	project_page: string | null;
	organization: string | null;
}

interface BeirLine {
	title: string;
	text: string;
}

// ---------------------------------------------------------------------------
// Text

const TOKEN_PATTERN = new RegExp(
	[
		'https?://[^\\s)\\]]*[^\\s).,;\\]]', // a URL stays one token
		'\\$[^$]{1,160}\\$', // inline LaTeX stays one token
		'(?:e\\.g|i\\.e|et al|etc|vs|cf|Fig|Figs|Eq|Eqs|Ref|Refs|resp|approx|Sec|Dr|Prof)\\.', // no sentence end
		"[\\p{L}\\p{N}](?:[\\p{L}\\p{N}'’&+\\-/.]*[\\p{L}\\p{N}%+])?",
		'[.,;:!?()[\\]]'
	].join('|'),
	'gu'
);

/** Splits text into word, URL, LaTeX and punctuation tokens (the generator's vocabulary). */
export function tokenize(text: string): string[] {
	return text.match(TOKEN_PATTERN) ?? [];
}

/** Words of a text as the --check table counts them: whitespace-separated pieces. */
export function wordCount(text: string): number {
	let count = 0;
	let inWord = false;
	for (let i = 0; i < text.length; i += 1) {
		const c = text.charCodeAt(i);
		const space = c === 32 || c === 10 || c === 9 || c === 13;
		if (!space && !inWord) count += 1;
		inWord = !space;
	}
	return count;
}

/**
 * Distinct lower-cased alphanumeric words in the first `maxWords` words of some texts: a
 * vocabulary-size probe. A fixed word budget makes collections of different lengths comparable.
 */
export function distinctWords(texts: Iterable<string>, maxWords: number): number {
	const seen = new Set<string>();
	let words = 0;
	for (const text of texts) {
		for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
			if (!word) continue;
			if (words >= maxWords) return seen.size;
			words += 1;
			seen.add(word);
		}
	}
	return seen.size;
}

const MORE_FUNCTION_WORDS = new Set(
	'also such both each more most has have been was were they them then there here only very'.split(
		' '
	)
);

/**
 * How often the most repeated content word of a text occurs: a probe of term-frequency
 * burstiness (what BM25 scores feed on). Content word: 4+ letters, not a function word.
 */
export function topWordCount(text: string): number {
	const counts = new Map<string, number>();
	let top = 0;
	for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
		if (word.length < 4 || STOPWORDS.has(word) || MORE_FUNCTION_WORDS.has(word)) continue;
		const n = (counts.get(word) ?? 0) + 1;
		counts.set(word, n);
		if (n > top) top = n;
	}
	return top;
}

class BigramBuilder {
	private readonly ids = new Map<string, number>([
		['<s>', BOS],
		['</s>', EOS]
	]);
	private readonly vocab: string[] = ['<s>', '</s>'];
	// Key prev * 2^21 + next: exact in a double while the vocabulary stays under 2M tokens.
	private readonly pairs = new Map<number, number>();

	/** Adds a text; `latexWeight` scales the transitions into inline-LaTeX tokens. */
	add(tokens: readonly string[], weight: number, latexWeight = weight): void {
		if (tokens.length === 0) return;
		let prev = BOS;
		for (const token of tokens) {
			let id = this.ids.get(token);
			if (id === undefined) {
				id = this.vocab.length;
				this.ids.set(token, id);
				this.vocab.push(token);
			}
			this.bump(prev, id, token.startsWith('$') ? latexWeight : weight);
			prev = id;
		}
		this.bump(prev, EOS, weight);
	}

	private bump(prev: number, next: number, weight: number): void {
		const key = prev * 2097152 + next;
		this.pairs.set(key, (this.pairs.get(key) ?? 0) + weight);
	}

	build(): BigramTable {
		const keys = [...this.pairs.keys()].sort((a, b) => a - b);
		const rowStart = new Array<number>(this.vocab.length + 1).fill(0);
		const next: number[] = [];
		const counts: number[] = [];
		for (const key of keys) {
			const prev = Math.floor(key / 2097152);
			rowStart[prev + 1] += 1;
			next.push(key - prev * 2097152);
			counts.push(this.pairs.get(key) ?? 0);
		}
		for (let i = 1; i < rowStart.length; i += 1) rowStart[i] += rowStart[i - 1];
		return { vocab: this.vocab, rowStart, next, counts };
	}
}

function collapse(text: string): string {
	return text.replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------
// Names

const PINYIN = new RegExp(
	'^(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?' +
		'(?:iang|iong|uang|ang|eng|ing|ong|uai|ian|iao|uan|ai|ei|ao|ou|an|en|er|in|un|ia|ie|iu|ua|uo|ui|ue|a|o|e|i|u)){1,3}$'
);
const PARTICLES = new Set([
	'van',
	'der',
	'de',
	'da',
	'von',
	'del',
	'della',
	'di',
	'le',
	'la',
	'du'
]);
const INITIALS_ONLY = /^(?:[A-Z][a-z]?\.\s*-?\s*)+$/;

function isPinyin(word: string): boolean {
	return PINYIN.test(word.toLowerCase().replace(/-/g, ''));
}

/** Splits "First [Middle] [van der] Last" into parts; null for one-word names. */
function splitName(name: string): { first: string; middle: string[]; last: string } | null {
	const parts = collapse(name).split(' ');
	if (parts.length < 2) return null;
	let lastStart = parts.length - 1;
	while (lastStart > 1 && PARTICLES.has(parts[lastStart - 1])) lastStart -= 1;
	return {
		first: parts[0],
		middle: parts.slice(1, lastStart),
		last: parts.slice(lastStart).join(' ')
	};
}

function sortedCounts(counts: Map<string, number>): [string, number][] {
	// Sorted so the cache (and so the output) does not depend on Map insertion quirks.
	return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

// ---------------------------------------------------------------------------
// The build

const ARXIV_DATE = /^\w{3}, (\d{1,2}) (\w{3}) (\d{4}) (\d\d):(\d\d):(\d\d) GMT$/;
const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

function parseArxivDate(text: string): number {
	const m = ARXIV_DATE.exec(text);
	if (!m) throw new Error(`unexpected version date: ${text}`);
	return Date.UTC(
		Number(m[3]),
		MONTHS.indexOf(m[2]) / 3,
		Number(m[1]),
		Number(m[4]),
		Number(m[5]),
		Number(m[6])
	);
}

function archiveOf(category: string): string {
	return category.split('.')[0];
}

function aliasOf(category: string): string | undefined {
	for (const [a, b] of CATEGORY_ALIASES) {
		if (a === category) return b;
		if (b === category) return a;
	}
	return undefined;
}

function buildModel(dataDir: string, sources: GeneratorModel['sources']): GeneratorModel {
	const has = (rel: string) => sources.some((s) => s.file === rel);
	const kaggle = readJsonLines(path.join(dataDir, SOURCES.kaggle)) as KaggleLine[];
	const hf = readJsonLines(path.join(dataDir, SOURCES.hf)) as HfLine[];
	const cacm = has(SOURCES.cacm)
		? (readJsonLines(path.join(dataDir, SOURCES.cacm)) as BeirLine[])
		: [];
	const cranfield = has(SOURCES.cranfield)
		? (readJsonLines(path.join(dataDir, SOURCES.cranfield)) as BeirLine[])
		: [];

	// Text models. The 200 sample abstracts are the only real arXiv physics/math text, so they
	// are weighted up against Cranfield's (lower-cased, 1960s aeronautics) to keep their voice.
	const KAGGLE_WEIGHT = 10;
	const csTitle = new BigramBuilder();
	const csAbstract = new BigramBuilder();
	for (const p of hf) {
		csTitle.add(tokenize(collapse(p.title)), 1);
		csAbstract.add(tokenize(collapse(p.abstract)), 1);
	}
	for (const d of cacm) {
		if (d.title) csTitle.add(tokenize(collapse(d.title)), 1);
		if (d.text) csAbstract.add(tokenize(collapse(d.text)), 1);
	}
	const physTitle = new BigramBuilder();
	const physAbstract = new BigramBuilder();
	for (const r of kaggle) {
		physTitle.add(tokenize(collapse(r.title)), KAGGLE_WEIGHT);
		// Up-weighting would also multiply the sample's LaTeX, which then lands in almost every
		// other generated abstract; its LaTeX keeps a smaller weight.
		physAbstract.add(tokenize(collapse(r.abstract)), KAGGLE_WEIGHT, KAGGLE_WEIGHT / 3);
	}
	for (const d of cranfield) {
		const title = collapse(d.title).replace(/\s*\.$/, '');
		let text = collapse(d.text);
		// Cranfield repeats the title at the start of the text.
		if (text.startsWith(collapse(d.title))) text = text.slice(collapse(d.title).length).trim();
		if (title) physTitle.add(tokenize(title), 1);
		if (text) physAbstract.add(tokenize(text), 1);
	}

	// Lengths.
	const titleWords: EraSamples = {
		old: kaggle.map((r) => wordCount(r.title)),
		modern: hf.map((p) => wordCount(p.title))
	};
	const abstractWords: EraSamples = {
		old: kaggle.map((r) => wordCount(r.abstract)),
		modern: hf.map((p) => wordCount(p.abstract))
	};
	const authorsPerPaper: EraSamples = {
		old: kaggle.map((r) => r.authors_parsed.length),
		modern: hf.map((p) => p.authors.length)
	};

	// Categories: count per paper without alias duplicates (the generator adds those back).
	const categoriesPerPaper: number[] = [];
	const archiveMix2007: Record<string, number> = {};
	const crossListPairs: Record<string, Record<string, number>> = {};
	let sameArchive = 0;
	let crossLists = 0;
	for (const r of kaggle) {
		const cats = r.categories.split(' ');
		const kept: string[] = [];
		for (const c of cats) {
			const alias = aliasOf(c);
			if (alias && kept.includes(alias)) continue;
			kept.push(c);
		}
		categoriesPerPaper.push(kept.length);
		const primary = archiveOf(kept[0]);
		archiveMix2007[primary] = (archiveMix2007[primary] ?? 0) + 1;
		for (const c of kept.slice(1)) {
			crossLists += 1;
			const a = archiveOf(c);
			if (a === primary) {
				sameArchive += 1;
				continue;
			}
			crossListPairs[primary] ??= {};
			crossListPairs[primary][a] = (crossListPairs[primary][a] ?? 0) + 1;
		}
	}

	// Versions and dates.
	const versionsPerPaper: number[] = [];
	const versionGapDays: number[] = [];
	const updateGapDays: number[] = [];
	for (const r of kaggle) {
		versionsPerPaper.push(r.versions.length);
		const times = r.versions.map((v) => parseArxivDate(v.created));
		for (let i = 1; i < times.length; i += 1) {
			versionGapDays.push(Math.floor((times[i] - times[i - 1]) / 86_400_000));
		}
		const lastDay = Math.floor(times[times.length - 1] / 86_400_000);
		const updateDay = Math.floor(Date.parse(`${r.update_date}T00:00:00Z`) / 86_400_000);
		// A few real rows are a day early (time zones); the generator promises update ≥ last version.
		updateGapDays.push(Math.max(0, updateDay - lastDay));
	}

	// Presence and formatting rates of the 2007 sample.
	const share = (n: number, d: number) => (d === 0 ? 0 : n / d);
	const count = (f: (r: KaggleLine) => boolean) => kaggle.filter(f).length;
	const withJournal = count((r) => !!r['journal-ref']);
	const multiAuthor = kaggle.filter((r) => r.authors_parsed.length > 1);
	const initialsPapers = kaggle.filter((r) =>
		r.authors_parsed.every((a) => INITIALS_ONLY.test(a[1] ?? ''))
	);
	const presence2007: GeneratorModel['presence2007'] = {
		comments: share(
			count((r) => !!r.comments),
			kaggle.length
		),
		journalRef: share(withJournal, kaggle.length),
		doiGivenJournalRef: share(
			count((r) => !!r.doi && !!r['journal-ref']),
			withJournal
		),
		doiWithoutJournalRef: share(
			count((r) => !!r.doi && !r['journal-ref']),
			kaggle.length - withJournal
		),
		reportNo: share(
			count((r) => !!r['report-no']),
			kaggle.length
		),
		affiliations: share(
			count((r) => r.authors_parsed.some((a) => a.length > 3)),
			kaggle.length
		),
		paragraphBreak: share(
			count((r) => r.abstract.slice(2, -1).includes('\n  ')),
			kaggle.length
		),
		andBeforeLast: share(
			multiAuthor.filter((r) => / and /.test(r.authors)).length,
			multiAuthor.length
		),
		submitterIsAuthor: share(
			count((r) => {
				const sub = r.submitter ?? '';
				return r.authors_parsed.some((a) => sub.includes(a[0]));
			}),
			kaggle.length
		),
		initialsStyle: share(initialsPapers.length, kaggle.length),
		compactInitials: share(
			initialsPapers.filter((r) => /\b[A-Z]\.[A-Z]\./.test(r.authors)).length,
			initialsPapers.length
		)
	};
	const initialsStyleModern = share(
		hf.filter((p) => p.authors.every((a) => /^[A-Z]\.(?:\s|$)/.test(a))).length,
		hf.length
	);

	const licenseCounts = new Map<string, number>();
	for (const r of kaggle)
		licenseCounts.set(r.license ?? '', (licenseCounts.get(r.license ?? '') ?? 0) + 1);

	// Pools of real field values; the generator re-draws their numbers.
	const nonEmpty = (values: (string | null)[]) =>
		values.filter((v): v is string => !!v).map(collapse);
	const affiliations = new Set<string>();
	for (const r of kaggle) {
		for (const a of r.authors_parsed) {
			const aff = a[3] ? collapse(a[3]) : '';
			if (/[A-Za-z]{3}/.test(aff) && !/^\d/.test(aff)) affiliations.add(aff);
		}
	}
	for (const p of hf) if (p.organization) affiliations.add(collapse(p.organization));
	const codeUrls = [...new Set(nonEmpty(hf.map((p) => p.github_repo)))].filter((u) =>
		/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/?$/.test(u)
	);
	const projectUrls = [...new Set(nonEmpty(hf.map((p) => p.project_page)))].filter(
		(u) => /^https?:\/\/\S+$/.test(u) && !u.includes('github.com')
	);

	// Names: HF full names plus the sample's spelled-out first names, split into a pinyin class
	// and the rest so a generated "first last" pair stays plausible.
	const classes = new Map<
		string,
		{ n: number; first: Map<string, number>; last: Map<string, number> }
	>();
	let middleInitials = 0;
	let nameCount = 0;
	const addName = (first: string, middle: string[], last: string) => {
		const label = isPinyin(first) && isPinyin(last) ? 'pinyin' : 'other';
		let c = classes.get(label);
		if (!c) {
			c = { n: 0, first: new Map(), last: new Map() };
			classes.set(label, c);
		}
		c.n += 1;
		c.first.set(first, (c.first.get(first) ?? 0) + 1);
		c.last.set(last, (c.last.get(last) ?? 0) + 1);
		nameCount += 1;
		if (middle.length === 1 && /^[A-Z]\.?$/.test(middle[0])) middleInitials += 1;
	};
	const hfAuthors = new Set<string>();
	let hfAuthorSlots = 0;
	for (const p of hf) {
		for (const name of p.authors) {
			hfAuthorSlots += 1;
			hfAuthors.add(name);
			const parts = splitName(name);
			if (!parts || !/^\p{Lu}\p{Ll}+$/u.test(parts.first)) continue;
			addName(parts.first, parts.middle, parts.last);
		}
	}
	let suffixes = 0;
	let parsedAuthors = 0;
	for (const r of kaggle) {
		for (const a of r.authors_parsed) {
			parsedAuthors += 1;
			if (a[2]) suffixes += 1;
			const first = (a[1] ?? '').split(' ')[0];
			if (/^\p{Lu}\p{Ll}+$/u.test(first) && a[0]) addName(first, [], a[0]);
		}
	}
	const classList: NameClass[] = [...classes.entries()]
		.sort((a, b) => (a[0] < b[0] ? -1 : 1))
		.map(([label, c]) => ({
			label,
			share: c.n / nameCount,
			first: sortedCounts(c.first),
			last: sortedCounts(c.last)
		}));

	// Reference vocabulary sizes for --check; HF abstracts in an order spread over the file.
	const hfSpread: string[] = [];
	for (let i = 0; i < hf.length; i += 1) hfSpread.push(hf[(i * 7919) % hf.length].abstract);

	return {
		version: MODEL_VERSION,
		sources,
		text: {
			cs: { title: csTitle.build(), abstract: csAbstract.build() },
			phys: { title: physTitle.build(), abstract: physAbstract.build() }
		},
		titleWords,
		abstractWords,
		authorsPerPaper,
		categoriesPerPaper,
		versionsPerPaper,
		versionGapDays,
		updateGapDays,
		archiveMix2007,
		crossListPairs,
		sameArchiveCrossShare: share(sameArchive, crossLists),
		presence2007,
		initialsStyleModern,
		licenses2007: sortedCounts(licenseCounts),
		pools: {
			comments: nonEmpty(kaggle.map((r) => r.comments)),
			journalRefs: nonEmpty(kaggle.map((r) => r['journal-ref'])),
			dois: nonEmpty(kaggle.map((r) => r.doi)).filter((d) => !d.includes(' ')),
			reportNos: nonEmpty(kaggle.map((r) => r['report-no'])),
			affiliations: [...affiliations].sort(),
			codeUrls: codeUrls.sort(),
			projectUrls: projectUrls.sort()
		},
		names: {
			classes: classList,
			middleInitialRate: share(middleInitials, nameCount),
			suffixRate: share(suffixes, parsedAuthors)
		},
		reference: {
			kaggleDistinct20k: distinctWords(
				kaggle.map((r) => r.abstract),
				20_000
			),
			hfDistinct20k: distinctWords(hfSpread, 20_000),
			hfDistinct200k: distinctWords(hfSpread, 200_000),
			hfTopWord: hf.map((p) => topWordCount(p.abstract)),
			hfAuthorSlots,
			hfDistinctAuthors: hfAuthors.size
		}
	};
}
