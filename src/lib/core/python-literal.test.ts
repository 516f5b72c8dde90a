import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePythonLiteral, PythonLiteralError } from './python-literal';

/** Returns the error parsePythonLiteral throws for `text`, failing the test if it does not. */
function errorFor(text: string): PythonLiteralError {
	try {
		parsePythonLiteral(text);
	} catch (error) {
		if (error instanceof PythonLiteralError) return error;
		throw error;
	}
	throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

/** What CPython's str.isprintable() rejects (categories C* and Z* other than the ASCII space). */
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function hex(code: number, width: number): string {
	return code.toString(16).padStart(width, '0');
}

/** Mirrors CPython's str.__repr__, so the tests exercise the exact text the archives contain. */
function pythonStrRepr(s: string): string {
	const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
	let out = quote;
	for (const ch of s) {
		const code = ch.codePointAt(0) as number;
		if (ch === quote || ch === '\\') out += '\\' + ch;
		else if (ch === '\n') out += '\\n';
		else if (ch === '\r') out += '\\r';
		else if (ch === '\t') out += '\\t';
		else if (ch !== ' ' && NON_PRINTABLE.test(ch)) {
			if (code <= 0xff) out += '\\x' + hex(code, 2);
			else if (code <= 0xffff) out += '\\u' + hex(code, 4);
			else out += '\\U' + hex(code, 8);
		} else out += ch;
	}
	return out + quote;
}

/** Python repr of a JSON value; odd-length arrays print as tuples so both forms get covered. */
function toPythonRepr(value: unknown): string {
	if (value === null) return 'None';
	if (value === true) return 'True';
	if (value === false) return 'False';
	if (typeof value === 'number') {
		if (Object.is(value, -0)) return '-0.0';
		// A double outside the safe-integer range is a float to Python; as a digit string it would
		// be an int the parser rightly refuses to round.
		if (Number.isInteger(value) && !Number.isSafeInteger(value)) return value.toExponential();
		return String(value);
	}
	if (typeof value === 'string') return pythonStrRepr(value);
	if (Array.isArray(value)) {
		const items = value.map(toPythonRepr);
		if (items.length % 2 === 0) return `[${items.join(', ')}]`;
		return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
	}
	if (typeof value === 'object') {
		const entries = Object.entries(value).map(
			([k, v]) => `${pythonStrRepr(k)}: ${toPythonRepr(v)}`
		);
		return `{${entries.join(', ')}}`;
	}
	throw new Error(`not a JSON value: ${String(value)}`);
}

describe('parsePythonLiteral: scalars', () => {
	it('reads True, False and None', () => {
		expect(parsePythonLiteral('True')).toBe(true);
		expect(parsePythonLiteral('False')).toBe(false);
		expect(parsePythonLiteral('None')).toBeNull();
	});

	it('reads ints and floats, including negative zero', () => {
		expect(parsePythonLiteral('0')).toBe(0);
		expect(parsePythonLiteral('42')).toBe(42);
		expect(parsePythonLiteral('-17')).toBe(-17);
		expect(parsePythonLiteral('1.5')).toBe(1.5);
		expect(parsePythonLiteral('1e-3')).toBe(0.001);
		expect(parsePythonLiteral('1E5')).toBe(100000);
		expect(parsePythonLiteral('1.5e+16')).toBe(1.5e16);
		expect(parsePythonLiteral('.5')).toBe(0.5);
		expect(parsePythonLiteral('2.')).toBe(2);
		expect(parsePythonLiteral(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
		expect(Object.is(parsePythonLiteral('-0.0'), -0)).toBe(true);
		// Python ints have no sign of zero.
		expect(Object.is(parsePythonLiteral('-0'), 0)).toBe(true);
	});

	it('rejects numbers with no exact JSON value or outside repr() output', () => {
		for (const bad of [
			'inf',
			'-inf',
			'nan',
			'1e999',
			'9007199254740993',
			'007',
			'1_000',
			'0x1F',
			'1j',
			'1e',
			'1..2',
			'+1',
			'- 1',
			'-',
			'.'
		]) {
			expect(errorFor(bad).offset, bad).toBe(0);
		}
		expect(errorFor('inf').message).toBe('unknown name "inf" at offset 0');
		expect(errorFor('9007199254740993').message).toMatch(/cannot be represented exactly/);
	});

	it('reads single- and double-quoted strings with every Python escape', () => {
		expect(parsePythonLiteral("'hello'")).toBe('hello');
		expect(parsePythonLiteral('"O\'Brien"')).toBe("O'Brien");
		expect(parsePythonLiteral("''")).toBe('');
		expect(parsePythonLiteral(String.raw`'a\nb\tc\rd\\e\'f\"g'`)).toBe('a\nb\tc\rd\\e\'f"g');
		expect(parsePythonLiteral(String.raw`'\a\b\f\v'`)).toBe('\x07\b\f\v');
		expect(parsePythonLiteral(String.raw`'\x00\x7f\xe9'`)).toBe('\x00\x7f\xe9');
		expect(parsePythonLiteral(String.raw`'\u00e9\u2028'`)).toBe('\u00e9\u2028');
		expect(parsePythonLiteral(String.raw`'\U0001F600'`)).toBe('😀');
		expect(parsePythonLiteral(String.raw`'\0\101\1010'`)).toBe('\0AA0');
		expect(parsePythonLiteral("'line \\\ncontinued'")).toBe('line continued');
	});

	it('keeps raw non-ASCII characters as they are', () => {
		expect(parsePythonLiteral("'Zoë 张伟 😀 \u00a0'")).toBe('Zoë 张伟 😀 \u00a0');
	});

	it('rejects malformed strings and escapes it does not support', () => {
		expect(errorFor("'abc").message).toBe('unterminated string at offset 0');
		expect(errorFor("'a\nb'").offset).toBe(0);
		expect(errorFor("'a\\").message).toMatch(/unterminated string/);
		expect(errorFor(String.raw`'a\N{BULLET}'`).message).toBe(
			'\\N{...} named escapes are not supported at offset 2'
		);
		expect(errorFor(String.raw`'\d'`).message).toBe('invalid escape "\\\\d" at offset 1');
		expect(errorFor(String.raw`'\x4'`).message).toMatch(/needs 2 hex digits/);
		expect(errorFor(String.raw`'\u12G4'`).message).toMatch(/needs 4 hex digits/);
		expect(errorFor(String.raw`'\U00110000'`).message).toMatch(/beyond U\+10FFFF/);
		expect(errorFor("'''doc'''").message).toMatch(/triple-quoted/);
		expect(errorFor("b'bytes'").message).toBe('string prefix "b" is not supported at offset 0');
		expect(errorFor("u'text'").offset).toBe(0);
	});
});

describe('parsePythonLiteral: containers', () => {
	it('reads dicts, lists and tuples', () => {
		expect(parsePythonLiteral("{'a': 1, 'b': [True, None], 'c': {'d': 'e'}}")).toEqual({
			a: 1,
			b: [true, null],
			c: { d: 'e' }
		});
		expect(parsePythonLiteral('[]')).toEqual([]);
		expect(parsePythonLiteral('{}')).toEqual({});
		expect(parsePythonLiteral('()')).toEqual([]);
		expect(parsePythonLiteral('(1,)')).toEqual([1]);
		expect(parsePythonLiteral('(1, 2)')).toEqual([1, 2]);
		// Parentheses without a comma only group, as in Python.
		expect(parsePythonLiteral("('x')")).toBe('x');
	});

	it('allows whitespace between tokens and trailing commas', () => {
		expect(parsePythonLiteral(" \n{ 'a' :\t[ 1 ,2, ] ,\r\n 'b':( 3 , ) , }\f ")).toEqual({
			a: [1, 2],
			b: [3]
		});
	});

	it('keeps the last of duplicate keys, like Python', () => {
		expect(parsePythonLiteral("{'a': 1, 'a': 2}")).toEqual({ a: 2 });
	});

	it('makes a __proto__ key an own property without touching any prototype', () => {
		const parsed = parsePythonLiteral("{'__proto__': {'polluted': True}, 'x': 1}") as Record<
			string,
			unknown
		>;
		expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
		expect(Object.hasOwn(parsed, '__proto__')).toBe(true);
		expect(Object.keys(parsed)).toEqual(['__proto__', 'x']);
		expect(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value).toEqual({ polluted: true });
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(JSON.stringify(parsed)).toBe('{"__proto__":{"polluted":true},"x":1}');
	});

	it('reports what was expected and where', () => {
		expect(errorFor("{'a' 1}").message).toBe('expected \':\' but found "1" at offset 5');
		expect(errorFor("{'a': 1 'b': 2}").message).toBe(
			"expected ',' or '}' but found \"'\" at offset 8"
		);
		expect(errorFor('[1 2]').message).toBe("expected ',' or ']' but found \"2\" at offset 3");
		expect(errorFor('[1, 2').message).toBe(
			"expected ',' or ']' but found end of input at offset 5"
		);
		expect(errorFor('[1] x').message).toBe('unexpected "x" after the value at offset 4');
		expect(errorFor('').message).toBe('expected a value, found end of input at offset 0');
		expect(errorFor('   ').offset).toBe(3);
	});

	it('rejects what is not a JSON-compatible literal', () => {
		const cases: [string, RegExp][] = [
			["{'at': datetime(2024, 1, 1)}", /call to "datetime" is not a literal at offset 7/],
			[
				"{'at': datetime.datetime(2024, 1, 1)}",
				/call to "datetime.datetime" is not a literal at offset 7/
			],
			['{1: 2}', /dict keys must be strings at offset 1/],
			['{None: 2}', /dict keys must be strings/],
			["{('a',): 2}", /dict keys must be strings/],
			["{'a', 'b'}", /expected ':' but found "," at offset 4/],
			['[,]', /expected a value, found ","/],
			['[1,,2]', /expected a value, found ","/],
			['{,}', /expected a value/],
			["{'a': 1,, }", /expected a value/],
			['[1]]', /unexpected "]" after the value/],
			['[1)', /expected ',' or ']'/],
			['(1]', /expected ',' or '\)'/],
			['null', /unknown name "null"/],
			['true', /unknown name "true"/],
			['True.real', /unknown name "True.real"/],
			['[1] # comment', /unexpected "#"/],
			['{**x}', /expected a value, found "\*"/]
		];
		for (const [text, message] of cases) expect(errorFor(text).message, text).toMatch(message);
	});

	it('limits nesting depth instead of overflowing the stack', () => {
		expect(parsePythonLiteral('['.repeat(200) + ']'.repeat(200))).toBeInstanceOf(Array);
		expect(errorFor('['.repeat(201) + ']'.repeat(201)).message).toBe(
			'nesting deeper than 200 levels at offset 200'
		);
		expect(errorFor("{'a': ".repeat(250) + '1' + '}'.repeat(250)).message).toMatch(/nesting/);
		expect(errorFor('('.repeat(100_000)).offset).toBe(200);
	});
});

describe('parsePythonLiteral: properties', () => {
	it('round-trips the Python repr of any JSON value', () => {
		fc.assert(
			fc.property(fc.jsonValue({ stringUnit: 'binary' }), (value) => {
				expect(parsePythonLiteral(toPythonRepr(value))).toEqual(value);
			}),
			{ numRuns: 500 }
		);
	});

	it('decodes any mix of raw characters and escapes', () => {
		const piece = fc.tuple(fc.integer({ min: 0, max: 0x10ffff }), fc.nat());
		fc.assert(
			fc.property(fc.array(piece), fc.boolean(), (pieces, doubleQuoted) => {
				const quote = doubleQuoted ? '"' : "'";
				let literal = '';
				for (const [code, pick] of pieces) {
					const forms: string[] = ['\\U' + hex(code, 8)];
					if (code <= 0xffff) forms.push('\\u' + hex(code, 4));
					if (code <= 0xff) forms.push('\\x' + hex(code, 2));
					// Always three digits, so a following raw digit cannot extend the escape.
					if (code <= 0o777) forms.push('\\' + code.toString(8).padStart(3, '0'));
					const ch = String.fromCodePoint(code);
					if (!['\\', '\n', '\r', quote].includes(ch)) forms.push(ch);
					literal += forms[pick % forms.length];
				}
				const expected = String.fromCodePoint(...pieces.map(([code]) => code));
				expect(parsePythonLiteral(quote + literal + quote)).toBe(expected);
			})
		);
	});

	/** Parses and reports the outcome, failing on any exception that is not PythonLiteralError. */
	function parsesOrRejectsCleanly(text: string): void {
		try {
			parsePythonLiteral(text);
		} catch (error) {
			expect(error).toBeInstanceOf(PythonLiteralError);
			const { offset } = error as PythonLiteralError;
			expect(offset).toBeGreaterThanOrEqual(0);
			expect(offset).toBeLessThanOrEqual(text.length);
		}
	}

	it('throws nothing but PythonLiteralError for arbitrary text', () => {
		fc.assert(fc.property(fc.string({ unit: 'binary' }), parsesOrRejectsCleanly), {
			numRuns: 1000
		});
	});

	it('throws nothing but PythonLiteralError for near-miss literals', () => {
		const token = fc.constantFrom(
			...['{', '}', '[', ']', '(', ')', ',', ':', "'", '"', '\\', '-', '.', 'e', '0', '1', ' '],
			...['True', 'None', 'inf', 'x', 'u', 'U', 'N', '\n', '\\x', '\\u', '\\U', '__proto__']
		);
		fc.assert(
			fc.property(fc.array(token, { maxLength: 60 }), (tokens) =>
				parsesOrRejectsCleanly(tokens.join(''))
			),
			{ numRuns: 2000 }
		);
		const mutated = fc
			.tuple(fc.jsonValue(), fc.nat(), fc.nat(), fc.string({ maxLength: 3 }))
			.map(([value, at, cut, insert]) => {
				const text = toPythonRepr(value);
				const i = at % (text.length + 1);
				return text.slice(0, i) + insert + text.slice(i + (cut % 3));
			});
		fc.assert(fc.property(mutated, parsesOrRejectsCleanly), { numRuns: 1000 });
	});
});

const sharedData = process.env.DP_SHARED_DATA ?? path.resolve(process.cwd(), '../shared/data');
const archiveDir = path.join(sharedData, 'hf-daily-papers');
const rawDir = path.join(archiveDir, 'raw');
const haveArchive = fs.existsSync(rawDir);
// In CI the shared data is part of the environment, so its absence is a failure, not a skip.
const skipRealData = !haveArchive && process.env.CI !== 'true';
if (skipRealData) {
	console.warn(
		`python-literal: skipping real-data tests, ${rawDir} is absent (set DP_SHARED_DATA)`
	);
}

interface ReprArchive {
	file: string;
	strings: string[];
}

/** The archive files whose entries are Python repr strings rather than JSON objects. */
function reprArchives(): ReprArchive[] {
	const archives: ReprArchive[] = [];
	for (const file of fs
		.readdirSync(rawDir)
		.filter((f) => f.endsWith('.json'))
		.sort()) {
		const json: unknown = JSON.parse(fs.readFileSync(path.join(rawDir, file), 'utf8'));
		// One file wraps the array as {status, date, count, data}.
		const entries =
			json !== null && typeof json === 'object' && !Array.isArray(json)
				? (json as { data?: unknown }).data
				: json;
		if (!Array.isArray(entries) || !entries.some((e) => typeof e === 'string')) continue;
		expect(
			entries.every((e) => typeof e === 'string'),
			`${file} mixes strings and objects`
		).toBe(true);
		archives.push({ file, strings: entries as string[] });
	}
	return archives;
}

interface ParsedEntry {
	paper: { id: string; title: string; summary: unknown; authors: { name: unknown }[] };
}

function parseEntry(file: string, index: number, text: string): ParsedEntry {
	let entry: unknown;
	try {
		entry = parsePythonLiteral(text);
	} catch (error) {
		throw new Error(`${file}[${index}]: ${(error as Error).message}`, { cause: error });
	}
	const paper = (entry as { paper?: { id?: unknown; title?: unknown } } | null)?.paper;
	expect(typeof paper?.id, `${file}[${index}] paper.id`).toBe('string');
	expect(typeof paper?.title, `${file}[${index}] paper.title`).toBe('string');
	return entry as ParsedEntry;
}

const collapse = (s: string): string => s.split(/\s+/).filter(Boolean).join(' ');

describe('parsePythonLiteral on the real HF daily-papers archives', () => {
	it.skipIf(skipRealData)('parses every Python-repr entry into a paper', () => {
		expect(haveArchive, `${rawDir} is missing`).toBe(true);
		const archives = reprArchives();
		expect(archives.length).toBeGreaterThan(0);
		let count = 0;
		for (const { file, strings } of archives) {
			strings.forEach((text, i) => parseEntry(file, i, text));
			count += strings.length;
		}
		console.info(`python-literal: parsed ${count} entries from ${archives.length} files`);
	});

	// papers.jsonl was decoded from the same files with Python's ast.literal_eval, which makes it
	// an independent oracle for what the strings mean.
	it.skipIf(skipRealData)('agrees with the ast.literal_eval-derived papers.jsonl', () => {
		const jsonl = path.join(archiveDir, 'papers.jsonl');
		expect(fs.existsSync(jsonl), `${jsonl} is missing`).toBe(true);
		const expected = new Map<string, { title: string; abstract: string; authors: string[] }>();
		for (const line of fs.readFileSync(jsonl, 'utf8').split('\n')) {
			if (line.trim() === '') continue;
			const row = JSON.parse(line) as {
				arxiv_id: string;
				title: string;
				abstract: string;
				authors: string[];
				daily_date: string;
			};
			expected.set(`${row.daily_date}/${row.arxiv_id}`, row);
		}
		let compared = 0;
		for (const { file, strings } of reprArchives()) {
			const date = file.replace(/\.json$/, '');
			strings.forEach((text, i) => {
				const { paper } = parseEntry(file, i, text);
				const row = expected.get(`${date}/${paper.id}`);
				if (row === undefined) return;
				expect(collapse(paper.title), `${file} ${paper.id} title`).toBe(row.title);
				expect(collapse(String(paper.summary)), `${file} ${paper.id} summary`).toBe(row.abstract);
				expect(
					paper.authors.map((a) => a.name),
					`${file} ${paper.id} authors`
				).toEqual(row.authors);
				compared++;
			});
		}
		expect(compared).toBeGreaterThan(0);
		console.info(`python-literal: ${compared} entries match papers.jsonl`);
	});
});
