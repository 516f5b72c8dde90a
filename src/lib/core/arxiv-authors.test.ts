import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sharedData } from '$support/shared-data';
import {
	authorFromOaiParts,
	authorsFromOaiParts,
	authorsFromParsed,
	parseAuthorList,
	removeParenthesized
} from './arxiv-authors';

const raw = String.raw;

describe('parseAuthorList', () => {
	it('splits on commas, "and" and ", and"', () => {
		expect(parseAuthorList('Ileana Streinu and Louis Theran')).toEqual([
			'Ileana Streinu',
			'Louis Theran'
		]);
		expect(parseAuthorList('Alejandro Corichi, Tatjana Vukasinac and Jose A. Zapata')).toEqual([
			'Alejandro Corichi',
			'Tatjana Vukasinac',
			'Jose A. Zapata'
		]);
		expect(parseAuthorList('A.A. Serga, M. Kostylev, and B. Hillebrands')).toEqual([
			'A. A. Serga',
			'M. Kostylev',
			'B. Hillebrands'
		]);
		expect(parseAuthorList('Smith & Jones; Brown')).toEqual(['Smith', 'Jones', 'Brown']);
	});

	it('collapses arXiv line wrapping and converts LaTeX accents', () => {
		expect(
			parseAuthorList(
				'Paul Harvey, Bruno Merin, Tracy L. Huard, Luisa M. Rebull, Nicholas\n  Chapman, Neal J. Evans II, Philip C. Myers'
			)
		).toEqual([
			'Paul Harvey',
			'Bruno Merin',
			'Tracy L. Huard',
			'Luisa M. Rebull',
			'Nicholas Chapman',
			'Neal J. Evans II',
			'Philip C. Myers'
		]);
		expect(parseAuthorList(raw`C. Bal\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan`)).toEqual([
			'C. Balázs',
			'E. L. Berger',
			'P. M. Nadolsky',
			'C.-P. Yuan'
		]);
		expect(parseAuthorList(raw`Mikkel {\O}bro and J. M\"{u}ller`)).toEqual([
			'Mikkel Øbro',
			'J. Müller'
		]);
	});

	it('removes affiliations and footnote markers in parentheses, nested or not', () => {
		expect(parseAuthorList('A. Smith (MIT), B. Jones ((1) CERN, (2) DESY)')).toEqual([
			'A. Smith',
			'B. Jones'
		]);
		expect(parseAuthorList('A. Smith (1), B. Jones (2) ((1) MIT (2) CERN)')).toEqual([
			'A. Smith',
			'B. Jones'
		]);
		expect(
			parseAuthorList(
				"A. S. Mishchenko (1 and 2) and N. Nagaosa (1 and 3) ((1) CREST, Japan\n  Science and Technology Agency, (2) Russian Research Centre ``Kurchatov\n  Institute'', (3) The University of Tokyo)"
			)
		).toEqual(['A. S. Mishchenko', 'N. Nagaosa']);
		expect(
			parseAuthorList(
				raw`Peter Brommer and Franz G\"ahler (Institut f\"ur Theoretische und\n  Angewandte Physik, Universit\"at Stuttgart)`
			)
		).toEqual(['Peter Brommer', 'Franz Gähler']);
		expect(parseAuthorList('A. Smith$^{1,2}$, B. Jones$^{*}$ and C. Brown*')).toEqual([
			'A. Smith',
			'B. Jones',
			'C. Brown'
		]);
	});

	it('drops "et al." and "and others", which are not authors', () => {
		expect(parseAuthorList('The BABAR Collaboration, B. Aubert, et al')).toEqual([
			'The BABAR Collaboration',
			'B. Aubert'
		]);
		expect(parseAuthorList('F. Aharonian, et al')).toEqual(['F. Aharonian']);
		expect(parseAuthorList('A. Smith et al.')).toEqual(['A. Smith']);
		expect(parseAuthorList('A. Smith, B. Jones, et. al.')).toEqual(['A. Smith', 'B. Jones']);
		expect(parseAuthorList('A. Smith, B. Jones and others')).toEqual(['A. Smith', 'B. Jones']);
		expect(parseAuthorList('A. Smith Et Al.')).toEqual(['A. Smith']);
	});

	it('keeps collaborations as one name, also before a colon', () => {
		expect(parseAuthorList('ATLAS Collaboration')).toEqual(['ATLAS Collaboration']);
		expect(parseAuthorList('The CMS Collaboration: A. Smith, B. Jones')).toEqual([
			'The CMS Collaboration',
			'A. Smith',
			'B. Jones'
		]);
		expect(parseAuthorList('BICEP2 and Keck Array Collaborations: P. A. R. Ade, N. Ahmed')).toEqual(
			['BICEP2 and Keck Array Collaborations', 'P. A. R. Ade', 'N. Ahmed']
		);
		expect(
			parseAuthorList('The LIGO Scientific Collaboration and the Virgo Collaboration')
		).toEqual(['The LIGO Scientific Collaboration', 'the Virgo Collaboration']);
		expect(parseAuthorList('Teresa Montaruli for the IceCube Collaboration')).toEqual([
			'Teresa Montaruli for the IceCube Collaboration'
		]);
	});

	it('keeps "Jr." and "III" with their person', () => {
		expect(parseAuthorList('John Smith, Jr.')).toEqual(['John Smith Jr.']);
		expect(parseAuthorList('John Smith, Jr., Ann Lee, III and Bo Chen, Sr')).toEqual([
			'John Smith Jr.',
			'Ann Lee III',
			'Bo Chen Sr'
		]);
		expect(parseAuthorList('Jr., A. Smith')).toEqual(['Jr.', 'A. Smith']);
	});

	it('drops empty names and keeps duplicates', () => {
		expect(parseAuthorList('')).toEqual([]);
		expect(parseAuthorList(' , ,, and ')).toEqual([]);
		expect(parseAuthorList('I. Grabec, I. Grabec')).toEqual(['I. Grabec', 'I. Grabec']);
		expect(parseAuthorList('Sudha, A. V. Gopala Rao')).toEqual(['Sudha', 'A. V. Gopala Rao']);
	});

	it('spaces initials the way arXiv does in authors_parsed', () => {
		expect(parseAuthorList("J.P.Hague and N.d'Ambrumenil")).toEqual([
			'J. P. Hague',
			"N. d'Ambrumenil"
		]);
		expect(parseAuthorList('Yu.N. Kosovtsov, St.John Smith')).toEqual([
			'Yu. N. Kosovtsov',
			'St. John Smith'
		]);
	});

	// Names as arXiv writes them: initials or capitalised words, hyphens, apostrophes,
	// accents; never the words this parser treats as separators or "et al".
	const word = fc.oneof(
		fc.constantFrom('A.', 'J.-P.', 'Yu.', 'M.'),
		fc
			.tuple(
				fc.constantFrom(...'ABCDEFGHKLMNOPRSTVWZÉÖŁ'),
				fc.stringMatching(/^[a-zäéñø]{1,8}$/),
				fc.constantFrom('', '-Smith', "'Brien")
			)
			.map(([first, rest, tail]) => `${first}${rest}${tail}`)
			.filter((w) => !/^(?:Et|Al|Jr|Sr)\b/.test(w) && !/'$/.test(w)),
		fc.constantFrom('van', 'de', 'von der', 'Di')
	);
	const personName = fc
		.array(word, { minLength: 1, maxLength: 4 })
		.map((words) => words.join(' '))
		.filter((name) => /[A-ZÉÖŁ][a-z]/.test(name) && !/^(?:van|de|von der|Di)$/.test(name));

	// How arXiv bylines write the accented letters the generator uses.
	const AS_LATEX: Record<string, string[]> = {
		ä: [String.raw`\"a`, String.raw`{\"a}`, String.raw`\"{a}`],
		é: [String.raw`\'e`, String.raw`{\'e}`, String.raw`\'{e}`],
		ñ: [String.raw`\~n`, String.raw`{\~n}`],
		ø: [String.raw`{\o}`],
		É: [String.raw`\'E`, String.raw`{\'E}`],
		Ö: [String.raw`\"O`, String.raw`{\"O}`],
		Ł: [String.raw`{\L}`]
	};
	const asLatex = (name: string, seed: number) =>
		name.replace(/[äéñøÉÖŁ]/g, (c) => AS_LATEX[c][seed % AS_LATEX[c].length]);

	it('returns generated names joined by ", ", " and " and ", and" unchanged, LaTeX or not', () => {
		const joiner = fc.constantFrom(', ', ' and ', ', and ', ',\n  ');
		fc.assert(
			fc.property(
				fc.array(fc.tuple(personName, joiner), { minLength: 1, maxLength: 8 }),
				fc.nat(),
				fc.boolean(),
				(parts, seed, latex) => {
					const names = parts.map(([name]) => name);
					const byline = parts
						.map(([name, join], i) => (i === 0 ? '' : join) + (latex ? asLatex(name, seed) : name))
						.join('');
					expect(parseAuthorList(byline)).toEqual(names);
				}
			),
			{ numRuns: 1000 }
		);
	});

	it('never returns "et al", an empty name, a parenthesis or a brace', () => {
		const noise = fc.oneof(
			fc.string(),
			fc.constantFrom(
				' et al.',
				', et al',
				' (MIT',
				' ((1) CERN, (2) DESY)',
				' {',
				'}',
				' and others'
			)
		);
		fc.assert(
			fc.property(fc.array(fc.oneof(personName, noise), { maxLength: 6 }), (parts) => {
				for (const name of parseAuthorList(parts.join(', '))) {
					expect(name.trim()).not.toBe('');
					expect(name).toBe(name.trim());
					expect(name).not.toMatch(/\bet\.?\s*al\b/i);
					expect(name).not.toMatch(/[(){}]/);
				}
			}),
			{ numRuns: 1000 }
		);
	});

	it('never throws on any text', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
				parseAuthorList(text);
			})
		);
	});
});

