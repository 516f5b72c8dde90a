/**
 * LaTeX text-mode markup as arXiv writes it in names and titles (`Bal\'azs`,
 * `{\"o}`, `\v{S}`, `{\O}bro`, `--`, `~`) turned into plain Unicode for display.
 * Math (`$...$`, `$$...$$`) is left exactly as written: the page renders it with KaTeX.
 * Pure functions: no I/O.
 */
import { collapseWhitespace } from './paper';

// Accents that take one letter: the base letter plus a combining mark, composed by NFC.
const ACCENT_MARKS: Record<string, string> = {
	'"': '\u0308',
	"'": '\u0301',
	'`': '\u0300',
	'^': '\u0302',
	'~': '\u0303',
	'=': '\u0304',
	'.': '\u0307',
	u: '\u0306',
	v: '\u030c',
	H: '\u030b',
	c: '\u0327',
	k: '\u0328',
	r: '\u030a',
	d: '\u0323',
	b: '\u0331'
};

const SPECIAL_LETTERS: Record<string, string> = {
	ss: 'ß',
	SS: 'SS',
	aa: 'å',
	AA: 'Å',
	o: 'ø',
	O: 'Ø',
	l: 'ł',
	L: 'Ł',
	ae: 'æ',
	AE: 'Æ',
	oe: 'œ',
	OE: 'Œ',
	i: 'ı',
	j: 'ȷ',
	dh: 'ð',
	DH: 'Ð',
	th: 'þ',
	TH: 'Þ',
	ng: 'ŋ',
	NG: 'Ŋ'
};

const ESCAPED_SYMBOLS: Record<string, string> = { '&': '&', '%': '%', '#': '#', _: '_' };

// `\\` is a line break, not the start of a command: each command pattern first consumes
// such pairs (left to right, so `\\"o` stays as written), then the command itself.
const LINE_BREAK = '\\\\';
function command(body: string): RegExp {
	return new RegExp(String.raw`\\\\|\\(?:${body})`, 'g');
}

// The accented letter: `o`, `{o}`, `{\i}`, `\i` (dotless i/j take the accent as plain i/j;
// TeX eats the spaces after `\i`, as in `Garc\'\i a`).
const BRACED_LETTER = String.raw`\{\s*(?:\\([ij])(?![A-Za-z])\s*|([A-Za-z]))\s*\}`;
const DOTLESS = String.raw`\\([ij])(?![A-Za-z])(?:\s*\{\}|[^\S\n]*)`;

