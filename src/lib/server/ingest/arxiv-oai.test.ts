import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OaiMalformedResponseError, OaiPmhError, oaiDay, parseOaiResponse } from './arxiv-oai';

const fixtures = path.resolve(import.meta.dirname, '../../../../tests/fixtures/oai');
const fixture = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');

/** A ListRecords response around the given records. */
function listRecords(records: string, resumption = ''): string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2024-01-05T03:00:00Z</responseDate>
<request verb="ListRecords">https://export.arxiv.org/oai2</request><ListRecords>${records}${resumption}</ListRecords></OAI-PMH>`;
}

function arxivRecord(id: string, meta: string, datestamp = '2024-01-02'): string {
	return `<record><header><identifier>oai:arXiv.org:${id}</identifier><datestamp>${datestamp}</datestamp>
<setSpec>cs</setSpec></header><metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/">${meta}</arXiv></metadata></record>`;
}

describe('parseOaiResponse: arXivRaw', () => {
	it('takes the latest version, the first version date as published and the latest as updated', () => {
		const page = parseOaiResponse(fixture('arxivraw-cs-page1.xml'));
		expect(page.records).toBe(2);
		expect(page.skipped).toEqual([]);
		const [paper, old] = page.papers;
		expect(paper).toMatchObject({
			id: '2312.09001',
			version: 2,
			title: 'Sparse Retrieval for Long Documents',
			abstract:
				'We study sparse retrieval over long documents and show that $k$-NN search over passages improves recall.',
			authors: ['Ana Martínez', 'Jürgen Müller', 'Li Wei'],
			authorsText: String.raw`Ana Mart\'inez (UPM), Jürgen M\"uller and Li Wei`,
			submitter: String.raw`Ana Mart\'inez`,
			categories: ['cs.IR', 'cs.CL'],
			publishedAt: '2023-12-14T18:59:01.000Z',
			updatedAt: '2024-01-02T09:12:45.000Z',
			doi: '10.1145/0000001.0000002',
			journalRef: 'Proc. SIGIR 2024',
			comment: '12 pages; v2: typos fixed',
			reportNo: 'UPM-CS-2023-17',
			license: 'https://creativecommons.org/licenses/by/4.0/'
		});
		expect(old).toMatchObject({ id: 'cs/9901001', version: 1, categories: ['cs.DS'] });
		expect(old.publishedAt).toBe(old.updatedAt);
		expect(page.maxDatestamp).toBe('2024-01-02');
		expect(page.resumption).toEqual({
			token: '6961234|1001',
			cursor: 0,
			completeListSize: 7,
			expirationDate: null
		});
	});

	it('orders versions by number, whatever order they are listed in', () => {
		const page = parseOaiResponse(fixture('arxivraw-cs-page2.xml'));
		expect(page.papers).toHaveLength(1);
		expect(page.papers[0]).toMatchObject({
			id: '2401.00003',
			version: 3,
			publishedAt: '2024-01-01T08:00:00.000Z',
			updatedAt: '2024-01-03T10:00:00.000Z',
			// Primary first, the repeated one once.
			categories: ['stat.ML', 'cs.LG'],
			authors: ['S. Smith', 'ATLAS Collaboration']
		});
	});

	it('reports a deleted record apart, without a paper or a problem', () => {
		const page = parseOaiResponse(fixture('arxivraw-cs-page2.xml'));
		expect(page.deleted).toEqual([
			{ identifier: 'oai:arXiv.org:2312.09002', datestamp: '2024-01-03' }
		]);
		expect(page.skipped).toEqual([]);
		expect(page.records).toBe(2);
	});

	it('skips a malformed record with its identifier and reason, and reads the rest', () => {
		const page = parseOaiResponse(fixture('arxivraw-cs-page3.xml'));
		expect(page.skipped).toEqual([
			{ index: 0, identifier: 'oai:arXiv.org:2401.00004', reason: 'missing <title>' }
		]);
		expect(page.papers.map((p) => p.id)).toEqual(['2401.00005', '2401.00006']);
		// Numeric character references decoded; LaTeX kept in the text, converted in names.
		expect(page.papers[0].title).toBe(String.raw`Entities & Accents: Martínez and {\"o}`);
		expect(page.papers[0].authors).toEqual(['E. Martínez', 'K. Gödel']);
		// The last page: an empty token ends the list; the latest datestamp of any record counts.
		expect(page.resumption).toEqual({
			token: null,
			cursor: 4,
			completeListSize: 7,
			expirationDate: null
		});
		expect(page.maxDatestamp).toBe('2024-01-04');
	});

	it.each([
		['no version', '', 'no <version>'],
		[
			'a bad version label',
			'<version version="two"><date>Mon, 1 Jan 2024 08:00:00 GMT</date></version>',
			'bad version label "two"'
		],
		[
			'a bad version date',
			'<version version="v1"><date>yesterday</date></version>',
			'bad date for v1: "yesterday"'
		]
	])('skips a record with %s', (_name, versions, reason) => {
		const xml = listRecords(
			`<record><header><identifier>oai:arXiv.org:2401.00010</identifier><datestamp>2024-01-02</datestamp></header>
<metadata><arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/"><id>2401.00010</id>${versions}<title>T</title>
<authors>A. B</authors><categories>cs.AI</categories><abstract>x</abstract></arXivRaw></metadata></record>`
		);
		expect(parseOaiResponse(xml).skipped).toEqual([
			{ index: 0, identifier: 'oai:arXiv.org:2401.00010', reason }
		]);
	});
});