describe('long hostile input', () => {
	// Each of these took 3 to 23 seconds with patterns that were quadratic in the input.
	it('is handled in linear time (100k characters well inside the test timeout)', () => {
		for (const text of [
			'\\'.repeat(100_000),
			'\\\\'.repeat(50_000) + '\\"o',
			'^{'.repeat(50_000),
			'('.repeat(50_000) + ')'.repeat(50_000),
			'&'.repeat(100_000) + 'x',
			'1'.repeat(100_000) + 'x'
		]) {
			for (const name of parseAuthorList(text)) expect(name).not.toMatch(/[(){}]|^\s|\s$/);
		}
		expect(parseAuthorList('A. Smith, '.repeat(10_000))).toHaveLength(10_000);
	}, 5000);
});

describe('removeParenthesized', () => {
	it('removes nested groups and unmatched parentheses', () => {
		expect(removeParenthesized('a (b (c) d) e')).toBe('a   e');
		expect(removeParenthesized('a (b c')).toBe('a  b c');
		expect(removeParenthesized('a) b')).toBe('a  b');
	});
});

describe('authorsFromParsed', () => {
	it('builds "Forenames Keyname Suffix" and ignores a fourth (affiliation) element', () => {
		expect(
			authorsFromParsed([
				['Harvey', 'Paul', ''],
				['Evans', 'Neal J.', 'II'],
				['Mishchenko', 'A. S.', '', '1 and 2'],
				['The BABAR Collaboration', '', ''],
				['Gähler', 'Franz', '']
			])
		).toEqual([
			'Paul Harvey',
			'Neal J. Evans II',
			'A. S. Mishchenko',
			'The BABAR Collaboration',
			'Franz Gähler'
		]);
	});

	it('converts LaTeX that is still in the parts and drops entries with no name', () => {
		expect(
			authorsFromParsed([
				[raw`Bal\'azs`, 'C.', ''],
				[':', '', ''],
				['Yuan', 'C. -P.', '']
			])
		).toEqual(['C. Balázs', 'C.-P. Yuan']);
	});

	it('drops "et al" and "and others" entries, which arXiv\'s splitter can leave', () => {
		expect(
			authorsFromParsed([
				['Smith', 'A.', ''],
				['al.', 'et', ''],
				['others', 'and', '']
			])
		).toEqual(['A. Smith']);
	});

	it('returns null for anything that is not a list of name lists', () => {
		for (const bad of [
			null,
			undefined,
			'A. Smith',
			3,
			{},
			[],
			[[]],
			[['Smith', 2]],
			['Smith'],
			[[':']]
		]) {
			expect(authorsFromParsed(bad), JSON.stringify(bad)).toBeNull();
		}
	});
});