// Symbol accents (`\"o`, `\' e`) may touch their letter; letter accents (`\v{s}`, `\c c`)
// need a brace or a space, or `\vs` would be a different command.
const SYMBOL_ACCENT = command(
	String.raw`(["'\`^~=.])\s*(?:${BRACED_LETTER}|${DOTLESS}|([A-Za-z]))`
);
const LETTER_ACCENT = command(
	String.raw`([uvHckrdb])(?:\s*${BRACED_LETTER}|\s+(?:${DOTLESS}|([A-Za-z])))`
);
// `\ss`, `{\o}`, `\aa{}`: TeX eats the spaces after a control word (`\AA ngstr\"om`).
const SPECIAL_LETTER = command(
	String.raw`(${Object.keys(SPECIAL_LETTERS)
		.sort((a, b) => b.length - a.length)
		.join('|')})(?![A-Za-z])(?:\s*\{\})?[^\S\n]*`
);
const ESCAPED_SYMBOL = command('([&%#_])');
const TEXT_STYLE = command(
	String.raw`(?:emph|textit|textbf|textrm|textsf|texttt|textsc|textup|textsl|textnormal|mbox)\s*\{([^{}\\$]*)\}`
);
// Braces that only protect case (`{T}`, `{BABAR}`), not the argument of a command or script.
const PROTECTIVE_BRACES = /(?<![\\^_]|\\[A-Za-z]+\s*)\{([^{}\\$]*)\}/g;
const EM_DASH = /(?<![-<!])---(?![->])/g;
const EN_DASH = /(?<![-<!])--(?![->])/g;
const TILDE = /(?<!\\)~/g;
const QUOTED = /``([^`']*)''/g;

// Math spans stay verbatim: `$$...$$` or `$...$`, dollars not escaped.
const MATH = /(?<!\\)\$\$[\s\S]*?(?<!\\)\$\$|(?<!\\)\$[\s\S]*?(?<!\\)\$/g;

// Nothing LaTeX-like in the text: skip the work (most names and many titles).
const LATEX_LIKE = /[\\{}~]|--|``/;
const NON_ASCII = /[^ -~\s]/;

/**
 * `~` is LaTeX's non-breaking space (`Fig.~3`, `A.~Smith`, `Section~2`) but, written
 * between spaces, after a one-letter symbol or in a URL, it means "about" or is literal:
 * `B ~ 30 T`, `z~2.56`, `V_{DM}~4500`, `http://host/~user`.
 */
function tieOrTilde(text: string, at: number): string {
	const before = text[at - 1] ?? ' ';
	const after = text[at + 1] ?? ' ';
	if (/\s/.test(before) || /\s/.test(after) || before === '/') return '~';
	if (!/[-+\d]/.test(after) || before === '.') return ' ';
	return /\p{L}{2}$/u.test(text.slice(Math.max(0, at - 2), at)) ? ' ' : '~';
}

function convertTextSegment(segment: string): string {
	let text = segment;
	if (text.includes('\\')) text = convertCommands(text);
	if (text.includes('{')) text = text.replace(PROTECTIVE_BRACES, '$1');
	if (text.includes('--')) text = text.replace(EM_DASH, '—').replace(EN_DASH, '–');
	if (text.includes('``')) text = text.replace(QUOTED, '\u201c$1\u201d');
	if (text.includes('~'))
		text = text.replace(TILDE, (_m, at: number, all: string) => tieOrTilde(all, at));
	return text;
}

type Letters = (string | undefined)[];

function convertCommands(text: string): string {
	const accented = (match: string, mark: string, ...letters: Letters) =>
		match === LINE_BREAK ? match : `${letters.slice(0, 4).find(Boolean)}${ACCENT_MARKS[mark]}`;
	return text
		.replace(TEXT_STYLE, (match, content: string) => (match === LINE_BREAK ? match : content))
		.replace(SYMBOL_ACCENT, accented)
		.replace(LETTER_ACCENT, accented)
		.replace(SPECIAL_LETTER, (match, name: string) =>
			match === LINE_BREAK ? match : SPECIAL_LETTERS[name]
		)
		.replace(ESCAPED_SYMBOL, (match, symbol: string) =>
			match === LINE_BREAK ? match : ESCAPED_SYMBOLS[symbol]
		);
}

function convertOnce(text: string): string {
	let out = '';
	let last = 0;
	for (const math of text.matchAll(MATH)) {
		out += convertTextSegment(text.slice(last, math.index)) + math[0];
		last = math.index + math[0].length;
	}
	out += convertTextSegment(text.slice(last));
	return out.normalize('NFC');
}

// Each pass only shortens the text or replaces `~`, so a handful of passes reach the
// fixed point; the cap only guards against a rule interaction nobody has seen yet.
const MAX_PASSES = 8;

/**
 * Replaces LaTeX accents and specials outside math with Unicode (NFC) and drops
 * braces that only protected case. Idempotent; never throws.
 *
 * @example latexToUnicode(String.raw`Bro\v{n}a Brejov\'a, {\O}bro`) // 'Broňa Brejová, Øbro'
 */
export function latexToUnicode(text: string): string {
	if (!LATEX_LIKE.test(text)) return NON_ASCII.test(text) ? text.normalize('NFC') : text;
	let current = text;
	for (let pass = 0; pass < MAX_PASSES; pass++) {
		const next = convertOnce(current);
		if (next === current || !LATEX_LIKE.test(next)) return next;
		current = next;
	}
	return current;
}

/**
 * A title, abstract or name as it should be shown: LaTeX text markup as Unicode and
 * arXiv's 80-column wrapping undone. Keep the raw text too; this is for display.
 */
export function displayText(raw: string): string {
	return collapseWhitespace(latexToUnicode(raw));
}
