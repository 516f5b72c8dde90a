/**
 * A strict parser for the subset of Python literal syntax that `repr()` prints for JSON-like data.
 *
 * Some Hugging Face daily-papers archives stored each entry as `str(dict)` instead of JSON, so the
 * importer has to read Python literals. This deliberately accepts less than `ast.literal_eval`:
 * anything that has no exact JSON equivalent (sets, bytes, non-string keys, inf/nan, integers a
 * double cannot hold exactly, calls such as `datetime(...)`) is rejected rather than coerced, so
 * bad input surfaces as an error instead of silently altered data.
 */

/** Thrown for any input that is not a supported Python literal; `offset` is a UTF-16 index. */
export class PythonLiteralError extends Error {
	/** Index into the parsed text (UTF-16 code units) where the problem was found. */
	readonly offset: number;

	constructor(problem: string, offset: number) {
		super(`${problem} at offset ${offset}`);
		this.name = 'PythonLiteralError';
		this.offset = offset;
	}
}

// Recursion is the simplest correct structure here; the cap keeps hostile input from overflowing
// the JS stack (which would surface as a RangeError, not a PythonLiteralError).
const MAX_DEPTH = 200;

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
	'\\': '\\',
	"'": "'",
	'"': '"',
	a: '\x07',
	b: '\b',
	f: '\f',
	n: '\n',
	r: '\r',
	t: '\t',
	v: '\v'
};

const HEX_ESCAPE_LENGTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

const INT_RE = /^-?(?:0+|[1-9][0-9]*)$/;
const NUMBER_RE = /-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/y;
// Dotted so that `datetime.datetime(...)` is reported as one call, not as a stray name.
const NAME_RE = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
const HEX_RE = /^[0-9A-Fa-f]+$/;

function isWhitespace(c: string): boolean {
	return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
}

function describe(c: string | undefined): string {
	return c === undefined ? 'end of input' : JSON.stringify(c);
}

class Parser {
	private pos = 0;

	constructor(private readonly text: string) {}

	parseDocument(): unknown {
		const value = this.parseValue(0);
		this.skipWhitespace();
		if (this.pos < this.text.length) {
			this.fail(`unexpected ${describe(this.text[this.pos])} after the value`);
		}
		return value;
	}

	private fail(problem: string, offset = this.pos): never {
		throw new PythonLiteralError(problem, offset);
	}

	private skipWhitespace(): void {
		while (this.pos < this.text.length && isWhitespace(this.text[this.pos])) this.pos++;
	}

	private parseValue(depth: number): unknown {
		this.skipWhitespace();
		const c = this.text[this.pos];
		switch (c) {
			case '{':
				return this.parseDict(depth + 1);
			case '[':
				return this.parseSequence(depth + 1, ']');
			case '(':
				return this.parseSequence(depth + 1, ')');
			case "'":
			case '"':
				return this.parseString();
			case undefined:
				return this.fail('expected a value, found end of input');
		}
		if (c === '-' || c === '.' || (c >= '0' && c <= '9')) return this.parseNumber();
		if (/[A-Za-z_]/.test(c)) return this.parseName();
		return this.fail(`expected a value, found ${describe(c)}`);
	}

	private enter(depth: number): void {
		if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
		this.pos++;
	}

	private parseDict(depth: number): Record<string, unknown> {
		this.enter(depth);
		const result: Record<string, unknown> = {};
		for (;;) {
			this.skipWhitespace();
			if (this.text[this.pos] === '}') {
				this.pos++;
				return result;
			}
			const keyOffset = this.pos;
			const key = this.parseValue(depth);
			if (typeof key !== 'string') this.fail('dict keys must be strings', keyOffset);
			this.skipWhitespace();
			if (this.text[this.pos] !== ':') {
				this.fail(`expected ':' but found ${describe(this.text[this.pos])}`);
			}
			this.pos++;
			// defineProperty makes a key like "__proto__" an ordinary own property instead of
			// replacing the object's prototype; redefinition keeps the last duplicate, as Python does.
			Object.defineProperty(result, key, {
				value: this.parseValue(depth),
				enumerable: true,
				writable: true,
				configurable: true
			});
			if (!this.afterItem('}')) {
				this.pos++;
				return result;
			}
		}
	}

	/** Lists and tuples; a parenthesised single value without a comma is just that value. */
	private parseSequence(depth: number, close: ']' | ')'): unknown {
		this.enter(depth);
		const items: unknown[] = [];
		let sawComma = false;
		for (;;) {
			this.skipWhitespace();
			if (this.text[this.pos] === close) {
				this.pos++;
				return close === ')' && items.length === 1 && !sawComma ? items[0] : items;
			}
			items.push(this.parseValue(depth));
			if (!this.afterItem(close)) {
				this.pos++;
				return close === ')' && items.length === 1 && !sawComma ? items[0] : items;
			}
			sawComma = true;
		}
	}

	/**
	 * After an item: consumes a comma and returns true, or returns false with `pos` on the closing
	 * bracket. Rejecting anything else here is what turns `{1, 2}` (a set) or `[1 2]` into errors.
	 */
	private afterItem(close: string): boolean {
		this.skipWhitespace();
		const c = this.text[this.pos];
		if (c === ',') {
			this.pos++;
			return true;
		}
		if (c === close) return false;
		return this.fail(`expected ',' or '${close}' but found ${describe(c)}`);
	}

