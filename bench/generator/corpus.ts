/**
 * The corpus generator proper: turns the learned model (model.ts) and the assumptions
 * (priors.ts) into arXiv snapshot records, one at a time, in the order of the real Kaggle file.
 *
 * Shape of a run of `count` records:
 * 1. `count` is split over the months 1991-08 … end in proportion to arXiv's growth curve,
 *    so every size spans the whole history (a 100k corpus is a thinned arXiv, not its first
 *    100k papers).
 * 2. Records come out in id order as strings, like the real file (it starts at 0704.0001): the
 *    new-style ids month by month, then the old-style ids (`hep-th/9108001`) archive by archive.
 *    Old-style months are split over archives up front because the archive is part of the id.
 * 3. Each record draws from its own random stream, seeded by (seed, ordinal), so its content
 *    does not depend on any other record.
 */
import {
	ARCHIVE_MIX_1995,
	ARCHIVE_MIX_2024,
	ARCHIVES,
	ASTRO_PH_CLASSES_FROM,
	AUTHOR_UNIVERSE,
	AUTHOR_ZIPF,
	CATEGORY_ALIASES,
	CROSS_LIST_NEIGHBOURS,
	DEFAULT_END,
	FIRST_MONTH,
	LICENSE_SWITCH_DONE,
	MODERN_LICENSES,
	MODERN_PRESENCE,
	MONTHLY_SUBMISSIONS,
	NEW_STYLE_FROM,
	RARE_WORD_ALPHA,
	RARE_WORD_FIRST_RANK,
	RARE_WORD_RATE,
	STOPWORDS,
	SUBJECT_CLASSES,
	TOPIC_REUSE_RATE,
	VENUES,
	yearOf
} from './priors';
import { BOS, EOS, type BigramTable, type GeneratorModel } from './model';
import { Discrete, apportion, hash32, mulberry32, pick, type Rng } from './rng';

/** One line of the Kaggle `arxiv-metadata-oai-snapshot.json`, keys in the file's order. */
export interface SnapshotRecord {
	id: string;
	submitter: string | null;
	authors: string;
	title: string;
	comments: string | null;
	'journal-ref': string | null;
	doi: string | null;
	'report-no': string | null;
	categories: string;
	license: string | null;
	abstract: string;
	versions: { version: string; created: string }[];
	update_date: string;
	authors_parsed: string[][];
}

/** A calendar month. */
export interface YearMonth {
	year: number;
	month: number;
}

/** Options of a generator run. */
export interface CorpusOptions {
	/** Last month of the snapshot (default 2026-10). */
	end?: YearMonth;
}

// ---------------------------------------------------------------------------
// Text models at run time

const F_WORD = 1;
const F_RARE_OK = 2;
const F_SENT_END = 4;
const F_NO_SPACE_BEFORE = 8;
const F_OPEN = 16;
const F_CLOSE = 32;
const F_TITLE_END_OK = 64;
/** A content word worth repeating: a plain lower-case word, or an acronym / model name. */
const F_TOPIC = 128;
/** A word after which a noun is natural: where the writer may reuse a topic word. */
const F_REUSE_AFTER = 256;

/** Share of reuses that repeat one of the first three content words. */
const KEY_TERM_SHARE = 0.5;

const REUSE_AFTER = new Set(
	'the a an of for in on with to and by from our their its this these via using'.split(' ')
);

function tokenFlags(token: string): number {
	if (token === '.' || token === '?' || token === '!') return F_SENT_END | F_NO_SPACE_BEFORE;
	if (token === ',' || token === ';' || token === ':') return F_NO_SPACE_BEFORE;
	if (token === '(' || token === '[') return F_OPEN;
	if (token === ')' || token === ']') return F_CLOSE | F_NO_SPACE_BEFORE;
	let flags = F_WORD;
	const lower = token.toLowerCase();
	if (!STOPWORDS.has(lower) && token !== '-' && token !== '&') flags |= F_TITLE_END_OK;
	// Only plain lower-case content words are swapped for rare words: swapping names, numbers
	// or LaTeX would read oddly, and those already vary.
	if (/^[a-z][a-z-]{4,}$/.test(token) && !STOPWORDS.has(token)) flags |= F_RARE_OK | F_TOPIC;
	if (/^[A-Z][A-Za-z0-9-]*[A-Z0-9][A-Za-z0-9-]*$/.test(token) && token.length > 2) flags |= F_TOPIC;
	if (REUSE_AFTER.has(lower)) flags |= F_REUSE_AFTER;
	return flags;
}

/**
 * A bigram table with per-token flags, ready for sampling. Each row is turned into a Walker
 * alias table, so drawing the next token is O(1) whatever the row length (a common word has
 * thousands of continuations). Sampling is still a quarter of the run time: each draw is a
 * cache miss into ~10 MB of tables.
 */
class TextModel {
	readonly vocab: string[];
	private readonly rowStart: Uint32Array;
	/** Per entry: the chance to keep `keep[i]`, else take `other[i]` (both token ids). */
	private readonly threshold: Float64Array;
	private readonly keep: Uint32Array;
	private readonly other: Uint32Array;
	readonly flags: Uint16Array;