describe('authorFromOaiParts', () => {
	it('joins forenames, keyname and suffix', () => {
		expect(authorFromOaiParts({ keyname: 'Sergyeyev', forenames: 'A.' })).toBe('A. Sergyeyev');
		expect(authorFromOaiParts({ keyname: 'W.', forenames: 'R.', suffix: 'IV' })).toBe('R. W. IV');
		expect(authorFromOaiParts({ keyname: 'Planck Collaboration' })).toBe('Planck Collaboration');
		expect(authorFromOaiParts({ keyname: 'de Perio', forenames: 'P.', suffix: null })).toBe(
			'P. de Perio'
		);
	});

	it('drops the entries arXiv leaves after "Collaboration:" (real OAI-PMH record)', () => {
		// hepcrawl-unit/sample_arxiv_record8.xml, first three authors.
		expect(
			authorsFromOaiParts([
				{ keyname: 'Collaboration', forenames: 'Super-Kamiokande' },
				{ keyname: ':' },
				{ keyname: 'Abe', forenames: 'K.' }
			])
		).toEqual(['Super-Kamiokande Collaboration', 'K. Abe']);
	});
});

const snapshotPath = sharedData('arxiv-kaggle-sample/arxiv-metadata-oai-snapshot.head200.jsonl');

describe.skipIf(!snapshotPath)('the 200-record arXiv snapshot sample', () => {
	const records = snapshotPath
		? fs
				.readFileSync(path.resolve(snapshotPath), 'utf8')
				.trim()
				.split('\n')
				.map((line) => JSON.parse(line) as { id: string; authors: string; authors_parsed: unknown })
		: [];

	it('yields the same names from the plain string and from authors_parsed', () => {
		let sameCount = 0;
		let sameNames = 0;
		for (const record of records) {
			const fromString = parseAuthorList(record.authors);
			const fromParsed = authorsFromParsed(record.authors_parsed);
			expect(fromParsed, record.id).not.toBeNull();
			if (fromParsed?.length === fromString.length) sameCount++;
			if (JSON.stringify(fromParsed) === JSON.stringify(fromString)) sameNames++;
		}
		expect(records).toHaveLength(200);
		// Measured: all 200 records agree on the count and on every name.
		expect(sameCount).toBe(200);
		expect(sameNames).toBe(200);
	});
});
