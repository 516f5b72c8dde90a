import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedData } from '$support/shared-data';
import { parseSnapshotLine, parseSnapshotRecord } from './arxiv-snapshot';

/** A snapshot record in the Kaggle file's exact shape; override what the test is about. */
function snapshotRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		id: '0704.0001',
		submitter: 'Pavel Nadolsky',
		authors: "C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan",
		title:
			'Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC energies',
		comments: '37 pages, 15 figures; published version',
		'journal-ref': 'Phys.Rev.D76:013009,2007',
		doi: '10.1103/PhysRevD.76.013009',
		'report-no': 'ANL-HEP-PR-07-12',
		categories: 'hep-ph',
		license: null,
		abstract:
			'  A fully differential calculation in perturbative quantum chromodynamics is\npresented.\n',
		versions: [
			{ version: 'v1', created: 'Mon, 2 Apr 2007 19:18:42 GMT' },
			{ version: 'v2', created: 'Tue, 24 Jul 2007 20:10:27 GMT' }
		],
		update_date: '2008-11-26',
		authors_parsed: [
			['Balázs', 'C.', ''],
			['Berger', 'E. L.', ''],
			['Nadolsky', 'P. M.', ''],
			['Yuan', 'C. -P.', '']
		],
		...overrides
	};
}

describe('parseSnapshotRecord', () => {
	it('normalizes a real record: versions, dates, authors, bibliography', () => {
		expect(parseSnapshotRecord(snapshotRecord())).toEqual({
			id: '0704.0001',
			version: 2,
			title:
				'Calculation of prompt diphoton production cross sections at Tevatron and LHC energies',
			abstract:
				'A fully differential calculation in perturbative quantum chromodynamics is presented.',
			authors: ['C. Balázs', 'E. L. Berger', 'P. M. Nadolsky', 'C.-P. Yuan'],
			categories: ['hep-ph'],
			publishedAt: '2007-04-02T19:18:42.000Z',
			updatedAt: '2007-07-24T20:10:27.000Z',
			pdfUrl: null,
			codeUrl: null,
			codeStars: null,
			projectPage: null,
			aiSummary: null,
			aiKeywords: [],
			doi: '10.1103/PhysRevD.76.013009',
			journalRef: 'Phys.Rev.D76:013009,2007',
			comment: '37 pages, 15 figures; published version',
			reportNo: 'ANL-HEP-PR-07-12',
			license: null,
			submitter: 'Pavel Nadolsky',
			authorsText: "C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan",
			sourceUpvotes: null,
			numComments: null,
			observedAt: null
		});
	});

	it('takes the primary category first, and versions in any order', () => {
		const paper = parseSnapshotRecord(
			snapshotRecord({
				id: 'hep-th/9901001',
				categories: 'hep-th gr-qc hep-th',
				versions: [
					{ version: 'v3', created: 'Wed, 3 Mar 1999 10:00:00 GMT' },
					{ version: 'v1', created: 'Fri, 1 Jan 1999 10:00:00 GMT' }
				]
			})
		);
		expect(paper).toMatchObject({
			id: 'hep-th/9901001',
			version: 3,
			categories: ['hep-th', 'gr-qc'],
			publishedAt: '1999-01-01T10:00:00.000Z',
			updatedAt: '1999-03-03T10:00:00.000Z'
		});
	});

	it('falls back to the byline when authors_parsed is missing or malformed', () => {
		for (const authors_parsed of [undefined, 'nonsense', [['only', 5]]]) {
			const paper = parseSnapshotRecord(
				snapshotRecord({ authors: 'A. Smith, B. J{\\"o}rg and C. Doe', authors_parsed })
			);
			expect(paper).toMatchObject({ authors: ['A. Smith', 'B. Jörg', 'C. Doe'] });
		}
	});

	it('explains why a record is refused', () => {
		const cases: [unknown, RegExp][] = [
			[[1, 2], /^not a JSON object$/],
			[snapshotRecord({ id: undefined }), /^missing id$/],
			[snapshotRecord({ id: 'foo/1234567' }), /^invalid arXiv id "foo\/1234567"$/],
			[snapshotRecord({ id: '0704.0001v2' }), /^invalid arXiv id/],
			[snapshotRecord({ title: '  \n ' }), /^missing title$/],
			[snapshotRecord({ abstract: 'x'.repeat(10 << 20) }), /^abstract is 10,485,760 characters/],
			[snapshotRecord({ versions: [] }), /^no versions$/],
			[snapshotRecord({ versions: [{ version: 'v1', created: 'someday' }] }), /^bad version entry/]
		];
		for (const [record, reason] of cases) expect(parseSnapshotRecord(record)).toMatch(reason);
	});

	it('reports a line that is not JSON', () => {
		expect(parseSnapshotLine('{"id": "0704.0001", "title": ')).toMatch(/^not JSON \(/);
	});
});

describe('the shared snapshot sample', () => {
	const dir = sharedData('arxiv-kaggle-sample');
	it.skipIf(!dir)('parses all 200 records with ids, dates and authors', () => {
		const lines = fs
			.readFileSync(path.join(dir!, 'arxiv-metadata-oai-snapshot.head200.jsonl'), 'utf8')
			.split('\n')
			.filter(Boolean);
		const papers = lines.map(parseSnapshotLine);
		expect(papers.filter((p) => typeof p === 'string')).toEqual([]);
		for (const paper of papers) {
			if (typeof paper === 'string') continue;
			expect(paper.id).toMatch(/^0704\.0\d{3}$/);
			expect(paper.authors.length).toBeGreaterThan(0);
			expect(paper.categories.length).toBeGreaterThan(0);
			expect(paper.publishedAt <= paper.updatedAt).toBe(true);
			expect(paper.title).not.toMatch(/\n|\s\s/);
		}
	});
});
