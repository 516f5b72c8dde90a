import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractArxivId } from './arxiv-id';
import {
	emptyQuery,
	filterChips,
	formatSearchQuery,
	MAX_QUERY_LENGTH,
	parseSearchQuery,
	SEARCH_LIMITS,
	type ParsedQuery,
	type SearchFilter
} from './search-query';

const EMPTY: ParsedQuery = emptyQuery();

/** The query with only the given fields set, the rest empty. */
function query(fields: Partial<ParsedQuery>): ParsedQuery {
	return { ...EMPTY, ...fields };
}

function withoutWarnings(q: ParsedQuery): Omit<ParsedQuery, 'warnings'> {
	// eslint-disable-next-line @typescript-eslint/no-unused-vars
	const { warnings, ...rest } = q;
	return rest;
}

describe('parseSearchQuery: free text', () => {
	it('returns the empty query for empty or blank input', () => {
		expect(parseSearchQuery('')).toEqual(EMPTY);
		expect(parseSearchQuery(' \t\n ')).toEqual(EMPTY);
	});

	it('keeps words in order and collapses any run of whitespace', () => {
		expect(parseSearchQuery('  diffusion \t models\n\nfor   video ').terms).toEqual([
			'diffusion',
			'models',
			'for',
			'video'
		]);
	});

	it('keeps unknown foo:bar operators, URLs and prototype names as words', () => {
		expect(parseSearchQuery('foo:bar re:invent http://example.com/x').terms).toEqual([
			'foo:bar',
			're:invent',
			'http://example.com/x'
		]);
		expect(parseSearchQuery('constructor:x toString:y hasOwnProperty:z').terms).toEqual([
			'constructor:x',
			'toString:y',
			'hasOwnProperty:z'
		]);
	});

	it('treats OR, AND, NOT, *, NEAR( and parentheses as plain words', () => {
		expect(parseSearchQuery('(llm OR gpt*) AND NOT NEAR(a b) *').terms).toEqual([
			'(llm',
			'OR',
			'gpt*)',
			'AND',
			'NOT',
			'NEAR(a',
			'b)',
			'*'
		]);
	});
});

describe('parseSearchQuery: phrases and exclusions', () => {
	it('reads "quoted phrases", trimming the inside', () => {
		expect(parseSearchQuery('"large language model" agents "  chain of thought "')).toEqual(
			query({ terms: ['agents'], phrases: ['large language model', 'chain of thought'] })
		);
	});

	it('splits a word at a quote, so quotes glued to words still open phrases', () => {
		expect(parseSearchQuery('foo"bar baz"qux')).toEqual(
			query({ terms: ['foo', 'qux'], phrases: ['bar baz'] })
		);
	});

	it('reads typographic quotes like straight ones', () => {
		expect(parseSearchQuery('\u201Clarge language model\u201D').phrases).toEqual([
			'large language model'
		]);
	});

	it('ignores empty phrases silently', () => {
		expect(parseSearchQuery('"" " " -"" x')).toEqual(query({ terms: ['x'] }));
	});

	it('excludes -word and -"a phrase"', () => {
		expect(parseSearchQuery('transformers -survey -"position paper" -4bit')).toEqual(
			query({ terms: ['transformers'], excluded: ['survey', 'position paper', '4bit'] })
		);
	});

	it('does not treat a lone or inner hyphen as an exclusion', () => {
		expect(parseSearchQuery('state-of-the-art GPT-4 - -- -* x-')).toEqual(
			query({ terms: ['state-of-the-art', 'GPT-4', '-', '--', '-*', 'x-'] })
		);
	});

	it('excludes words in any script', () => {
		expect(parseSearchQuery('-élan -模型').excluded).toEqual(['élan', '模型']);
	});
});

