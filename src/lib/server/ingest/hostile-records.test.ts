/**
 * Every importer's parser on hostile records: control and bidi characters are
 * stripped, and sizes no real paper has are reported as problems (the rules are
 * core/paper-safety.ts; this checks each importer applies them).
 */
import { describe, expect, it } from 'vitest';
import type { PaperRecord } from '$lib/core/paper';
import { parseArxivAtom } from './arxiv-atom';
import { parseOaiResponse } from './arxiv-oai';
import { parseSnapshotLine } from './arxiv-snapshot';
import { parseHfDaily } from './hf-daily';

const RLO = '\u202e';
const MANY_SPANS = Array.from({ length: 101 }, (_, i) => `$x_{${i}}$`).join(' ');

function expectClean(paper: PaperRecord) {
	expect(paper.title).toBe('Invoice fdp.exe');
	expect(paper.authors).toEqual(['Alice Jones', 'Carol Smith']);
	expect(paper.abstract).toBe('An abstract with a hidden control.');
}

describe('the HF daily parser', () => {
	const entry = (id: string, title: string, summary: string, names: string[]) => ({
		paper: {
			id,
			authors: names.map((name) => ({ name })),
			publishedAt: '2024-06-02T17:59:00.000Z',
			title,
			summary,
			submittedOnDailyBy: { fullname: `Curator${RLO} One` }
		}
	});

	it('strips a NUL, C1 controls and an RTL override from titles, names and abstracts', () => {
		const result = parseHfDaily(
			JSON.stringify([
				entry(
					'2406.00001',
					`Invoice ${RLO}fdp.exe`,
					'An abstract with a hidden\u0000 control.\u009b',
					[`Alice ${RLO}Jones`, 'Carol\u2066 Smith\u2069']
				)
			]),
			'day.json',
			'2024-06-03'
		);
		expect(result.problems).toEqual([]);
		expectClean(result.papers[0]);
		expect(result.picks[0].submittedBy).toBe('Curator One');
	});

	it('reports 20,000 math spans and an over-long title as problems and skips them', () => {
		const result = parseHfDaily(
			JSON.stringify([
				entry('2406.00002', 'Fine', '$x$ '.repeat(20_000), ['A']),
				entry('2406.00003', 'Fine', MANY_SPANS, ['A']),
				entry('2406.00004', 't'.repeat(1_001), 'Fine', ['A']),
				entry('2406.00005', 'Kept', 'Fine', ['A'])
			]),
			'day.json',
			'2024-06-03'
		);
		expect(result.papers.map((p) => p.id)).toEqual(['2406.00005']);
		expect(result.problems.map((p) => [p.record, p.id, p.reason])).toEqual([
			[0, '2406.00002', 'abstract is 79,999 characters (limit 10,000)'],
			[1, '2406.00003', 'abstract has more than 100 math spans'],
			[2, '2406.00004', 'title is 1,001 characters (limit 1,000)']
		]);
	});
});

describe('the arXiv snapshot parser', () => {
	const line = (fields: Record<string, unknown>) =>
		JSON.stringify({
			id: '2102.00001',
			authors: 'Alice Jones and Carol Smith',
			title: 'A title',
			abstract: 'An abstract.',
			categories: 'cs.LG',
			versions: [{ version: 'v1', created: 'Mon, 4 Jan 2021 10:00:00 GMT' }],
			...fields
		});

	it('strips control and bidi characters from every field', () => {
		const paper = parseSnapshotLine(
			line({
				title: `Invoice ${RLO}fdp.exe`,
				abstract: 'An abstract with a hidden\u0000 control.',
				authors: `Alice ${RLO}Jones and Carol\u0007 Smith`,
				comments: '\u0000\u0001'
			})
		);
		if (typeof paper === 'string') throw new Error(paper);
		expectClean(paper);
		expect(paper.comment).toBeNull();
		expect(paper.authorsText).toBe('Alice Jones and Carol Smith');
	});

	it('reports too many math spans in a field', () => {
		expect(parseSnapshotLine(line({ abstract: MANY_SPANS }))).toBe(
			'abstract has more than 100 math spans'
		);
		expect(parseSnapshotLine(line({ title: 't'.repeat(1_001) }))).toBe(
			'title is 1,001 characters (limit 1,000)'
		);
	});
});

describe('the OAI-PMH parser', () => {
	const page = (
		title: string,
		abstract: string,
		authors: string
	) => `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<responseDate>2024-01-05T03:00:02Z</responseDate>
<request verb="ListRecords" metadataPrefix="arXivRaw">https://export.arxiv.org/oai2</request>
<ListRecords><record>
<header><identifier>oai:arXiv.org:2312.09001</identifier><datestamp>2024-01-02</datestamp></header>
<metadata><arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/">
<id>2312.09001</id><version version="v1"><date>Thu, 14 Dec 2023 18:59:01 GMT</date></version>
<title>${title}</title><authors>${authors}</authors><categories>cs.IR</categories>
<abstract>${abstract}</abstract></arXivRaw></metadata>
</record></ListRecords></OAI-PMH>`;

	it('strips C1 controls and bidi overrides (XML cannot carry a NUL)', () => {
		const result = parseOaiResponse(
			page(
				'Invoice &#x202E;fdp.exe',
				'An abstract with a hidden\u0085control.',
				`Alice ${RLO}Jones and Carol Smith`
			)
		);
		expect(result.skipped).toEqual([]);
		expect(result.papers[0].title).toBe('Invoice fdp.exe');
		expect(result.papers[0].abstract).toBe('An abstract with a hidden control.');
		expect(result.papers[0].authors).toEqual(['Alice Jones', 'Carol Smith']);
	});

	it('reports too many math spans as a skipped record', () => {
		const result = parseOaiResponse(page('A title', MANY_SPANS, 'A. Author'));
		expect(result.papers).toEqual([]);
		expect(result.skipped.map((s) => s.reason)).toEqual(['abstract has more than 100 math spans']);
	});
});

describe('the arXiv API (Atom) parser', () => {
	const feed = (
		title: string,
		summary: string,
		author: string
	) => `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
<title>arXiv Query</title>
<entry><id>http://arxiv.org/abs/2401.00001v2</id><title>${title}</title>
<updated>2024-01-03T10:00:00Z</updated><published>2024-01-01T09:30:00Z</published>
<summary>${summary}</summary><author><name>${author}</name></author>
<category term="cs.LG"/></entry></feed>`;

	it('strips C1 controls and bidi overrides', () => {
		const result = parseArxivAtom(
			feed(
				`Invoice ${RLO}fdp.exe`,
				'An abstract with a hidden\u009b control.',
				`Alice &#x202E;Jones`
			)
		);
		expect(result.skipped).toEqual([]);
		expect(result.papers[0]).toMatchObject({
			title: 'Invoice fdp.exe',
			abstract: 'An abstract with a hidden control.',
			authors: ['Alice Jones']
		});
	});

	it('reports too many math spans as a skipped entry', () => {
		const result = parseArxivAtom(feed('A title', MANY_SPANS, 'A. Author'));
		expect(result.papers).toEqual([]);
		expect(result.skipped.map((s) => s.reason)).toEqual(['abstract has more than 100 math spans']);
	});
});