	constructor(table: BigramTable) {
		this.vocab = table.vocab;
		this.rowStart = Uint32Array.from(table.rowStart);
		const size = table.next.length;
		this.threshold = new Float64Array(size);
		this.keep = Uint32Array.from(table.next);
		this.other = Uint32Array.from(table.next);
		let widest = 0;
		for (let t = 0; t + 1 < this.rowStart.length; t += 1) {
			widest = Math.max(widest, this.rowStart[t + 1] - this.rowStart[t]);
		}
		const scaled = new Float64Array(widest);
		const small = new Uint32Array(widest);
		const large = new Uint32Array(widest);
		for (let t = 0; t + 1 < this.rowStart.length; t += 1) {
			const from = this.rowStart[t];
			const n = this.rowStart[t + 1] - from;
			if (n === 0) continue;
			let total = 0;
			for (let i = 0; i < n; i += 1) total += table.counts[from + i];
			// Vose's method; the worklists are filled in index order, so the table is deterministic.
			let ns = 0;
			let nl = 0;
			for (let i = 0; i < n; i += 1) {
				scaled[i] = (table.counts[from + i] * n) / total;
				if (scaled[i] < 1) small[ns++] = i;
				else large[nl++] = i;
			}
			while (ns > 0 && nl > 0) {
				const s = small[--ns];
				const l = large[nl - 1];
				this.threshold[from + s] = scaled[s];
				this.other[from + s] = table.next[from + l];
				scaled[l] = scaled[l] + scaled[s] - 1;
				if (scaled[l] < 1) {
					nl -= 1;
					small[ns++] = l;
				}
			}
			while (nl > 0) this.threshold[from + large[--nl]] = 1;
			while (ns > 0) this.threshold[from + small[--ns]] = 1;
		}
		this.flags = Uint16Array.from(this.vocab, (token, i) => (i <= EOS ? 0 : tokenFlags(token)));
	}

	/** The token after `state`; EOS when the state never continues. */
	sample(state: number, u: number): number {
		const from = this.rowStart[state];
		const n = this.rowStart[state + 1] - from;
		if (n === 0) return EOS;
		// One uniform gives both the column (integer part) and the coin (fraction).
		const x = u * n;
		const i = from + Math.floor(x);
		return x - Math.floor(x) < this.threshold[i] ? this.keep[i] : this.other[i];
	}
}

/**
 * The rare words: a pure function of (seed, rank), so one rank is one word in every record,
 * which is what gives the words their Zipf frequencies. A word is spliced from the head of one
 * real word and the tail of another ("magnetization" + "scattering" → "magnetering"), which
 * reads like jargon; some are capitalised (names) or acronyms and model names ("MASC-7B").
 */
class RareWords {
	constructor(
		private readonly stems: readonly string[],
		private readonly seed: number
	) {}

	/** A rank of the unbounded rare vocabulary: P(rank ≥ x) = (x / FIRST_RANK)^-ALPHA. */
	static rank(u: number): number {
		return Math.min(2 ** 40, Math.floor(RARE_WORD_FIRST_RANK * (1 - u) ** (-1 / RARE_WORD_ALPHA)));
	}

	word(rank: number): string {
		const h1 = hash32(0x5eed_0007, this.seed, rank);
		const h2 = hash32(h1, 1);
		const a = this.stems[h1 % this.stems.length];
		const b = this.stems[h2 % this.stems.length];
		const word = a.slice(0, 3 + ((h2 >>> 8) % 4)) + b.slice(-(3 + ((h2 >>> 12) % 5)));
		const style = (h1 >>> 20) % 100;
		if (style < 78) return word;
		if (style < 88) return word[0].toUpperCase() + word.slice(1);
		const acronym = (a.slice(0, 2) + b.slice(0, 1 + ((h2 >>> 17) % 3))).toUpperCase();
		return style < 94 ? acronym : `${acronym}-${1 + ((h2 >>> 22) % 70)}${'BMK'[(h1 >>> 8) % 3]}`;
	}
}

class TextWriter {
	private readonly tokens: string[] = [];
	private readonly tokenFlags: number[] = [];
	words = 0;
	depth = 0;

	push(token: string, flags: number): void {
		if (flags & F_OPEN) this.depth += 1;
		if (flags & F_CLOSE) this.depth -= 1;
		if (flags & F_WORD) this.words += 1;
		this.tokens.push(token);
		this.tokenFlags.push(flags);
	}

	get lastFlags(): number {
		return this.lastFlagsAt(1);
	}

	/** Flags of the n-th token from the end (1 = last); 0 before the start. */
	lastFlagsAt(n: number): number {
		return this.tokenFlags.length < n ? 0 : this.tokenFlags[this.tokenFlags.length - n];
	}

	get length(): number {
		return this.tokens.length;
	}

	pop(): void {
		const flags = this.tokenFlags.pop() ?? 0;
		this.tokens.pop();
		if (flags & F_OPEN) this.depth -= 1;
		if (flags & F_CLOSE) this.depth += 1;
		if (flags & F_WORD) this.words -= 1;
	}

	closeBrackets(): void {
		while (this.depth > 0) this.push(')', F_CLOSE | F_NO_SPACE_BEFORE);
	}

	/**
	 * Joins tokens with the spacing of English text and capitalises sentence starts (Cranfield's
	 * text is all lower case).
	 */
	join(): string {
		let out = '';
		let capitalise = true;
		let afterOpen = false;
		for (let i = 0; i < this.tokens.length; i += 1) {
			let token = this.tokens[i];
			const flags = this.tokenFlags[i];
			if (capitalise && flags & F_WORD) {
				const c = token.charCodeAt(0);
				if (c >= 97 && c <= 122) token = String.fromCharCode(c - 32) + token.slice(1);
				capitalise = false;
			}
			if (out !== '' && !(flags & F_NO_SPACE_BEFORE) && !afterOpen) out += ' ';
			out += token;
			afterOpen = (flags & F_OPEN) !== 0;
			if (flags & F_SENT_END) capitalise = true;
		}
		return out;
	}
}

// ---------------------------------------------------------------------------
// Formatting

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH_NAMES = [
	'Jan',
	'Feb',
	'Mar',
	'Apr',
	'May',
	'Jun',
	'Jul',
	'Aug',
	'Sep',
	'Oct',
	'Nov',
	'Dec'
];
const DAY_MS = 86_400_000;

function two(n: number): string {
	return n < 10 ? `0${n}` : String(n);
}