describe('parseSearchQuery: operators', () => {
	it('reads author: bare or quoted, case-insensitively, with au: as an alias', () => {
		expect(
			parseSearchQuery('author:lecun Author:"Yann LeCun" AU:Hinton author:"  Geoffrey   Hinton "')
				.authors
		).toEqual(['lecun', 'Yann LeCun', 'Hinton', 'Geoffrey Hinton']);
	});

	it('lower-cases the archive of cat: and keeps the subject as typed', () => {
		expect(
			parseSearchQuery(
				'cat:cs.CL CAT:Math.GT cat:"stat.ML" category:astro-ph.CO cat:cond-mat.mes-hall'
			).categories
		).toEqual(['cs.CL', 'math.GT', 'stat.ML', 'astro-ph.CO', 'cond-mat.mes-hall']);
	});

	it('reads cat: with an archive alone (any subject in it)', () => {
		expect(parseSearchQuery('cat:CS cat:hep-th').categories).toEqual(['cs', 'hep-th']);
	});

	it('drops a malformed category with a warning', () => {
		const q = parseSearchQuery('cat:cs..CL cat:"cs CL" cat:c++ x');
		expect(q.categories).toEqual([]);
		expect(q.terms).toEqual(['x']);
		expect(q.warnings).toEqual(['cat: needs an arXiv category, like cat:cs.CL or cat:cs']);
	});

	it('reads year: from 1986 to 2100 and drops other years with a warning', () => {
		expect(parseSearchQuery('year:2024').year).toBe(2024);
		expect(parseSearchQuery('year:1986').year).toBe(1986);
		expect(parseSearchQuery('year:"2100"').year).toBe(2100);
		for (const bad of ['year:1985', 'year:2101', 'year:24', 'year:2024.5', 'year:twenty']) {
			const q = parseSearchQuery(bad);
			expect(q.year, bad).toBeNull();
			expect(q.warnings, bad).toEqual(['year: needs a year from 1986 to 2100, like year:2024']);
		}
	});

	it('reads after: (inclusive) and before: (exclusive) as days, months or years', () => {
		expect(parseSearchQuery('after:2024-06-15 before:2024-07-01')).toMatchObject({
			after: '2024-06-15',
			before: '2024-07-01'
		});
		expect(parseSearchQuery('after:2024-06 before:2025')).toMatchObject({
			after: '2024-06-01',
			before: '2025-01-01'
		});
		expect(parseSearchQuery('before:2024').before).toBe('2024-01-01');
	});

	it('drops impossible dates with a warning', () => {
		const q = parseSearchQuery('after:2024-02-30 before:yesterday after:2024-13');
		expect(q.after).toBeNull();
		expect(q.before).toBeNull();
		expect(q.warnings).toEqual([
			'after: needs a date like 2024-06-01 (or 2024-06, or 2024)',
			'before: needs a date like 2024-06-01 (or 2024-06, or 2024)'
		]);
	});

	it('warns when after: is not before before:, keeping both', () => {
		const q = parseSearchQuery('after:2024-06-01 before:2024-06-01');
		expect(q).toMatchObject({ after: '2024-06-01', before: '2024-06-01' });
		expect(q.warnings).toEqual([
			'after:2024-06-01 is not before before:2024-06-01, so nothing can match'
		]);
	});

	it('reads sort: case-insensitively, defaulting to relevance', () => {
		expect(parseSearchQuery('x').sort).toBe('relevance');
		expect(parseSearchQuery('sort:date').sort).toBe('date');
		expect(parseSearchQuery('Sort:UPVOTES').sort).toBe('upvotes');
		expect(parseSearchQuery('sort:relevance').sort).toBe('relevance');
		const q = parseSearchQuery('sort:newest');
		expect(q.sort).toBe('relevance');
		expect(q.warnings).toEqual(['sort: can be relevance, date or upvotes']);
	});

	it('keeps the last of a repeated single-valued operator, with a warning', () => {
		const q = parseSearchQuery('year:2023 year:2024 sort:date sort:upvotes');
		expect(q).toMatchObject({ year: 2024, sort: 'upvotes' });
		expect(q.warnings).toEqual([
			'year: was given more than once; the last one is used',
			'sort: was given more than once; the last one is used'
		]);
	});

	it('drops an operator with an empty value, with a warning', () => {
		const q = parseSearchQuery('author: lecun author:"" cat:');
		expect(q).toMatchObject({ terms: ['lecun'], authors: [], categories: [] });
		expect(q.warnings).toEqual([
			'author: needs a name, like author:lecun or author:"Yann LeCun"',
			'cat: needs an arXiv category, like cat:cs.CL or cat:cs'
		]);
	});

	it('keeps one of each repeated filter, ignoring case', () => {
		expect(
			parseSearchQuery('author:LeCun author:lecun cat:cs.CL cat:cs.cl -x -X "a b" "A B"')
		).toEqual(
			query({ authors: ['LeCun'], categories: ['cs.CL'], excluded: ['x'], phrases: ['a b'] })
		);
	});

	it('reads every operator together with phrases and exclusions', () => {
		expect(
			parseSearchQuery(
				'"large language model" author:"Yann LeCun" cat:cs.CL -survey year:2024 sort:date'
			)
		).toEqual(
			query({
				phrases: ['large language model'],
				authors: ['Yann LeCun'],
				categories: ['cs.CL'],
				excluded: ['survey'],
				year: 2024,
				sort: 'date'
			})
		);
	});

	it('reads operators glued to a closing quote as separate tokens', () => {
		expect(parseSearchQuery('"world models"author:ha-x"y"year:2018')).toEqual(
			query({ phrases: ['world models', 'y'], authors: ['ha-x'], year: 2018 })
		);
	});
});

