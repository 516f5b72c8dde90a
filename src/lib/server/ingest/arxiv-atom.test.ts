import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArxivId } from '$lib/core/arxiv-id';
import { collapseWhitespace, type PaperRecord } from '$lib/core/paper';
import { sharedData } from '$support/shared-data';
import { ArxivApiError, parseArxivAtom, type AtomParseResult } from './arxiv-atom';

// ---- hand-written fixtures -------------------------------------------------------------

const escapeXml = (text: string) =>
	text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function feed(entries: string[], head = ''): string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <title>arXiv Query: test</title>
  ${head}
  ${entries.join('\n')}
</feed>`;
}

interface EntryParts {
	id?: string | null;
	title?: string;
	published?: string | null;
	updated?: string | null;
	extra?: string;
}

/** A valid entry; `null` leaves an element out, strings are inserted raw (already XML). */
function entry(parts: EntryParts = {}): string {
	const element = (name: string, value: string | null | undefined, fallback: string) =>
		value === null ? '' : `<${name}>${value ?? fallback}</${name}>`;
	return `<entry>
    ${element('id', parts.id, 'http://arxiv.org/abs/2401.00001v2')}
    ${element('title', parts.title, 'A title')}
    ${element('updated', parts.updated, '2024-01-03T10:00:00Z')}
    ${element('published', parts.published, '2024-01-01T09:30:00Z')}
    <summary>An abstract.</summary>
    <author><name>Solo Author</name></author>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <arxiv:primary_category term="cs.LG"/>
    ${parts.extra ?? ''}
  </entry>`;
}

/** XML 1.0 cannot carry most control characters at all, so arXiv never sends them. */
function xmlCanCarry(text: string): boolean {
	return [...text].every((char) => {
		const code = char.codePointAt(0) ?? 0;
		if (code < 0x20) return code === 0x09 || code === 0x0a || code === 0x0d;
		return code !== 0xfffe && code !== 0xffff;
	});
}

function onlyPaper(result: AtomParseResult): PaperRecord {
	expect(result.skipped).toEqual([]);
	expect(result.papers).toHaveLength(1);
	return result.papers[0];
}

describe('parseArxivAtom on hand-written feeds', () => {
	it('maps a single-entry feed with one author and one category to arrays', () => {
		const paper = onlyPaper(parseArxivAtom(feed([entry()])));
		expect(paper).toEqual({
			id: '2401.00001',
			version: 2,
			title: 'A title',
			abstract: 'An abstract.',
			authors: ['Solo Author'],
			categories: ['cs.LG'],
			publishedAt: '2024-01-01T09:30:00.000Z',
			updatedAt: '2024-01-03T10:00:00.000Z',
			pdfUrl: null,
			codeUrl: null,
			codeStars: null,
			projectPage: null,
			aiSummary: null,
			aiKeywords: [],
			doi: null,
			journalRef: null,
			comment: null,
			reportNo: null,
			license: null,
			submitter: null,
			authorsText: null,
			sourceUpvotes: null,
			numComments: null,
			observedAt: null
		} satisfies PaperRecord);
	});

	it('decodes entities but keeps LaTeX verbatim, collapsing whitespace', () => {
		const paper = onlyPaper(
			parseArxivAtom(
				feed([
					entry({
						title: 'Bounds for $a &lt; b$ &amp;\n   the  caf&#233; &#x3b1;-problem',
						extra: '<summary>  We show $\\sum_{i&lt;n} x_i^2 \\geq 0$\n  for all\n x.  </summary>'
					})
				])
			)
		);
		expect(paper.title).toBe('Bounds for $a < b$ & the café α-problem');
		// The first <summary> wins: duplicated elements must not crash the mapping.
		expect(paper.abstract).toBe('An abstract.');
	});

	it('keeps a title that looks like a number as text', () => {
		for (const title of ['0', '007', '1e3', '0x1F', 'true']) {
			expect(onlyPaper(parseArxivAtom(feed([entry({ title })]))).title).toBe(title);
		}
	});

	it('reports a missing id, an invalid id, an empty title and bad dates, keeping the rest', () => {
		const result = parseArxivAtom(
			feed([
				entry({ id: null }),
				entry({ id: 'http://arxiv.org/abs/not-an-id' }),
				entry({ title: '  \n ' }),
				entry({ published: '2021-02-30T00:00:00Z' }),
				entry({ published: 'yesterday' }),
				entry({ updated: '2024-13-01T00:00:00Z' }),
				entry({ published: null }),
				entry({ id: 'http://arxiv.org/abs/hep-th/9901001v3' })
			])
		);
		expect(result.papers.map((p) => [p.id, p.version])).toEqual([['hep-th/9901001', 3]]);
		expect(result.skipped).toEqual([
			{ index: 0, id: null, reason: 'missing <id>' },
			{
				index: 1,
				id: 'http://arxiv.org/abs/not-an-id',
				reason: 'invalid arXiv id "http://arxiv.org/abs/not-an-id"'
			},
			{ index: 2, id: 'http://arxiv.org/abs/2401.00001v2', reason: 'empty title' },
			{
				index: 3,
				id: 'http://arxiv.org/abs/2401.00001v2',
				reason: 'bad date <published> "2021-02-30T00:00:00Z"'
			},
			{
				index: 4,
				id: 'http://arxiv.org/abs/2401.00001v2',
				reason: 'bad date <published> "yesterday"'
			},
			{
				index: 5,
				id: 'http://arxiv.org/abs/2401.00001v2',
				reason: 'bad date <updated> "2024-13-01T00:00:00Z"'
			},
			{ index: 6, id: 'http://arxiv.org/abs/2401.00001v2', reason: 'missing <published>' }
		]);
	});

	it('reports an empty <entry/> instead of throwing', () => {
		const result = parseArxivAtom(feed(['<entry/>', entry()]));
		expect(result.papers).toHaveLength(1);
		expect(result.skipped).toEqual([{ index: 0, id: null, reason: 'empty <entry>' }]);
	});

	it('falls back to <published> when <updated> is absent', () => {
		const paper = onlyPaper(parseArxivAtom(feed([entry({ updated: null })])));
		expect(paper.updatedAt).toBe(paper.publishedAt);
	});

	it('puts the primary category first, de-duplicated, and finds the pdf link by type', () => {
		const paper = onlyPaper(
			parseArxivAtom(
				feed([
					`<entry>
						<id>https://arxiv.org/abs/2401.00002</id><title>T</title>
						<published>2024-01-01T00:00:00Z</published>
						<category term="math.CO"/><category term="cs.DM"/><category term=" "/><category term="math.CO"/>
						<arxiv:primary_category term="cs.DM"/>
						<link href="https://arxiv.org/abs/2401.00002" rel="alternate" type="text/html"/>
						<link href="https://arxiv.org/pdf/2401.00002" rel="related" type="application/pdf"/>
						<arxiv:doi>10.1000/xyz</arxiv:doi>
						<arxiv:journal_ref>J. Things 1 (2024)</arxiv:journal_ref>
						<arxiv:comment>  12 pages,
						  3 figures </arxiv:comment>
					</entry>`
				])
			)
		);
		expect(paper.id).toBe('2401.00002');
		expect(paper.version).toBeNull();
		expect(paper.categories).toEqual(['cs.DM', 'math.CO']);
		expect(paper.authors).toEqual([]);
		expect(paper.pdfUrl).toBe('https://arxiv.org/pdf/2401.00002');
		expect(paper.doi).toBe('10.1000/xyz');
		expect(paper.journalRef).toBe('J. Things 1 (2024)');
		expect(paper.comment).toBe('12 pages, 3 figures');
	});

	it('drops a non-http pdf link', () => {
		const xml = feed([entry({ extra: '<link title="pdf" href="javascript:alert(1)"/>' })]);
		expect(onlyPaper(parseArxivAtom(xml)).pdfUrl).toBeNull();
	});

	it('reads the OpenSearch paging, or null when absent', () => {
		const paged = parseArxivAtom(
			feed(
				[],
				[
					'<opensearch:totalResults>42</opensearch:totalResults>',
					'<opensearch:startIndex>10</opensearch:startIndex>',
					'<opensearch:itemsPerPage>5</opensearch:itemsPerPage>'
				].join('')
			)
		);
		expect(paged).toEqual({
			papers: [],
			skipped: [],
			totalResults: 42,
			startIndex: 10,
			itemsPerPage: 5
		});
		const bare = parseArxivAtom(feed([]));
		expect([bare.totalResults, bare.startIndex, bare.itemsPerPage]).toEqual([null, null, null]);
	});

	it('throws ArxivApiError for error feeds, non-Atom and truncated bodies', () => {
		const errorFeed = feed([
			entry({ id: 'http://arxiv.org/api/errors#start_must_be_an_integer', extra: '' }).replace(
				'An abstract.',
				'start must be an integer'
			)
		]);
		expect(() => parseArxivAtom(errorFeed)).toThrow(ArxivApiError);
		expect(() => parseArxivAtom(errorFeed)).toThrow('arXiv API error: start must be an integer');
		expect(() => parseArxivAtom('')).toThrow(ArxivApiError);
		expect(() => parseArxivAtom('Rate exceeded.')).toThrow(ArxivApiError);
		expect(() => parseArxivAtom('<html><body><h1>503</h1></body></html>')).toThrow(
			/not an Atom feed \(root element <html>\)/
		);
		const whole = feed([entry(), entry()]);
		for (const cut of [whole.length - 3, whole.indexOf('</entry>') + 8, 200]) {
			expect(() => parseArxivAtom(whole.slice(0, cut))).toThrow(/not well-formed XML/);
		}
	});

	it('round-trips any printable title through XML escaping', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (title) => {
				fc.pre(xmlCanCarry(title));
				const result = parseArxivAtom(feed([entry({ title: escapeXml(title) })]));
				const expected = collapseWhitespace(title);
				if (expected) expect(result.papers[0]?.title).toBe(expected);
				else expect(result.skipped[0]?.reason).toBe('empty title');
			})
		);
	});
});

// ---- real recorded arXiv responses --------------------------------------------------------

const dataDir = sharedData('arxiv-api-atom');

interface Recording {
	name: string;
	status: number;
	body: string;
}

function loadAll(dir: string): Recording[] {
	const recorded = fs
		.readdirSync(path.join(dir, 'recorded'))
		.filter((n) => n.endsWith('.json'))
		.map((name) => {
			const data = JSON.parse(fs.readFileSync(path.join(dir, 'recorded', name), 'utf8')) as {
				status_code: number;
				body: string;
			};
			return { name: `recorded/${name}`, status: data.status_code, body: data.body };
		});
	const old = fs
		.readdirSync(path.join(dir, 'xml-2016'))
		.filter((n) => n.endsWith('.xml'))
		.map((name) => ({
			name: `xml-2016/${name}`,
			status: 200,
			body: fs.readFileSync(path.join(dir, 'xml-2016', name), 'utf8')
		}));
	return [...recorded, ...old].sort((a, b) => a.name.localeCompare(b.name));
}

const recordings = dataDir ? loadAll(dataDir) : [];

function recording(prefix: string): Recording {
	const found = recordings.filter((r) => r.name.startsWith(prefix));
	if (found.length !== 1) throw new Error(`expected one recording named ${prefix}*`);
	return found[0];
}

const entryCount = (xml: string) => xml.match(/<entry>/g)?.length ?? 0;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/;

describe.skipIf(!dataDir)('parseArxivAtom on recorded arXiv responses', () => {
	it('finds all 25 responses and 246 entries PROVENANCE.md lists', () => {
		expect(recordings).toHaveLength(25);
		expect(recordings.reduce((n, r) => n + entryCount(r.body), 0)).toBe(246);
	});

	it('turns every entry of every successful response into a valid paper', () => {
		let papers = 0;
		for (const r of recordings.filter((r) => r.status === 200)) {
			const result = parseArxivAtom(r.body);
			expect(result.skipped, r.name).toEqual([]);
			expect(result.papers.length, r.name).toBe(entryCount(r.body));
			for (const p of result.papers) {
				const where = `${r.name} ${p.id}`;
				expect(parseArxivId(p.id), where).toEqual({ id: p.id, version: null });
				expect(p.version, where).toBeGreaterThanOrEqual(1);
				expect(p.title, where).toBe(collapseWhitespace(p.title));
				expect(p.title.length, where).toBeGreaterThan(0);
				expect(p.abstract.length, where).toBeGreaterThan(0);
				expect(p.authors.length, where).toBeGreaterThan(0);
				expect(p.categories.length, where).toBeGreaterThan(0);
				expect(new Set(p.categories).size, where).toBe(p.categories.length);
				expect(p.publishedAt, where).toMatch(ISO);
				expect(p.updatedAt, where).toMatch(ISO);
				expect(p.updatedAt >= p.publishedAt, where).toBe(true);
				expect(p.pdfUrl, where).toMatch(/^https?:\/\/arxiv\.org\/pdf\//);
				// Version 1 records are published and updated in the same instant.
				if (p.version === 1) expect(p.updatedAt, where).toBe(p.publishedAt);
			}
			papers += result.papers.length;
		}
		expect(papers).toBe(245);
	});

	it('reads the versioned lookup 2104.12255v1, whose title is the single character 0', () => {
		const paper = onlyPaper(parseArxivAtom(recording('recorded/id_2104.12255v1').body));
		expect(paper).toMatchObject({
			id: '2104.12255',
			version: 1,
			title: '0',
			authors: ['Quan Thoi Minh Nguyen'],
			categories: ['cs.CR'],
			publishedAt: '2021-04-20T16:07:14.000Z',
			updatedAt: '2021-04-20T16:07:14.000Z',
			pdfUrl: 'https://arxiv.org/pdf/2104.12255v1',
			doi: null,
			journalRef: null,
			comment: null
		});
		expect(paper.abstract).toMatch(/^What is the funniest number in cryptography\? 0\./);
		expect(paper.abstract).toContain('$35,000');
	});

	it('reads the old-style id astro-ph/0601001 with entities, journal ref and affiliations', () => {
		const result = parseArxivAtom(recording('recorded/id_astro-ph_0601001').body);
		const paper = onlyPaper(result);
		expect(paper).toMatchObject({
			id: 'astro-ph/0601001',
			version: 1,
			categories: ['astro-ph'],
			authors: ['Andrew Gould', 'Susan Dorsher', 'B. Scott Gaudi', 'Andrzej Udalski'],
			publishedAt: '2006-01-02T14:57:58.000Z',
			journalRef: 'ActaAstron.56:1-50,2006',
			pdfUrl: 'https://arxiv.org/pdf/astro-ph/0601001v1'
		});
		expect(paper.title).toBe(
			'Frequency of Hot Jupiters and Very Hot Jupiters from the OGLE-III Transit Surveys Toward the Galactic Bulge and Carina'
		);
		expect(paper.abstract).toMatch(/^We derive the frequencies/);
		expect(paper.abstract).toContain('Gould & Morgan (2003)');
		expect(paper.abstract).toContain('V_max<17.5');
		expect(paper.abstract).toContain('(1/310)(1^{+1.39}_{-0.59})');
		expect(paper.comment).toMatch(/^62 pages including 16 figures/);
		expect(result).toMatchObject({ totalResults: 1, startIndex: 0, itemsPerPage: 100 });
	});

	it('reads quant-ph/0201082v1 with a cross-list category', () => {
		const paper = onlyPaper(parseArxivAtom(recording('recorded/id_quant-ph_0201082v1').body));
		expect(paper).toMatchObject({ id: 'quant-ph/0201082', version: 1 });
		expect(paper.categories).toEqual(['quant-ph', 'cs.PL']);
	});

	it('returns only the existing paper of the two-id lookup', () => {
		const result = parseArxivAtom(recording('recorded/id_0808.05394_1707.08567').body);
		const paper = onlyPaper(result);
		expect(result.totalResults).toBe(1);
		expect(paper).toMatchObject({ id: '1707.08567', version: 1, categories: ['cs.IT'] });
		expect(paper.authors).toHaveLength(34);
		expect(paper.authors[0]).toBe('Kees A. Schouhamer Immink');
		expect(paper.authors.at(-1)).toBe('Hirosuke Yamamoto');
		// Same paper as the single-id lookup, field for field.
		expect(onlyPaper(parseArxivAtom(recording('recorded/id_1707.08567').body))).toEqual(paper);
	});

	it('returns an empty page for lookups of ids arXiv does not have', () => {
		for (const name of ['recorded/id_0000.0000', 'recorded/id_0808.05394_s0']) {
			expect(parseArxivAtom(recording(name).body)).toEqual({
				papers: [],
				skipped: [],
				totalResults: 0,
				startIndex: 0,
				itemsPerPage: 100
			});
		}
	});

	it('throws ArxivApiError with the message of the `abc` 400 error feed', () => {
		const r = recording('recorded/id_abc');
		expect(r.status).toBe(400);
		let caught: unknown;
		try {
			parseArxivAtom(r.body);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(ArxivApiError);
		expect((caught as ArxivApiError).message).toBe('arXiv API error: incorrect id format for abc');
		expect((caught as ArxivApiError).errorId).toBe(
			'https://arxiv.org/api/errors#incorrect_id_format_for_abc'
		);
	});

	it('reads the paging of the search pages, and the pages agree with each other', () => {
		const all = parseArxivAtom(recording('recorded/q_testing_s0_m100').body);
		expect(all).toMatchObject({ totalResults: 214881, startIndex: 0, itemsPerPage: 100 });
		expect(all.papers).toHaveLength(100);
		const pages = recordings.filter((r) => /^recorded\/q_testing_s\d+_m\d+_/.test(r.name));
		expect(pages).toHaveLength(11);
		for (const page of pages) {
			const [, start, max] = /_s(\d+)_m(\d+)_/.exec(page.name)!.map(Number);
			const result = parseArxivAtom(page.body);
			expect(result, page.name).toMatchObject({
				totalResults: 214881,
				startIndex: start,
				itemsPerPage: max
			});
			expect(result.papers.map((p) => p.id)).toEqual(
				all.papers.slice(start, start + max).map((p) => p.id)
			);
		}
	});

	it('decodes entities in real titles and keeps the recording as it is', () => {
		const page = parseArxivAtom(recording('recorded/q_testing_s0_m10_').body);
		expect(page.papers.find((p) => p.id === '2302.03287')?.title).toBe(
			'ChatGPT and Software Testing Education: Promises & Perils'
		);
		// The recordings hold UTF-8 read as Latin-1 (ω → "Ï\u0089"); the parser must not
		// guess at repairs, so the mojibake comes through, less its C1 control character
		// (U+0089), which every importer strips (core/paper-safety.ts).
		const big = parseArxivAtom(recording('recorded/q_testing_s0_m100').body);
		expect(
			big.papers.find((p) =>
				p.title.endsWith('Test: WebView-Oriented Testing for Android Applications')
			)?.title
		).toBe('$\u00cf$Test: WebView-Oriented Testing for Android Applications');
	});

	it('reads the 2016 feed style: per-element namespaces, multi-line titles, DOI', () => {
		const result = parseArxivAtom(recording('xml-2016/id_list_1111.2011v2').body);
		const paper = onlyPaper(result);
		expect(paper).toMatchObject({
			id: '1111.2011',
			version: 2,
			title:
				'Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit',
			authors: ['James M. Murray', 'Adrian Del Maestro', 'Zlatko Tesanovic'],
			categories: ['cond-mat.str-el', 'cond-mat.stat-mech'],
			publishedAt: '2011-11-08T18:48:36.000Z',
			updatedAt: '2012-04-02T12:38:54.000Z',
			pdfUrl: 'http://arxiv.org/pdf/1111.2011v2',
			doi: '10.1103/PhysRevB.85.115117',
			journalRef: 'Phys. Rev. B 85, 115117 (2012)',
			comment: '8 pages, 3 figures. Published version'
		});
		expect(paper.abstract).toMatch(
			/^Theoretical description of anisotropic systems, such as layered superconductors/
		);
		expect(result).toMatchObject({ totalResults: 1, startIndex: 0, itemsPerPage: 10 });

		const checkerboard = onlyPaper(
			parseArxivAtom(recording('xml-2016/search_query_au_del_maestro+AND+ti_checkerboard').body)
		);
		expect(checkerboard).toMatchObject({
			id: 'cond-mat/0603029',
			version: 1,
			categories: ['cond-mat.str-el', 'cond-mat.supr-con'],
			title:
				'From stripe to checkerboard order on the square lattice in the presence of quenched disorder'
		});
	});
});