	private parseNumber(): number {
		const start = this.pos;
		NUMBER_RE.lastIndex = start;
		const match = NUMBER_RE.exec(this.text);
		if (match === null) return this.fail('expected digits in number');
		const literal = match[0];
		this.pos = start + literal.length;
		// A number running straight into a letter or digit is something like 1_000, 0x1F or 1j,
		// none of which repr() produces for JSON-like data.
		const next = this.text[this.pos];
		if (next !== undefined && /[A-Za-z0-9_.]/.test(next)) {
			this.fail(`unsupported number syntax ${JSON.stringify(literal + next)}`, start);
		}
		const value = Number(literal);
		if (/[.eE]/.test(literal)) {
			if (!Number.isFinite(value)) this.fail(`float ${literal} is out of range`, start);
			return value;
		}
		if (!INT_RE.test(literal)) {
			this.fail(`integer ${literal} has leading zeros, which Python rejects`, start);
		}
		// Python ints are unbounded; rounding one to a double would silently change the data.
		if (!Number.isSafeInteger(value)) {
			this.fail(`integer ${literal} cannot be represented exactly`, start);
		}
		// Python has no negative integer zero: `-0` is the int 0, unlike the float `-0.0`.
		return value === 0 ? 0 : value;
	}

	private parseName(): boolean | null {
		const start = this.pos;
		NAME_RE.lastIndex = start;
		const name = (NAME_RE.exec(this.text) as RegExpExecArray)[0];
		this.pos = start + name.length;
		if (name === 'True') return true;
		if (name === 'False') return false;
		if (name === 'None') return null;
		const next = this.text[this.pos];
		if (next === "'" || next === '"') {
			this.fail(`string prefix ${JSON.stringify(name)} is not supported`, start);
		}
		this.skipWhitespace();
		if (this.text[this.pos] === '(') {
			this.fail(`call to ${JSON.stringify(name)} is not a literal`, start);
		}
		return this.fail(`unknown name ${JSON.stringify(name)}`, start);
	}

	private parseString(): string {
		const start = this.pos;
		const quote = this.text[this.pos++];
		if (this.text.startsWith(quote + quote, this.pos)) {
			// Distinguish '' (empty) from ''' (triple-quoted, unsupported).
			if (this.text[this.pos + 1] === quote) {
				this.fail('triple-quoted strings are not supported');
			}
		}
		let out = '';
		let runStart = this.pos;
		for (;;) {
			const c = this.text[this.pos];
			if (c === undefined || c === '\n' || c === '\r') {
				this.fail('unterminated string', start);
			}
			if (c === quote) {
				out += this.text.slice(runStart, this.pos);
				this.pos++;
				return out;
			}
			if (c !== '\\') {
				this.pos++;
				continue;
			}
			out += this.text.slice(runStart, this.pos);
			out += this.parseEscape();
			runStart = this.pos;
		}
	}

	/** Reads one escape sequence starting at the backslash and returns the text it stands for. */
	private parseEscape(): string {
		const start = this.pos;
		const c = this.text[this.pos + 1];
		if (c === undefined) return this.fail('unterminated string');
		this.pos += 2;
		if (Object.hasOwn(SIMPLE_ESCAPES, c)) return SIMPLE_ESCAPES[c];
		// Backslash-newline is a line continuation inside a string literal.
		if (c === '\n') return '';
		if (c === '\r') {
			if (this.text[this.pos] === '\n') this.pos++;
			return '';
		}
		if (c >= '0' && c <= '7') {
			let end = this.pos;
			while (end < start + 4 && this.text[end] >= '0' && this.text[end] <= '7') end++;
			const code = parseInt(this.text.slice(start + 1, end), 8);
			this.pos = end;
			return String.fromCharCode(code);
		}
		if (Object.hasOwn(HEX_ESCAPE_LENGTH, c)) {
			const digits = this.text.slice(this.pos, this.pos + HEX_ESCAPE_LENGTH[c]);
			if (digits.length !== HEX_ESCAPE_LENGTH[c] || !HEX_RE.test(digits)) {
				this.fail(`\\${c} escape needs ${HEX_ESCAPE_LENGTH[c]} hex digits`, start);
			}
			const code = parseInt(digits, 16);
			if (code > 0x10ffff) this.fail(`\\${c}${digits} is beyond U+10FFFF`, start);
			this.pos += digits.length;
			return String.fromCodePoint(code);
		}
		if (c === 'N') {
			return this.fail('\\N{...} named escapes are not supported', start);
		}
		// Python keeps unknown escapes verbatim (with a warning); repr() never emits them, so one
		// here means the text was not produced by repr() and deserves a look.
		return this.fail(`invalid escape ${JSON.stringify('\\' + c)}`, start);
	}
}

/**
 * Parses one Python literal (dict, list, tuple, str, int, float, True, False, None) into the
 * equivalent JSON value: dicts become plain objects, lists and tuples arrays, None null.
 *
 * @throws PythonLiteralError for anything else, including trailing text after the value.
 */
export function parsePythonLiteral(text: string): unknown {
	return new Parser(text).parseDocument();
}
