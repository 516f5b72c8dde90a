/**
 * A markdown-it plugin that turns the four math delimiters of comments into
 * `math_inline` / `math_block` tokens: `$…$`, `$$…$$`, `\(…\)` and `\[…\]`.
 * It only tokenizes; the caller renders the tokens (renderer rules
 * `math_inline` and `math_block`, `token.content` is the TeX, `token.info` is
 * `'display'` for display math). Code spans and code blocks are tokenized by
 * markdown-it before or instead of inline rules, so math is never found in code.
 */
import type { MarkdownIt, StateBlock, StateInline } from 'markdown-it';

const DOLLAR = 0x24;
const BACKSLASH = 0x5c;

const isSpace = (code: number): boolean => code === 0x20 || code === 0x09 || code === 0x0a;
const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;

/**
 * Where the closing `$` of an inline `$…$` span opened at `start` is, or -1.
 * Pandoc's rule, so prices stay text: the content neither starts nor ends with
 * a space, and the closing `$` is not followed by a digit ("$5 and $6").
 */
function closingDollar(src: string, start: number, max: number): number {
	if (start + 1 >= max || isSpace(src.charCodeAt(start + 1))) return -1;
	for (let at = start + 1; at < max; at += 1) {
		const code = src.charCodeAt(at);
		if (code === BACKSLASH) {
			at += 1; // `\$` inside math is TeX's own dollar sign
		} else if (code === DOLLAR) {
			if (isSpace(src.charCodeAt(at - 1))) return -1;
			if (at + 1 < max && isDigit(src.charCodeAt(at + 1))) return -1;
			return at;
		}
	}
	return -1;
}

function pushMath(state: StateInline, content: string, display: boolean): void {
	const token = state.push('math_inline', 'math', 0);
	token.content = content;
	token.info = display ? 'display' : '';
	token.markup = display ? '$$' : '$';
}

function inlineMath(state: StateInline, silent: boolean): boolean {
	const { src, pos, posMax } = state;
	const first = src.charCodeAt(pos);
	let close: string;
	let open: number;
	let display: boolean;
	if (first === DOLLAR) {
		if (src.charCodeAt(pos + 1) === DOLLAR) {
			[open, close, display] = [2, '$$', true];
		} else {
			const end = closingDollar(src, pos, posMax);
			if (end < 0) return false;
			if (!silent) pushMath(state, src.slice(pos + 1, end), false);
			state.pos = end + 1;
			return true;
		}
	} else if (first === BACKSLASH) {
		const second = src[pos + 1];
		if (second === '(') [open, close, display] = [2, '\\)', false];
		else if (second === '[') [open, close, display] = [2, '\\]', true];
		else return false;
	} else {
		return false;
	}
	const end = src.indexOf(close, pos + open);
	if (end < 0 || end + close.length > posMax) return false;
	const content = src.slice(pos + open, end);
	if (content.trim() === '') return false;
	if (!silent) pushMath(state, content, display);
	state.pos = end + close.length;
	return true;
}

const BLOCK_DELIMITERS: [open: string, close: string][] = [
	['$$', '$$'],
	['\\[', '\\]']
];

/** Display math that starts a line with `$$` or `\[` and ends a later (or the same) line with `$$` or `\]`. */
function blockMath(
	state: StateBlock,
	startLine: number,
	endLine: number,
	silent: boolean
): boolean {
	// Four spaces of indentation make a code block, never math.
	if (state.sCount[startLine] - state.blkIndent >= 4) return false;
	const lineText = (line: number) =>
		state.src.slice(state.bMarks[line] + state.tShift[line], state.eMarks[line]);
	const firstLine = lineText(startLine);
	const delimiters = BLOCK_DELIMITERS.find(([open]) => firstLine.startsWith(open));
	if (!delimiters) return false;
	const [open, close] = delimiters;
	const rest = firstLine.slice(open.length);
	let content: string;
	let lastLine = startLine;
	if (rest.trimEnd().endsWith(close) && rest.trimEnd().length >= close.length) {
		content = rest.trimEnd().slice(0, -close.length);
	} else {
		const lines = [rest];
		for (;;) {
			lastLine += 1;
			if (lastLine >= endLine) return false;
			// A line that leaves the block's indentation (a list item ending) ends the search.
			if (state.sCount[lastLine] < state.blkIndent && !state.isEmpty(lastLine)) return false;
			const text = lineText(lastLine).trimEnd();
			if (text.endsWith(close)) {
				lines.push(text.slice(0, -close.length));
				break;
			}
			lines.push(text);
		}
		content = lines.join('\n');
	}
	if (content.trim() === '') return false;
	if (silent) return true;
	const token = state.push('math_block', 'math', 0);
	token.block = true;
	token.content = content;
	token.info = 'display';
	token.markup = open;
	token.map = [startLine, lastLine + 1];
	state.line = lastLine + 1;
	return true;
}

/** Adds the math rules to `md` (before `escape`, which would otherwise take `\(` and `\[`). */
export function mathPlugin(md: MarkdownIt): void {
	md.inline.ruler.before('escape', 'math_inline', inlineMath);
	md.block.ruler.before('fence', 'math_block', blockMath, {
		alt: ['paragraph', 'reference', 'blockquote', 'list']
	});
}