/** "Mon, 2 Apr 2007 19:18:42 GMT", the format of `versions[].created`. */
export function formatCreated(ms: number): string {
	const d = new Date(ms);
	return (
		`${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
		`${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} GMT`
	);
}

function formatDay(ms: number): string {
	const d = new Date(ms);
	return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
}

/**
 * Hard-wraps like the arXiv abs files the snapshot is made from: lines of at most 79 columns
 * counting the field label ("Title: ") on the first line, continuation lines indented.
 */
function wrap(text: string, firstWidth: number, width: number, indent: string): string {
	if (text.length <= firstWidth) return text;
	// Scans for spaces and slices whole lines out of `text`: no array of words, since this runs
	// over every abstract and the arrays showed up in profiles.
	let out = '';
	let from = 0; // start of the current line in text
	let end = -1; // end of the last word that fits on it
	let pad = 0; // indent already written for the current line
	let limit = firstWidth;
	for (let i = 0; ;) {
		let space = text.indexOf(' ', i);
		if (space < 0) space = text.length;
		if (end < 0 || pad + space - from <= limit) {
			end = space;
		} else {
			out += `${text.slice(from, end)}\n${indent}`;
			from = i;
			pad = indent.length;
			limit = width;
			end = space;
		}
		if (space >= text.length) break;
		i = space + 1;
	}
	return out + text.slice(from, end);
}

// Field label widths of the abs file: "Title: ", "Authors: ", "Comments: ", …
const WRAP = {
	title: 79 - 7,
	authors: 79 - 9,
	comments: 79 - 10,
	journalRef: 79 - 13,
	reportNo: 79 - 11
} as const;

const TEX_MARKS: Readonly<Record<string, string>> = {
	'\u0301': "'",
	'\u0300': '`',
	'\u0302': '^',
	'\u0308': '"',
	'\u0303': '~',
	'\u0304': '=',
	'\u0307': '.',
	'\u030c': 'v',
	'\u0327': 'c',
	'\u030b': 'H',
	'\u0306': 'u',
	'\u030a': 'r'
};
const TEX_LETTERS: Readonly<Record<string, string>> = {
	ø: '{\\o}',
	Ø: '{\\O}',
	ß: '{\\ss}',
	ł: '{\\l}',
	Ł: '{\\L}',
	æ: '{\\ae}',
	Æ: '{\\AE}',
	œ: '{\\oe}',
	ı: '{\\i}',
	å: '{\\aa}',
	Å: '{\\AA}'
};

/**
 * Writes accented letters the way submitters typed them in TeX (`Bal\'azs`, `G\"ahler`,
 * `\v{S}r\'amek`, sometimes braced `{\"o}`); `authors_parsed` keeps the Unicode, as in the real
 * file.
 */
function texAccents(name: string, braced: boolean): string {
	if (!/[\u0080-\uffff]/.test(name)) return name;
	let out = '';
	for (const ch of name) {
		const letter = TEX_LETTERS[ch];
		if (letter) {
			out += letter;
			continue;
		}
		const parts = ch.normalize('NFD');
		const mark = parts.length === 2 ? TEX_MARKS[parts[1]] : undefined;
		if (!mark) {
			out += ch;
			continue;
		}
		const base = parts[0];
		const tex = /[a-zA-Z]/.test(mark) ? `\\${mark}{${base}}` : `\\${mark}${base}`;
		out += braced ? `{${tex}}` : tex;
	}
	return out;
}

const NON_ASCII = /[\u0080-\uffff]/g;

/**
 * One line of the snapshot file (without the newline): compact JSON with non-ASCII characters
 * escaped as \uXXXX, as Python's json.dumps wrote the real file ("Bal\u00e1zs").
 */
export function snapshotLine(record: SnapshotRecord): string {
	const line = JSON.stringify(record);
	NON_ASCII.lastIndex = 0;
	if (!NON_ASCII.test(line)) return line;
	return line.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// ---------------------------------------------------------------------------
// Time: the growth curve and the archive mix

function monthIndex(ym: YearMonth): number {
	return ym.year * 12 + ym.month - 1;
}

function fromIndex(index: number): YearMonth {
	return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

const parsedMonths = new Map<string, number>();

/** "1998-01" → month index; memoised, it runs for every subject-class draw. */
function parseYearMonth(text: string): number {
	let index = parsedMonths.get(text);
	if (index === undefined) {
		const [y, m] = text.split('-').map(Number);
		index = y * 12 + m - 1;
		parsedMonths.set(text, index);
	}
	return index;
}

/** Monthly submission rate at fractional year t (log-linear between mid-year anchors). */
function submissionRate(t: number): number {
	const anchors = MONTHLY_SUBMISSIONS;
	const x = t - 0.5;
	if (x <= anchors[0][0]) return anchors[0][1];
	for (let i = 1; i < anchors.length; i += 1) {
		if (x <= anchors[i][0]) {
			const [y0, r0] = anchors[i - 1];
			const [y1, r1] = anchors[i];
			const f = (x - y0) / (y1 - y0);
			return Math.exp(Math.log(r0) + f * (Math.log(r1) - Math.log(r0)));
		}
	}
	return anchors[anchors.length - 1][1];
}

/** 0 up to April 2007 (the sample), 1 from mid-2024 (the HF papers), linear between. */
function eraWeight(t: number): number {
	return Math.min(1, Math.max(0, (t - 2007.25) / (2024.5 - 2007.25)));
}

const ARCHIVE_NAMES = Object.keys(ARCHIVES).sort();

function isActive(archive: string, index: number): boolean {
	const info = ARCHIVES[archive];
	if (index < parseYearMonth(info.from)) return false;
	return info.to === undefined || index <= parseYearMonth(info.to);
}

function normalised(weights: Readonly<Record<string, number>>): Record<string, number> {
	const total = Object.values(weights).reduce((a, b) => a + b, 0);
	const out: Record<string, number> = {};
	for (const [k, v] of Object.entries(weights)) out[k] = v / total;
	return out;
}

/** Whether a month takes old-style ids. */
function isOldStyle(index: number): boolean {
	return index < monthIndex(NEW_STYLE_FROM);
}

// ---------------------------------------------------------------------------
// The compiled generator

interface NameParts {
	first: string;
	middle: string;
	last: string;
	suffix: string;
}

interface MonthContext {
	index: number;
	t: number;
	archives: string[];
	archiveSampler: Discrete;
}

/** A slot of the corpus: where a record sits and what its id is. */
export interface Slot {
	ordinal: number;
	id: string;
	archive?: string;
	monthIndex: number;
	seq: number;
	count: number;
}

/** The model compiled for sampling: typed arrays, samplers, month contexts. */
export class Corpus {
	private textModels?: {
		text: Record<'cs' | 'phys', { title: TextModel; abstract: TextModel }>;
		rareWords: RareWords;
	};
	private readonly nameClasses: {
		sampler: Discrete;
		first: { names: string[]; sampler: Discrete }[];
		last: { names: string[]; sampler: Discrete }[];
	};
	private readonly mix1995: Record<string, number>;
	private readonly mix2007: Record<string, number>;
	private readonly mix2024: Record<string, number>;
	private readonly licensesOld: { values: string[]; sampler: Discrete };
	private readonly licensesModern: { values: string[]; sampler: Discrete };
	private readonly pages: number[];
	private readonly figures: number[];
	private readonly monthCache = new Map<number, MonthContext>();
	private readonly neighbourCache = new Map<string, { names: string[]; sampler: Discrete }>();
	readonly endIndex: number;
	private readonly endMs: number;

	constructor(
		readonly model: GeneratorModel,
		readonly seed: number,
		options: CorpusOptions = {}
	) {
		this.endIndex = monthIndex(options.end ?? DEFAULT_END);
		if (this.endIndex < monthIndex(NEW_STYLE_FROM)) throw new Error('end must be 2007-04 or later');
		const end = fromIndex(this.endIndex + 1);
		this.endMs = Date.UTC(end.year, end.month - 1, 1) - 1000;
		const classes = model.names.classes;
		this.nameClasses = {
			sampler: new Discrete(classes.map((c) => c.share)),
			first: classes.map((c) => ({
				names: c.first.map((e) => e[0]),
				sampler: new Discrete(c.first.map((e) => e[1]))
			})),
			last: classes.map((c) => ({
				names: c.last.map((e) => e[0]),
				sampler: new Discrete(c.last.map((e) => e[1]))
			}))
		};
		this.mix1995 = normalised(ARCHIVE_MIX_1995);
		// The sample has one month of 2007, so archives that existed but did not show up in its
		// 200 lines (stat, nucl-ex, …) get half a paper each rather than zero.
		const sample: Record<string, number> = {};
		for (const archive of ARCHIVE_NAMES) {
			if (isActive(archive, monthIndex(NEW_STYLE_FROM))) {
				sample[archive] = (model.archiveMix2007[archive] ?? 0) + 0.5;
			}
		}
		this.mix2007 = normalised(sample);
		this.mix2024 = normalised(ARCHIVE_MIX_2024);
		this.licensesOld = {
			values: model.licenses2007.map((e) => e[0]),
			sampler: new Discrete(model.licenses2007.map((e) => e[1]))
		};
		this.licensesModern = {
			values: MODERN_LICENSES.map((e) => e[0]),
			sampler: new Discrete(MODERN_LICENSES.map((e) => e[1]))
		};
		const numbersBefore = (word: RegExp) =>
			model.pools.comments.flatMap((c) => [...c.matchAll(word)].map((m) => Number(m[1])));
		this.pages = numbersBefore(/(\d+)\s*(?:pages|pp)/g).filter((n) => n > 0 && n < 400);
		this.figures = numbersBefore(/(\d+)\s*(?:postscript\s+)?figures?/g).filter((n) => n < 100);
		if (this.pages.length === 0) this.pages = [10];
		if (this.figures.length === 0) this.figures = [4];
	}

	/**
	 * The text models, built on first use: a process that only plans slots (the CLI's main
	 * thread when workers write the records) never pays for their ~100 MB of tables.
	 */
	private get engines(): NonNullable<Corpus['textModels']> {
		if (!this.textModels) {
			const t = this.model.text;
			const text = {
				cs: { title: new TextModel(t.cs.title), abstract: new TextModel(t.cs.abstract) },
				phys: { title: new TextModel(t.phys.title), abstract: new TextModel(t.phys.abstract) }
			};
			// Stems for rare words: the plain content words of both abstract models, in vocabulary
			// order (deterministic), at least 6 letters so a splice keeps recognisable pieces.
			const stems = new Set<string>();
			for (const m of [text.cs.abstract, text.phys.abstract]) {
				m.vocab.forEach((token, i) => {
					if (m.flags[i] & F_RARE_OK && token.length >= 6 && !token.includes('-')) {
						stems.add(token);
					}
				});
			}
			this.textModels = { text, rareWords: new RareWords([...stems], this.seed) };
		}
		return this.textModels;
	}

	// -------------------------------------------------------------------------
	// Planning

	/** Number of records per month, 1991-08 … end, summing to `count`. */
	monthCounts(count: number): { index: number; count: number }[] {
		const first = monthIndex(FIRST_MONTH);
		const months: number[] = [];
		for (let i = first; i <= this.endIndex; i += 1) months.push(i);
		const weights = months.map((i) => {
			const ym = fromIndex(i);
			return submissionRate(yearOf(ym.year, ym.month) + 0.5 / 12);
		});
		const counts = apportion(weights, count);
		return months.map((index, k) => ({ index, count: counts[k] }));
	}

	/** The slots of a run, in output order. Lazy: only the per-month table is held. */
	*slots(count: number): Generator<Slot> {
		const months = this.monthCounts(count);
		let ordinal = 0;
		for (const { index, count: n } of months) {
			if (isOldStyle(index) || n === 0) continue;
			const ym = fromIndex(index);
			const prefix = `${two(ym.year % 100)}${two(ym.month)}.`;
			// 4-digit numbers until 2014, 5 after; wider only if a month would overflow.
			const digits = Math.max(ym.year >= 2015 ? 5 : 4, String(n).length);
			for (let seq = 1; seq <= n; seq += 1) {
				yield {
					ordinal: ordinal++,
					id: prefix + String(seq).padStart(digits, '0'),
					monthIndex: index,
					seq,
					count: n
				};
			}
		}
		// Old-style: each month's papers split over the archives open that month, then written
		// archive by archive as the ids sort ("math-ph/…" before "math/…": '-' < '/'). Each paper
		// draws its archive (from a per-month stream): rounding shares instead would hand every
		// paper of a thin month to the biggest archive.
		const groups: { archive: string; index: number; count: number }[] = [];
		for (const { index, count: n } of months) {
			if (!isOldStyle(index) || n === 0) continue;
			const ctx = this.month(index);
			const rng = mulberry32(hash32(this.seed, 0x0a5c_4e00, index));
			const parts = new Array<number>(ctx.archives.length).fill(0);
			for (let k = 0; k < n; k += 1) parts[ctx.archiveSampler.sample(rng())] += 1;
			ctx.archives.forEach((archive, k) => {
				if (parts[k] > 0) groups.push({ archive, index, count: parts[k] });
			});
		}
		const key = (g: { archive: string; index: number }) => {
			const ym = fromIndex(g.index);
			return `${g.archive}/${two(ym.year % 100)}${two(ym.month)}`;
		};
		groups.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
		for (const g of groups) {
			const digits = Math.max(3, String(g.count).length);
			for (let seq = 1; seq <= g.count; seq += 1) {
				yield {
					ordinal: ordinal++,
					id: key(g) + String(seq).padStart(digits, '0'),
					archive: g.archive,
					monthIndex: g.index,
					seq,
					count: g.count
				};
			}
		}
	}

	private archiveWeight(archive: string, t: number, index: number): number {
		if (!isActive(archive, index)) return 0;
		const a = this.mix1995[archive] ?? 0;
		const b = this.mix2007[archive] ?? 0;
		const c = this.mix2024[archive] ?? 0;
		if (t <= 1995.5) return a;
		if (t <= 2007.25) return a + ((t - 1995.5) / (2007.25 - 1995.5)) * (b - a);
		if (t <= 2024.5) return b + ((t - 2007.25) / (2024.5 - 2007.25)) * (c - b);
		return c;
	}

	private month(index: number): MonthContext {
		let ctx = this.monthCache.get(index);
		if (!ctx) {
			const ym = fromIndex(index);
			const t = yearOf(ym.year, ym.month);
			const archives = ARCHIVE_NAMES.filter((a) => isActive(a, index));
			ctx = {
				index,
				t,
				archives,
				archiveSampler: new Discrete(archives.map((a) => this.archiveWeight(a, t, index)))
			};
			this.monthCache.set(index, ctx);
		}
		return ctx;
	}

	// -------------------------------------------------------------------------
	// Records

	/** The record of one slot. */
	record(slot: Slot): SnapshotRecord {
		const rng = mulberry32(hash32(this.seed, slot.ordinal));
		const ctx = this.month(slot.monthIndex);
		const t = ctx.t;
		const w = eraWeight(t);
		const ym = fromIndex(slot.monthIndex);

		const archive = slot.archive ?? ctx.archives[ctx.archiveSampler.sample(rng())];
		const categories = this.categories(archive, ym.year, slot.monthIndex, rng);
		const domain = ARCHIVES[archive].domain;
		const text = this.engines.text[domain];

		const era = (samples: { old: number[]; modern: number[] }, modernShare: number) =>
			rng() < modernShare ? pick(samples.modern, rng) : pick(samples.old, rng);

		const title = wrap(
			this.title(text.title, era(this.model.titleWords, w), rng),
			WRAP.title,
			79,
			'  '
		);
		const abstract = this.abstract(text.abstract, era(this.model.abstractWords, w), rng);

		// Authors. The HF papers are big-team ML, so outside cs-like archives they count half.
		const nAuthors = Math.max(1, era(this.model.authorsPerPaper, domain === 'cs' ? w : w / 2));
		const authors = this.authors(nAuthors, w, rng);

		// Versions: v1 inside the id's month, in id order; later versions after real gaps.
		const monthStart = Date.UTC(ym.year, ym.month - 1, 1);
		const next = fromIndex(slot.monthIndex + 1);
		const monthMs = Date.UTC(next.year, next.month - 1, 1) - monthStart;
		const v1 = Math.floor(monthStart + ((slot.seq - 1 + rng()) / slot.count) * monthMs);
		const times = [Math.min(v1, this.endMs)];
		const nVersions = pick(this.model.versionsPerPaper, rng);
		for (let v = 1; v < nVersions; v += 1) {
			const gap = pick(this.model.versionGapDays, rng) * DAY_MS + 60_000 + rng() * DAY_MS;
			const at = Math.floor(times[times.length - 1] + gap);
			if (at > this.endMs) break;
			times.push(at);
		}
		const versions = times.map((ms, i) => ({ version: `v${i + 1}`, created: formatCreated(ms) }));
		const updateDate = formatDay(this.updateTime(times[times.length - 1], rng));

		// Optional fields.
		const presence = this.model.presence2007;
		const lerp = (old: number, modern: number) => old + w * (modern - old);
		let comments: string | null = null;
		if (rng() < lerp(presence.comments, MODERN_PRESENCE.comments)) {
			comments =
				domain === 'cs' && rng() < w
					? this.modernComment(ym.year, rng)
					: renumber(pick(this.model.pools.comments, rng), ym.year, this.endYear, rng);
			comments = wrap(comments, WRAP.comments, 79, '  ');
		}
		// The sample's journal refs and DOIs are physics and maths journals; modern cs-like
		// papers cite proceedings instead.
		const csStyle = domain === 'cs' && rng() < w;
		let journalRef: string | null = null;
		if (rng() < lerp(presence.journalRef, MODERN_PRESENCE.journalRef)) {
			journalRef = wrap(
				csStyle
					? this.proceedings(ym.year, rng)
					: renumber(pick(this.model.pools.journalRefs, rng), ym.year, this.endYear, rng),
				WRAP.journalRef,
				79,
				'  '
			);
		}
		const doiRate = journalRef ? presence.doiGivenJournalRef : presence.doiWithoutJournalRef;
		let doi: string | null = null;
		if (rng() < doiRate) {
			doi = csStyle
				? pick(CS_DOIS, rng).replace(/#/g, () => String(Math.floor(rng() * 10)))
				: redigit(pick(this.model.pools.dois, rng), rng, true);
		}
		const reportNo =
			rng() < lerp(presence.reportNo, MODERN_PRESENCE.reportNo)
				? wrap(redigit(pick(this.model.pools.reportNos, rng), rng, false), WRAP.reportNo, 79, '  ')
				: null;

		return {
			id: slot.id,
			submitter: authors.submitter,
			authors: authors.text,
			title,
			comments,
			'journal-ref': journalRef,
			doi,
			'report-no': reportNo,
			categories: categories.join(' '),
			license: this.license(t, ym.year, rng),
			abstract,
			versions,
			update_date: updateDate,
			authors_parsed: authors.parsed
		};
	}

	private get endYear(): number {
		return fromIndex(this.endIndex).year;
	}

	/** Last month of the snapshot. */
	get endYearMonth(): YearMonth {
		return fromIndex(this.endIndex);
	}

	private updateTime(lastVersion: number, rng: Rng): number {
		// The sample's update dates are mostly metadata re-stamps (clusters 50, 600, 955 days
		// after April 2007). Papers older than the sample get the same clock from 2007-04,
		// since their records were re-stamped then too.
		const clockStart = Date.UTC(2007, 3, 1);
		const base = Math.max(lastVersion, clockStart + rng() * 3 * DAY_MS);
		for (let attempt = 0; attempt < 4; attempt += 1) {
			const at = base + pick(this.model.updateGapDays, rng) * DAY_MS;
			if (at <= this.endMs) return Math.max(at, lastVersion);
		}
		// Recent papers: the re-stamp has not happened yet; any day up to the snapshot.
		return Math.max(lastVersion, Math.min(this.endMs, base + rng() * (this.endMs - base)));
	}

	private categories(archive: string, year: number, index: number, rng: Rng): string[] {
		const info = ARCHIVES[archive];
		const cats: string[] = info.becomes
			? [archive, info.becomes]
			: [this.subjectClass(archive, year, index, rng)];
		const extra = pick(this.model.categoriesPerPaper, rng) - 1;
		const home = info.becomes ? info.becomes.split('.')[0] : archive;
		for (let k = 0, tries = 0; k < extra && tries < 10; tries += 1) {
			let cat: string;
			const classes = SUBJECT_CLASSES[home];
			if (classes && classes.length > 1 && rng() < this.model.sameArchiveCrossShare) {
				cat = this.subjectClass(home, year, index, rng);
			} else {
				const other = this.neighbour(home, index, rng);
				if (!other) continue;
				cat = this.subjectClass(other, year, index, rng);
			}
			if (!cats.includes(cat)) {
				cats.push(cat);
				k += 1;
			}
		}
		// Aliases travel together: "cs.IT math.IT", "math-ph math.MP".
		for (let i = 0; i < cats.length; i += 1) {
			for (const [a, b, from] of CATEGORY_ALIASES) {
				if (year < from) continue;
				const other = cats[i] === a ? b : cats[i] === b ? a : undefined;
				if (other && !cats.includes(other)) cats.splice(i + 1, 0, other);
			}
		}
		return cats;
	}

	private subjectClass(archive: string, year: number, index: number, rng: Rng): string {
		const classes = SUBJECT_CLASSES[archive];
		if (!classes || (archive === 'astro-ph' && year < ASTRO_PH_CLASSES_FROM)) return archive;
		let total = 0;
		for (const [, weight, from] of classes) {
			if (!from || index >= parseYearMonth(from)) total += weight;
		}
		let u = rng() * total;
		for (const [name, weight, from] of classes) {
			if (from && index < parseYearMonth(from)) continue;
			u -= weight;
			if (u < 0) return `${archive}.${name}`;
		}
		return `${archive}.${classes[0][0]}`;
	}

	private neighbour(archive: string, index: number, rng: Rng): string | undefined {
		const key = `${archive} ${index}`;
		let cached = this.neighbourCache.get(key);
		if (!cached) {
			cached = this.neighbours(archive, index);
			this.neighbourCache.set(key, cached);
		}
		return cached.names.length === 0 ? undefined : cached.names[cached.sampler.sample(rng())];
	}

	private neighbours(archive: string, index: number): { names: string[]; sampler: Discrete } {
		const weights: Record<string, number> = { ...(CROSS_LIST_NEIGHBOURS[archive] ?? {}) };
		for (const [other, n] of Object.entries(this.model.crossListPairs[archive] ?? {})) {
			weights[other] = (weights[other] ?? 0) + n;
		}
		const names = Object.keys(weights)
			.filter((a) => a !== archive && ARCHIVES[a] && !ARCHIVES[a].becomes && isActive(a, index))
			.sort();
		return { names, sampler: new Discrete(names.map((a) => weights[a])) };
	}

	private title(model: TextModel, target: number, rng: Rng): string {
		const out = new TextWriter();
		let state = BOS;
		let restarted = false;
		for (let steps = 0; steps < 120; steps += 1) {
			let id = model.sample(state, rng());
			// Too short to end: try other continuations, then start a subtitle after a colon.
			for (let retry = 0; id <= EOS && out.words < target - 2 && retry < 3; retry += 1) {
				id = model.sample(state, rng());
			}
			if (id <= EOS) {
				if (out.words >= target - 2 || restarted) break;
				restarted = true;
				if (out.length > 0) out.push(':', F_NO_SPACE_BEFORE);
				state = BOS;
				continue;
			}
			const flags = model.flags[id];
			if (flags & F_CLOSE && out.depth === 0) {
				state = id;
				continue;
			}
			out.push(this.maybeRare(model, id, rng), flags);
			state = id;
			if (out.words >= target && flags & F_TITLE_END_OK) break;
			if (out.words >= target + 5) break;
		}
		while (out.length > 0 && !(out.lastFlags & (F_WORD | F_CLOSE))) out.pop();
		out.closeBrackets();
		return out.join();
	}

	private abstract(model: TextModel, target: number, rng: Rng): string {
		const out = new TextWriter();
		let state = BOS;
		const cap = target + 60;
		// Content words written so far (with repeats, so frequent ones are reused more: the
		// rich-get-richer burstiness of real term frequencies), and the ids to continue from.
		const topicWords: string[] = [];
		const topicIds: number[] = [];
		for (let steps = 0; steps < 4 * cap; steps += 1) {
			if (
				model.flags[state] & F_REUSE_AFTER &&
				topicWords.length >= 3 &&
				rng() < TOPIC_REUSE_RATE
			) {
				// Mostly one of the first few content words (the paper's subject, named early),
				// otherwise any earlier one.
				const k = Math.floor(
					rng() * (rng() < KEY_TERM_SHARE ? Math.min(3, topicWords.length) : topicWords.length)
				);
				out.push(topicWords[k], F_WORD);
				topicWords.push(topicWords[k]);
				topicIds.push(topicIds[k]);
				state = topicIds[k];
				continue;
			}
			const id = model.sample(state, rng());
			if (id <= EOS) {
				if (out.words >= target * 0.85) break;
				// The text ended early: finish the sentence and start another.
				if (out.length > 0 && !(out.lastFlags & F_SENT_END)) {
					out.closeBrackets();
					out.push('.', F_SENT_END | F_NO_SPACE_BEFORE);
				}
				state = BOS;
				continue;
			}
			const flags = model.flags[id];
			state = id;
			if (flags & F_CLOSE && out.depth === 0) continue;
			if (flags & F_SENT_END) {
				if (out.length === 0 || out.lastFlags & F_SENT_END) continue;
				out.closeBrackets();
				out.push(model.vocab[id], flags);
				if (out.words >= target) break;
				continue;
			}
			const token = this.maybeRare(model, id, rng);
			out.push(token, flags);
			if (flags & F_TOPIC && !(out.length === 1 || out.lastFlagsAt(2) & F_SENT_END)) {
				topicWords.push(token);
				topicIds.push(id);
			}
			if (out.words >= cap) break;
		}
		if (!(out.lastFlags & F_SENT_END)) {
			while (out.length > 0 && !(out.lastFlags & (F_WORD | F_CLOSE))) out.pop();
			out.closeBrackets();
			out.push('.', F_SENT_END | F_NO_SPACE_BEFORE);
		}
		let body = out.join();
		// A few abstracts have two paragraphs: a line break and a two-space indent.
		let paragraphs = [body];
		if (rng() < this.model.presence2007.paragraphBreak) {
			const cut = body.indexOf('. ', Math.floor(body.length * (0.3 + rng() * 0.4)));
			if (cut > 0) paragraphs = [body.slice(0, cut + 1), body.slice(cut + 2)];
		}
		body = paragraphs.map((p) => wrap(`  ${p}`, 79, 79, '')).join('\n');
		return `${body}\n`;
	}

	private maybeRare(model: TextModel, id: number, rng: Rng): string {
		if (model.flags[id] & F_RARE_OK && rng() < RARE_WORD_RATE) {
			return this.engines.rareWords.word(RareWords.rank(rng()));
		}
		return model.vocab[id];
	}

	/** The name of the author of a given rank in the fixed author universe. */
	private person(rank: number): NameParts {
		const rng = mulberry32(hash32(0x5eed_0a07, this.seed, rank));
		const c = this.nameClasses.sampler.sample(rng());
		const firsts = this.nameClasses.first[c];
		const lasts = this.nameClasses.last[c];
		const names = this.model.names;
		return {
			first: firsts.names[firsts.sampler.sample(rng())],
			last: lasts.names[lasts.sampler.sample(rng())],
			middle:
				rng() < names.middleInitialRate
					? `${String.fromCharCode(65 + Math.floor(rng() * 26))}.`
					: '',
			suffix: rng() < names.suffixRate ? pick(['Jr', 'II', 'III'], rng) : ''
		};
	}

	private authors(
		n: number,
		w: number,
		rng: Rng
	): { text: string; parsed: string[][]; submitter: string } {
		const presence = this.model.presence2007;
		const initials =
			rng() <
			presence.initialsStyle + w * (this.model.initialsStyleModern - presence.initialsStyle);
		const compact = initials && rng() < presence.compactInitials;
		const braced = rng() < 0.2;
		const withAffiliations =
			rng() < presence.affiliations + w * (MODERN_PRESENCE.affiliations - presence.affiliations);
		const orgs = withAffiliations
			? Array.from({ length: 1 + Math.floor(rng() * 3) }, () =>
					pick(this.model.pools.affiliations, rng)
				)
			: [];

		const ranks = new Set<number>();
		const people: NameParts[] = [];
		const shown: string[] = [];
		const parsed: string[][] = [];
		// Power law over a fixed universe: rank = U · u^(1/(1-a)).
		const exponent = 1 / (1 - AUTHOR_ZIPF);
		while (people.length < n) {
			const rank = Math.ceil(AUTHOR_UNIVERSE * rng() ** exponent);
			if (ranks.has(rank) && ranks.size < AUTHOR_UNIVERSE) continue;
			ranks.add(rank);
			const p = this.person(rank);
			people.push(p);
			let firstShown: string;
			let firstParsed: string;
			if (initials) {
				const letters = [p.first, p.middle].filter(Boolean).map(initialsOf);
				firstParsed = letters.join(' ').replace(/\.-/g, '. -');
				firstShown = compact ? letters.join('') : letters.join(' ');
			} else {
				firstParsed = p.middle ? `${p.first} ${p.middle}` : p.first;
				firstShown = firstParsed;
			}
			let display = texAccents(`${firstShown} ${p.last}${p.suffix ? ` ${p.suffix}` : ''}`, braced);
			const entry = [p.last, firstParsed, p.suffix];
			if (orgs.length > 0) {
				const org = orgs[people.length % orgs.length];
				display += ` (${org})`;
				entry.push(org);
			}
			shown.push(display);
			parsed.push(entry);
		}
		let text: string;
		if (shown.length > 1 && rng() < presence.andBeforeLast) {
			text = `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
		} else {
			text = shown.join(', ');
		}
		const submitterPerson =
			rng() < presence.submitterIsAuthor
				? pick(people, rng)
				: this.person(Math.ceil(AUTHOR_UNIVERSE * rng()));
		return {
			text: wrap(text, WRAP.authors, 79, '  '),
			parsed,
			submitter: texAccents(`${submitterPerson.first} ${submitterPerson.last}`, braced)
		};
	}

	private modernComment(year: number, rng: Rng): string {
		const pages = pick(this.pages, rng);
		const figures = pick(this.figures, rng);
		let text = `${pages} pages, ${figures} figure${figures === 1 ? '' : 's'}`;
		if (rng() < 0.3) text += `, ${1 + Math.floor(rng() * 8)} tables`;
		const u = rng();
		if (u < 0.25) {
			const venueYear = Math.min(this.endYear, year + (rng() < 0.6 ? 0 : 1));
			text += `; ${pick(['Accepted to', 'Accepted at', 'To appear in', 'Published at'], rng)} ${pick(VENUES, rng)} ${venueYear}`;
		} else if (u < 0.3) {
			text += `; ${pick(['Preprint', 'Work in progress', 'Under review', 'Technical report'], rng)}`;
		}
		if (rng() < MODERN_PRESENCE.commentUrl) {
			const useCode = rng() < 0.6 || this.model.pools.projectUrls.length === 0;
			text += useCode
				? `. Code: ${pick(this.model.pools.codeUrls, rng)}`
				: `. Project page: ${pick(this.model.pools.projectUrls, rng)}`;
		}
		return text;
	}

	private proceedings(year: number, rng: Rng): string {
		const venueYear = Math.min(this.endYear, year + Math.floor(rng() * 2));
		const first = 1 + Math.floor(rng() * 9000);
		const pages = `${first}-${first + 5 + Math.floor(rng() * 15)}`;
		return rng() < 0.6
			? `Proceedings of ${pick(VENUES, rng)} ${venueYear}, pp. ${pages}`
			: `${pick(VENUES, rng)} ${venueYear}`;
	}

	private license(t: number, year: number, rng: Rng): string | null {
		const modernShare =
			t <= 2007.25 ? 0 : Math.min(1, (t - 2007.25) / (LICENSE_SWITCH_DONE - 2007.25));
		let value: string;
		if (rng() < modernShare) {
			value = this.licensesModern.values[this.licensesModern.sampler.sample(rng())];
			// CC 4.0 appeared in late 2013; arXiv offered 3.0 before.
			if (year < 2016) value = value.replace('/4.0/', '/3.0/');
		} else {
			value = this.licensesOld.values[this.licensesOld.sampler.sample(rng())];
		}
		return value === '' ? null : value;
	}
}

/** DOI shapes of cs proceedings and journals ('#' = a random digit). */
const CS_DOIS = [
	'10.1145/3######.3######',
	'10.1109/CVPR#####.####.#####',
	'10.1109/TPAMI.20##.#######',
	'10.1007/978-3-031-#####-#_##',
	'10.18653/v1/2###.acl-long.###'
];

/** "Chien-Peng" → "C.-P.", "Eva" → "E.", "J." → "J.". */
function initialsOf(first: string): string {
	return first
		.split('-')
		.map((part) => `${part.charAt(0)}.`)
		.join('-');
}

/**
 * Re-draws the numbers of a real field value so copies do not repeat: years move to the
 * paper's year (or a little after), long digit runs are re-rolled, small counts are scaled.
 */
function renumber(text: string, year: number, endYear: number, rng: Rng): string {
	const one = (digits: string) => {
		const n = Number(digits);
		if (digits.length === 4 && n >= 1900 && n <= 2030) {
			return String(Math.min(endYear, year + Math.floor(rng() * 3)));
		}
		if (digits.length >= 4 || digits.startsWith('0')) return randomDigits(digits.length, rng);
		return String(Math.max(1, Math.round(n * (0.5 + rng()))));
	};
	// A page range keeps its length ("681-689", "351--358"), so it never runs backwards.
	return text.replace(/(\d+)(?:(-{1,2})(\d+))?/g, (match, a: string, dash?: string, b?: string) => {
		if (dash === undefined || b === undefined || Number(b) <= Number(a) || a.length > 6) {
			return dash === undefined ? one(a) : `${one(a)}${dash}${one(b ?? '')}`;
		}
		const start = Number(randomDigits(a.length, rng).replace(/^0/, '1'));
		return `${start}${dash}${start + Number(b) - Number(a)}`;
	});
}

/** Re-rolls every digit (a DOI keeps its "10.NNNN/" registrant prefix). */
function redigit(text: string, rng: Rng, keepDoiPrefix: boolean): string {
	const slash = keepDoiPrefix ? text.indexOf('/') + 1 : 0;
	return (
		text.slice(0, slash) + text.slice(slash).replace(/\d/g, () => String(Math.floor(rng() * 10)))
	);
}

function randomDigits(length: number, rng: Rng): string {
	let out = '';
	for (let i = 0; i < length; i += 1) out += String(Math.floor(rng() * 10));
	return out;
}