describe('parseOaiResponse: arXiv format', () => {
	const meta = (extra: string) =>
		`<id>2401.00020</id><created>2024-01-01</created>${extra}<authors><author><keyname>M{\\"u}ller</keyname>
<forenames>Hans-Peter</forenames><suffix>Jr</suffix></author><author><keyname>ATLAS Collaboration</keyname></author>
</authors><title>A  title
  wrapped</title><categories>hep-ex hep-ph</categories><abstract> x </abstract>`;

	it('builds names from their parts and carries no version', () => {
		const page = parseOaiResponse(
			listRecords(arxivRecord('2401.00020', meta('<updated>2024-01-02</updated>')))
		);
		expect(page.papers[0]).toMatchObject({
			id: '2401.00020',
			version: null,
			title: 'A title wrapped',
			authors: ['Hans-Peter Müller Jr', 'ATLAS Collaboration'],
			authorsText: null,
			submitter: null,
			publishedAt: '2024-01-01T00:00:00.000Z',
			updatedAt: '2024-01-02T00:00:00.000Z'
		});
	});

	it('uses the created day as updated when there is no <updated>', () => {
		const page = parseOaiResponse(listRecords(arxivRecord('2401.00020', meta(''))));
		expect(page.papers[0].updatedAt).toBe('2024-01-01T00:00:00.000Z');
	});

	it.each([
		[
			'an impossible created day',
			meta('').replace('2024-01-01', '2024-02-30'),
			/bad or missing <created>/
		],
		[
			'an <id> other than the header',
			meta('').replace('2401.00020', '2401.00021'),
			/does not match/
		],
		['an unparseable <id>', meta('').replace('2401.00020', 'nonsense'), /invalid arXiv id/]
	])('skips a record with %s', (_name, body, reason) => {
		const page = parseOaiResponse(listRecords(arxivRecord('2401.00020', body)));
		expect(page.papers).toEqual([]);
		expect(page.skipped[0].reason).toMatch(reason);
	});

	it('skips a record whose identifier is not arXiv', () => {
		const page = parseOaiResponse(
			listRecords(arxivRecord('2401.00020', meta('')).replace('oai:arXiv.org:', 'oai:example.org:'))
		);
		expect(page.skipped).toEqual([
			{
				index: 0,
				identifier: 'oai:example.org:2401.00020',
				reason: 'not an arXiv identifier "oai:example.org:2401.00020"'
			}
		]);
	});
});

describe('parseOaiResponse: errors and odd responses', () => {
	it('reads noRecordsMatch as an empty, complete page', () => {
		expect(parseOaiResponse(fixture('no-records-match.xml'))).toEqual({
			papers: [],
			deleted: [],
			skipped: [],
			records: 0,
			maxDatestamp: null,
			resumption: null,
			responseDate: '2024-01-06T03:00:01Z',
			noRecordsMatch:
				'The combination of the values of the from, until, set and metadataPrefix arguments results in an empty list.'
		});
	});

	it('throws badResumptionToken and badArgument with arXiv message and what to do', () => {
		expect(() => parseOaiResponse(fixture('bad-resumption-token.xml'))).toThrow(
			/badResumptionToken: Invalid or expired resumption token — .*start again from a date/
		);
		let error: unknown;
		try {
			parseOaiResponse(fixture('bad-argument.xml'));
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(OaiPmhError);
		expect(error).toMatchObject({ code: 'badArgument' });
		expect((error as Error).message).toMatch(/Unknown set 'nosuchset'.*check the set/);
	});

	it('throws a malformed-response error for a body cut mid-XML', () => {
		const full = fixture('arxivraw-cs-page1.xml');
		for (const cut of [100, Math.floor(full.length / 2), full.length - 20]) {
			expect(() => parseOaiResponse(full.slice(0, cut))).toThrow(OaiMalformedResponseError);
		}
		expect(() => parseOaiResponse('<html><body>Service Unavailable</body></html>')).toThrow(
			'not an OAI-PMH response (root element <html>)'
		);
		expect(() => parseOaiResponse('')).toThrow(OaiMalformedResponseError);
	});

	it('reads an empty <ListRecords/> as an empty page', () => {
		const xml = '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords/></OAI-PMH>';
		expect(parseOaiResponse(xml)).toMatchObject({ papers: [], records: 0, resumption: null });
	});
});

describe('oaiDay', () => {
	it('accepts real days (and a datestamp with a time), rejects the rest', () => {
		expect(oaiDay('2024-02-29')).toBe('2024-02-29');
		expect(oaiDay('2024-01-02T10:00:00Z')).toBe('2024-01-02');
		expect(oaiDay('2023-02-29')).toBeNull();
		expect(oaiDay('2024-1-2')).toBeNull();
		expect(oaiDay('1900-01-01')).toBeNull();
		expect(oaiDay(null)).toBeNull();
	});
});