describe('parseSearchQuery: limits', () => {
	it('keeps at most 32 terms, with one warning', () => {
		const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
		const q = parseSearchQuery(words.join(' '));
		expect(q.terms).toEqual(words.slice(0, SEARCH_LIMITS.terms));
		expect(q.warnings).toEqual(['Only the first 32 words are searched']);
	});

	it('keeps at most 8 phrases, exclusions, authors and categories, with a warning each', () => {
		const nine = Array.from({ length: 9 }, (_, i) => String.fromCharCode(97 + i));
		const q = parseSearchQuery(
			[
				...nine.map((x) => `"${x} ${x}"`),
				...nine.map((x) => `-${x}`),
				...nine.map((x) => `author:${x}`),
				...nine.map((x) => `cat:${x}`)
			].join(' ')
		);
		expect(q.phrases).toHaveLength(8);
		expect(q.excluded).toHaveLength(8);
		expect(q.authors).toHaveLength(8);
		expect(q.categories).toHaveLength(8);
		expect(q.warnings).toEqual([
			'Only the first 8 quoted phrases are used',
			'Only the first 8 excluded words are used',
			'Only the first 8 authors are used',
			'Only the first 8 categories are used'
		]);
	});

	it('cuts 10 kB of text at the last whole word within 512 characters, with a warning', () => {
		const longWord = 'x'.repeat(100);
		const text = Array.from({ length: 100 }, () => longWord).join(' ');
		const q = parseSearchQuery(text);
		// Five 100-character words and their spaces take 504 characters; a sixth would not fit.
		expect(q.terms).toEqual(Array.from({ length: 5 }, () => longWord));
		expect(q.warnings).toEqual(['The query is longer than 512 characters; the rest was ignored']);
	});

	it('drops a phrase that would cross the 512th character rather than cutting it', () => {
		const q = parseSearchQuery(`${'a'.repeat(500)} "one two three"`);
		expect(q.phrases).toEqual([]);
		expect(q.warnings).toEqual(['The query is longer than 512 characters; the rest was ignored']);
	});

	it('measures the canonical form, so a query that grows when formatted still fits', () => {
		// Eight glued 64-character phrases are 512 characters as typed, but 519 once spaced.
		const glued = Array.from({ length: 8 }, (_, i) => `"${String(i).repeat(62)}"`).join('');
		const q = parseSearchQuery(glued);
		expect(q.phrases).toHaveLength(7);
		expect(formatSearchQuery(q).length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
		// au: becomes author:, and after:2024 becomes after:2024-01-01.
		const grown = parseSearchQuery(`${'z'.repeat(490)} au:x after:2024`);
		expect(grown.authors).toEqual(['x']);
		expect(grown.after).toBeNull();
		expect(formatSearchQuery(grown).length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
	});

	it('does not count collapsed whitespace and removed control characters as length', () => {
		const q = parseSearchQuery(`${' '.repeat(2000)}${'\u0000'.repeat(2000)}deep learning`);
		expect(q).toEqual(query({ terms: ['deep', 'learning'] }));
	});
});

describe('parseSearchQuery: pasted arXiv ids and URLs', () => {
	const pasted: [string, string][] = [
		['2401.12345', '2401.12345'],
		['2401.12345v2', '2401.12345'],
		['0704.0001', '0704.0001'],
		['hep-th/9901001', 'hep-th/9901001'],
		['math.GT/0309136v1', 'math.GT/0309136'],
		['arXiv:2401.12345', '2401.12345'],
		['https://arxiv.org/abs/2401.12345', '2401.12345'],
		['https://arxiv.org/pdf/2401.12345v1.pdf', '2401.12345'],
		['https://arxiv.org/pdf/2401.12345v1', '2401.12345'],
		['https://huggingface.co/papers/2401.12345', '2401.12345'],
		['  https://arxiv.org/abs/hep-th/9901001v3  ', 'hep-th/9901001']
	];
	for (const [text, id] of pasted) {
		it(`recognizes ${text.trim()} as the id ${id}, keeping the text as a term`, () => {
			expect(parseSearchQuery(text)).toEqual(query({ terms: [text.trim()], arxivId: id }));
		});
	}

	it('sets no id when the id is only part of the query', () => {
		expect(parseSearchQuery('2401.12345 attention').arxivId).toBeNull();
		expect(parseSearchQuery('2401.12345 cat:cs.CL').arxivId).toBeNull();
		expect(parseSearchQuery('"2401.12345"').arxivId).toBeNull();
	});

	it('sets no id for look-alikes', () => {
		for (const text of ['2413.12345', '2401.123', 'https://example.org/abs/2401.12345', '1234']) {
			expect(parseSearchQuery(text).arxivId, text).toBeNull();
		}
	});
});

describe('parseSearchQuery: hostile input', () => {
	it('reads an unbalanced quote as a phrase running to the end', () => {
		expect(parseSearchQuery('agents "large language')).toEqual(
			query({ terms: ['agents'], phrases: ['large language'] })
		);
		expect(parseSearchQuery('author:"Yann LeCun').authors).toEqual(['Yann LeCun']);
		expect(parseSearchQuery('-"open ended').excluded).toEqual(['open ended']);
		expect(parseSearchQuery('"')).toEqual(EMPTY);
		expect(parseSearchQuery('a "b" "c').phrases).toEqual(['b', 'c']);
	});

	it('keeps SQL as plain words', () => {
		expect(parseSearchQuery("'; DROP TABLE papers; --")).toEqual(
			query({ terms: ["';", 'DROP', 'TABLE', 'papers;', '--'] })
		);
		expect(parseSearchQuery("x' OR '1'='1").terms).toEqual(["x'", 'OR', "'1'='1"]);
	});

	it('removes control characters and splits words on tabs and newlines', () => {
		expect(parseSearchQuery('deep\u0000learn\u0007ing\tfor\r\nrobots\u007f\u009b').terms).toEqual([
			'deeplearning',
			'for',
			'robots'
		]);
	});

	it('removes bidi overrides and lone surrogates but keeps RTL, CJK, accents and emoji', () => {
		const q = parseSearchQuery(
			'\u202Eevil\u202C \uD800 שלום عالم 大型语言模型 café naïve 🤖 👩‍🔬 🇫🇷'
		);
		expect(q.terms).toEqual([
			'evil',
			'שלום',
			'عالم',
			'大型语言模型',
			'café',
			'naïve',
			'🤖',
			'👩‍🔬',
			'🇫🇷'
		]);
	});

	it('does not throw on input that is not a string', () => {
		expect(parseSearchQuery(undefined as unknown as string)).toEqual(EMPTY);
	});
});

describe('formatSearchQuery', () => {
	it('writes the canonical form: terms, phrases, exclusions, then operators', () => {
		const q = parseSearchQuery(
			'sort:Date YEAR:2024 -survey AU:"Yann LeCun" cat:CS.CL "large language model" agents -"position paper" after:2024-06 before:2025'
		);
		expect(formatSearchQuery(q)).toBe(
			'agents "large language model" -survey -"position paper" author:"Yann LeCun" cat:cs.CL year:2024 after:2024-06-01 before:2025-01-01 sort:date'
		);
	});

	it('leaves out the default sort and derived fields', () => {
		expect(formatSearchQuery(parseSearchQuery('sort:relevance x'))).toBe('x');
		expect(formatSearchQuery(parseSearchQuery('https://arxiv.org/abs/2401.12345'))).toBe(
			'https://arxiv.org/abs/2401.12345'
		);
		expect(formatSearchQuery(EMPTY)).toBe('');
	});

	it('quotes an exclusion only when it would not read back bare', () => {
		expect(formatSearchQuery(parseSearchQuery('-"x" -"#tag" -"a b"'))).toBe('-x -"#tag" -"a b"');
	});

	it('cleans a hand-built query so its text still says what it holds', () => {
		expect(
			formatSearchQuery(
				query({
					terms: ['a"b', ' ', 'c\u0000d'],
					authors: ['Yann "the" LeCun', ''],
					categories: ['not a category'],
					year: 1900,
					after: '2024-02-30',
					sort: 'upvotes'
				})
			)
		).toBe('a b cd author:"Yann the LeCun" sort:upvotes');
	});
});

describe('filterChips', () => {
	it('lists each filter with a label and the query without it', () => {
		const q = parseSearchQuery(
			'"large language model" author:"Yann LeCun" cat:cs -survey year:2024 after:2024-06 before:2025 sort:date agents'
		);
		expect(filterChips(q).map(({ label, queryWithout }) => [label, queryWithout])).toEqual([
			[
				'"large language model"',
				'agents -survey author:"Yann LeCun" cat:cs year:2024 after:2024-06-01 before:2025-01-01 sort:date'
			],
			[
				'Without "survey"',
				'agents "large language model" author:"Yann LeCun" cat:cs year:2024 after:2024-06-01 before:2025-01-01 sort:date'
			],
			[
				'Author: Yann LeCun',
				'agents "large language model" -survey cat:cs year:2024 after:2024-06-01 before:2025-01-01 sort:date'
			],
			[
				'Category: cs.*',
				'agents "large language model" -survey author:"Yann LeCun" year:2024 after:2024-06-01 before:2025-01-01 sort:date'
			],
			[
				'Year: 2024',
				'agents "large language model" -survey author:"Yann LeCun" cat:cs after:2024-06-01 before:2025-01-01 sort:date'
			],
			[
				'From 2024-06-01',
				'agents "large language model" -survey author:"Yann LeCun" cat:cs year:2024 before:2025-01-01 sort:date'
			],
			[
				'Before 2025-01-01',
				'agents "large language model" -survey author:"Yann LeCun" cat:cs year:2024 after:2024-06-01 sort:date'
			],
			[
				'Newest first',
				'agents "large language model" -survey author:"Yann LeCun" cat:cs year:2024 after:2024-06-01 before:2025-01-01'
			]
		]);
		expect(filterChips(q).map((chip) => chip.filter)).toContainEqual({
			kind: 'category',
			value: 'cs'
		});
	});

	it('has no chips for free words or the default sort', () => {
		expect(filterChips(parseSearchQuery('graph neural networks sort:relevance'))).toEqual([]);
	});

	it('labels sort by upvotes', () => {
		expect(filterChips(parseSearchQuery('sort:upvotes')).map((chip) => chip.label)).toEqual([
			'Most upvoted'
		]);
	});
});

describe('properties', () => {
	// Fragments that make random strings look like queries, so operators, quotes and
	// limits are actually exercised, plus the hostile characters.
	const fragment = fc.oneof(
		fc.constantFrom(
			'author:',
			'Author:',
			'au:',
			'cat:',
			'category:',
			'year:',
			'after:',
			'before:',
			'sort:',
			'foo:',
			'-',
			'"',
			'"',
			' ',
			' ',
			' ',
			'\t',
			'\n',
			'*',
			'NEAR(',
			'OR',
			'cs.CL',
			'CS',
			'hep-th',
			'2024',
			'2024-06',
			'2024-06-01',
			'2024-02-30',
			'1985',
			'date',
			'upvotes',
			'relevance',
			'Yann LeCun',
			'lecun',
			'2401.12345',
			'hep-th/9901001',
			'https://arxiv.org/abs/2401.12345',
			'🤖',
			'שלום',
			'模型',
			'é',
			'\u0000',
			'\u202E',
			'\u201C',
			'\uD800',
			'constructor:',
			// Long pieces and forms that grow when formatted, to probe the 512-character cut.
			'w'.repeat(60),
			`"${'p'.repeat(45)}"`,
			'au:x',
			'after:2024',
			'-"x'
		),
		fc.string({ unit: 'grapheme', maxLength: 8 })
	);
	const queryLike = fc
		.oneof(
			{ arbitrary: fc.array(fragment, { maxLength: 40 }), weight: 4 },
			{ arbitrary: fc.array(fragment, { minLength: 150, maxLength: 400 }), weight: 1 }
		)
		.map((parts) => parts.join(''));
	const anyInput = fc.oneof(
		queryLike,
		fc.string({ unit: 'grapheme', maxLength: 200 }),
		fc.string({ unit: 'binary', maxLength: 200 })
	);

	it('never throws, whatever the input', () => {
		for (const arbitrary of [
			fc.string(),
			fc.string({ unit: 'grapheme' }),
			fc.string({ unit: 'binary' }),
			queryLike
		]) {
			fc.assert(
				fc.property(arbitrary, (text) => {
					const q = parseSearchQuery(text);
					formatSearchQuery(q);
					filterChips(q);
				})
			);
		}
	});

	it('formats to a canonical form that parses back to the same query', () => {
		fc.assert(
			fc.property(anyInput, (text) => {
				const q = parseSearchQuery(text);
				const canonical = formatSearchQuery(q);
				expect(withoutWarnings(parseSearchQuery(canonical))).toEqual(withoutWarnings(q));
				expect(formatSearchQuery(parseSearchQuery(canonical))).toBe(canonical);
			}),
			{ numRuns: 500 }
		);
	});

	it("parses each chip's query-without to the same query minus exactly that filter", () => {
		const remove = (q: ParsedQuery, filter: SearchFilter): Omit<ParsedQuery, 'warnings'> => {
			const rest = withoutWarnings(q);
			const drop = (list: string[]) => list.filter((value) => value !== filter.value);
			const expected = {
				...rest,
				phrases: filter.kind === 'phrase' ? drop(q.phrases) : q.phrases,
				excluded: filter.kind === 'exclude' ? drop(q.excluded) : q.excluded,
				authors: filter.kind === 'author' ? drop(q.authors) : q.authors,
				categories: filter.kind === 'category' ? drop(q.categories) : q.categories,
				year: filter.kind === 'year' ? null : q.year,
				after: filter.kind === 'after' ? null : q.after,
				before: filter.kind === 'before' ? null : q.before,
				sort: filter.kind === 'sort' ? 'relevance' : q.sort
			} satisfies Omit<ParsedQuery, 'warnings'>;
			// Removing the last filter can leave a lone pasted id, which then is one.
			const bare =
				expected.terms.length === 1 &&
				[expected.phrases, expected.excluded, expected.authors, expected.categories].every(
					(list) => list.length === 0
				) &&
				expected.year === null &&
				expected.after === null &&
				expected.before === null &&
				expected.sort === 'relevance';
			return {
				...expected,
				arxivId: bare ? (extractArxivId(expected.terms[0])?.id ?? null) : null
			};
		};
		fc.assert(
			fc.property(anyInput, (text) => {
				const q = parseSearchQuery(text);
				for (const chip of filterChips(q)) {
					expect(withoutWarnings(parseSearchQuery(chip.queryWithout))).toEqual(
						remove(q, chip.filter)
					);
				}
			}),
			{ numRuns: 500 }
		);
	});

	it('respects every size limit, and keeps terms free of spaces and control characters', () => {
		fc.assert(
			fc.property(anyInput, (text) => {
				const q = parseSearchQuery(text);
				expect(q.terms.length).toBeLessThanOrEqual(SEARCH_LIMITS.terms);
				expect(q.phrases.length).toBeLessThanOrEqual(SEARCH_LIMITS.phrases);
				expect(q.excluded.length).toBeLessThanOrEqual(SEARCH_LIMITS.excluded);
				expect(q.authors.length).toBeLessThanOrEqual(SEARCH_LIMITS.authors);
				expect(q.categories.length).toBeLessThanOrEqual(SEARCH_LIMITS.categories);
				expect(formatSearchQuery(q).length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
				for (const term of q.terms) {
					expect(term).not.toMatch(/[\s"\p{Cc}\p{Cs}]/u);
				}
				if (q.year !== null) {
					expect(q.year).toBeGreaterThanOrEqual(1986);
					expect(q.year).toBeLessThanOrEqual(2100);
				}
			}),
			{ numRuns: 500 }
		);
	});
});
