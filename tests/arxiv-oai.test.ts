/**
 * arXiv OAI-PMH harvesting end to end: recorded and hand-written responses
 * replayed by a local HTTP server, harvested into real SQLite and PostgreSQL
 * stores — resumption tokens, incremental re-runs, 503 with Retry-After, a
 * truncated page, the lease, the scheduler's graceful stop and the CLI.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { noEnrichments } from '../src/lib/core/paper';
import { createApp } from '../src/lib/server/app';
import { loadConfig } from '../src/lib/server/config';
import { OaiPmhError, parseOaiResponse } from '../src/lib/server/ingest/arxiv-oai';
import {
	harvestArxivOai,
	harvestCheckpointName,
	HarvestConfigurationError,
	HarvestFailedError,
	HarvestStartError,
	parseHarvestCheckpoint,
	type OaiHarvestOptions
} from '../src/lib/server/ingest/arxiv-oai.harvest';
import {
	findCheckpoint,
	saveCheckpoint
} from '../src/lib/server/ingest/import-checkpoint.repository';
import {
	arxivHarvestJob,
	HARVEST_LEASE,
	runArxivHarvestJob
} from '../src/lib/server/jobs/arxiv-harvest.job';
import { findLease, releaseLease, tryAcquireLease } from '../src/lib/server/jobs/lease.repository';
import { startScheduler } from '../src/lib/server/jobs/scheduler';
import { createLogger } from '../src/lib/server/log';
import { countRows, currentSeq, findPaper } from '../src/lib/server/papers/paper.repository';
import { runCli } from './support/app-server';
import { describeEachDialect } from './support/databases';
import {
	startReplayServer,
	type RecordedResponse,
	type ReplayServer
} from './support/replay-server';
import { sharedData } from './support/shared-data';

const recordingsDir = sharedData('arxiv-oai-pmh');
/** arXivRaw answers as arXiv served them (mikesaelim/arXivOAIHarvester; see PROVENANCE.md). */
const realRawDir = sharedData('arxiv-oai-pmh/arxivraw-saelim');
const realRaw = (name: string) => fs.readFileSync(path.join(realRawDir!, name), 'utf8');
const fixturesDir = path.resolve(import.meta.dirname, 'fixtures/oai');

const xml = (body: string): RecordedResponse => ({
	status: 200,
	body,
	headers: { 'content-type': 'text/xml; charset=utf-8' }
});

/**
 * The three hand-written arXivRaw pages with their ids moved to `month` (`2403` →
 * `2403.09001`, `cs/9903001`), so that each test harvests papers of its own.
 */
function fixturePages(month: string): [string, string, string] {
	const read = (n: number) =>
		fs
			.readFileSync(path.join(fixturesDir, `arxivraw-cs-page${n}.xml`), 'utf8')
			.replace(/\b(?:2312|2401)\.(\d{5})\b/g, `${month}.$1`)
			.replaceAll('cs/9901001', `cs/99${month.slice(2)}001`);
	return [read(1), read(2), read(3)];
}

interface OaiRoutes {
	first: RecordedResponse | RecordedResponse[];
	/** By resumption token. */
	tokens?: Record<string, RecordedResponse | RecordedResponse[]>;
}

/** Answers the first ListRecords request and each resumption token; anything else 404s. */
function oaiRoute(routes: OaiRoutes | (() => OaiRoutes)) {
	return (url: URL) => {
		const current = typeof routes === 'function' ? routes() : routes;
		if (url.pathname !== '/oai2' || url.searchParams.get('verb') !== 'ListRecords')
			return undefined;
		const token = url.searchParams.get('resumptionToken');
		return token === null ? current.first : current.tokens?.[token];
	};
}

function threePages(month: string): OaiRoutes {
	const [page1, page2, page3] = fixturePages(month);
	return {
		first: xml(page1),
		tokens: { '6961234|1001': xml(page2), '6961234|2001': xml(page3) }
	};
}

let server: ReplayServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

async function serve(route: (url: URL) => RecordedResponse | RecordedResponse[] | undefined) {
	server = await startReplayServer(route);
	return server;
}

/** Fast, local options: no courtesy delay, short backoff. */
const local = (s: ReplayServer, extra: OaiHarvestOptions = {}): OaiHarvestOptions => ({
	baseUrl: `${s.url}/oai2`,
	minDelayMs: 0,
	backoffMs: 20,
	timeoutMs: 5000,
	...extra
});

const queryOf = (url: URL) => Object.fromEntries(url.searchParams);

describe.skipIf(!recordingsDir)('recorded arXiv OAI-PMH responses', () => {
	const files = recordingsDir
		? ['hepcrawl-functional', 'hepcrawl-unit'].flatMap((dir) =>
				fs
					.readdirSync(path.join(recordingsDir, dir))
					.filter((name) => name.endsWith('.xml'))
					.map((name) => path.join(recordingsDir, dir, name))
			)
		: [];
	const pages = new Map(
		files.map((file) => [path.basename(file), parseOaiResponse(fs.readFileSync(file, 'utf8'))])
	);

	it('parses all 30 records of the 15 recordings into papers', () => {
		expect(files).toHaveLength(15);
		const all = [...pages.values()];
		expect(all.reduce((n, page) => n + page.records, 0)).toBe(30);
		expect(all.reduce((n, page) => n + page.papers.length, 0)).toBe(30);
		expect(all.flatMap((page) => page.skipped)).toEqual([]);
		expect(all.every((page) => page.resumption === null)).toBe(true);
		// The arXiv format has no version numbers: none of these may override a versioned record.
		expect(all.flatMap((page) => page.papers).every((paper) => paper.version === null)).toBe(true);
	});

	it('reads a ListRecords page field by field', () => {
		const page = pages.get('arxiv-physics-hep-ex.xml')!;
		expect(page.maxDatestamp).toBe('2017-12-14');
		expect(page.papers.map((p) => p.id)).toEqual(['1706.05371', '1706.09418', '1707.00874']);
		expect(page.papers[1]).toMatchObject({
			version: null,
			title: 'R-Parity Violation at the LHC',
			authors: [
				'Daniel Dercks',
				'Herbi Dreiner',
				'Manuel E. Krauss',
				'Toby Opferkuch',
				'Annika Reinert'
			],
			authorsText: null,
			categories: ['hep-ph', 'hep-ex'],
			publishedAt: '2017-06-28T00:00:00.000Z',
			updatedAt: '2017-11-26T00:00:00.000Z',
			reportNo: 'BONN-TH-2017-03',
			journalRef: 'Eur. Phys. J. C (2017) 77:856',
			doi: '10.1140/epjc/s10052-017-5414-4',
			license: 'https://arxiv.org/licenses/nonexclusive-distrib/1.0/',
			comment:
				'43 pages, 13 tables, 17 figures; updated Figs. 11-17 and Tab. 12 including NLO corrections; version accepted for publication in EPJC'
		});
		expect(page.papers[1].abstract).toMatch(
			/^We investigate the phenomenology of the MSSM extended/
		);
		expect(page.papers[2].reportNo).toBe('IITH-PH-0001/17, IMSc/2017/07/05');
	});

	it('reads GetRecord responses, collaborations and names with accents', () => {
		const single = pages.get('arxiv-single.xml')!.papers[0];
		expect(single).toMatchObject({
			id: '1401.2122',
			authors: ['A. Sergyeyev'],
			categories: ['math.AP', 'hep-th', 'math-ph', 'math.DG', 'math.MP', 'nlin.SI'],
			publishedAt: '2014-01-09T00:00:00.000Z',
			updatedAt: '2017-10-23T00:00:00.000Z'
		});
		// A keyname-only collaboration; the unit recording without a namespace on <arXiv>.
		const planck = pages.get('sample_arxiv_record0.xml')!.papers[0];
		expect(planck.authors.slice(0, 2)).toEqual(['Planck Collaboration', 'Jieci Wang']);
		expect(planck.license).toBe('https://creativecommons.org/licenses/by/3.0/');
		expect(pages.get('sample_arxiv_record5.xml')!.papers[0].authors[0]).toBe('Günter Burigana');
	});
});

describe.skipIf(!realRawDir)('real arXivRaw responses (arxivraw-saelim)', () => {
	it('reads the ListRecords page: six papers, the real resumption token and list size', () => {
		const page = parseOaiResponse(realRaw('ListRecordsResponse.xml'));
		expect(page.records).toBe(6);
		expect(page.skipped).toEqual([]);
		expect(page.papers.map((p) => [p.id, p.version])).toEqual([
			['0704.0471', 1],
			['0704.0716', 4],
			['0704.0874', 3],
			['0704.1109', 2],
			['0704.1114', 1],
			['0704.1586', 1]
		]);
		expect(page.resumption).toEqual({
			token: '726959|1001',
			cursor: 0,
			completeListSize: 58011,
			expirationDate: null
		});
		// Not in datestamp order: why a rejected token restarts from `from`, not from here.
		expect(page.maxDatestamp).toBe('2014-12-22');
		expect(page.noRecordsMatch).toBeNull();
	});

	it('reads the four-version record field by field', () => {
		const page = parseOaiResponse(realRaw('ListRecordsResponse.xml'));
		expect(page.papers.find((p) => p.id === '0704.0716')).toEqual({
			id: '0704.0716',
			version: 4,
			// v1's date, and v4's: the v2 and v3 dates in between are neither.
			publishedAt: '2007-04-05T12:45:03.000Z',
			updatedAt: '2008-11-14T09:07:25.000Z',
			title: 'Limit distributions and scaling functions',
			abstract:
				'We discuss the asymptotic behaviour of models of lattice polygons, mainly on the square ' +
				'lattice. In particular, we focus on limiting area laws in the uniform perimeter ensemble ' +
				'where, for fixed perimeter, each polygon of a given area occurs with the same ' +
				'probability. We relate limit distributions to the scaling behaviour of the associated ' +
				'perimeter and area generating functions, thereby providing a geometric interpretation ' +
				'of scaling functions. To a major extent, this article is a pedagogic review of known results.',
			authors: ['Christoph Richard'],
			authorsText: 'Christoph Richard',
			submitter: 'Christoph Richard',
			categories: ['math-ph', 'math.MP'],
			comment:
				'54 pages, 2 figures; v2 updated and slightly expanded; v3 changes in some proofs; ' +
				'v4 slightly expanded',
			journalRef:
				'Polygons, polyominoes and polycubes, 247-299, Lecture Notes in Phys., 775, Springer, ' +
				'Dordrecht, 2009',
			doi: null,
			reportNo: null,
			license: 'https://arxiv.org/licenses/nonexclusive-distrib/1.0/',
			...noEnrichments()
		});
	});

	it('decodes &quot; entities, keeps LaTeX and collapses the wrapped title', () => {
		const papers = parseOaiResponse(realRaw('ListRecordsResponse.xml')).papers;
		const shetty = papers.find((p) => p.id === '0704.0471')!;
		expect(shetty.title).toBe(
			'Density dependence of the symmetry energy and the nuclear equation of state: ' +
				'A Dynamical and Statistical model perspective'
		);
		expect(shetty.abstract).toContain('rules out an extremely " stiff " and " soft " form');
		expect(shetty.abstract).not.toContain('&quot;');
		expect(shetty.authors).toEqual(['D. V. Shetty', 'S. J. Yennello', 'G. A. Souliotis']);
		expect(shetty.authorsText).toBe('D.V. Shetty, S.J. Yennello, and G.A. Souliotis');
		const summers = papers.find((p) => p.id === '0704.1586')!;
		expect(summers.title).toBe(
			'Core excitation in the elastic scattering and breakup of $^{11}$Be on protons'
		);
		expect(summers.abstract).toMatch(/^The elastic scattering and breakup of \$\^\{11\}\$Be from/);
	});

	it('reads the GetRecord response', () => {
		const page = parseOaiResponse(realRaw('GetRecordResponse.xml'));
		expect(page.resumption).toBeNull();
		expect(page.papers).toHaveLength(1);
		expect(page.papers[0]).toMatchObject({
			id: '1302.2146',
			version: 2,
			publishedAt: '2013-02-08T21:00:01.000Z',
			updatedAt: '2013-04-02T01:50:08.000Z',
			title: 'The Same-Sign Dilepton Signature of RPV/MFV SUSY',
			authors: ['Joshua Berger', 'Maxim Perelstein', 'Michael Saelim', 'Philip Tanedo'],
			categories: ['hep-ph', 'hep-ex'],
			comment: '18 pages, 6 figures; v2: References added'
		});
		expect(page.papers[0].abstract).toMatch(/with a 100 fb\^-1 data set\.$/);
	});

	it("reads arXiv's own error answers: each code with arXiv's words; noRecordsMatch is an empty list", () => {
		const codeOf = (name: string) => {
			try {
				parseOaiResponse(realRaw(name));
			} catch (error) {
				if (error instanceof OaiPmhError) return [error.code, error.message];
				throw error;
			}
			return null;
		};
		expect(codeOf('ErrorResponseBadArgument.xml')).toEqual([
			'badArgument',
			expect.stringContaining("Verb 'ListRecords', illegal argument 'identifier'.")
		]);
		expect(codeOf('ErrorResponseBadResumptionToken.xml')).toEqual([
			'badResumptionToken',
			expect.stringContaining('The resumptionToken supplied is illegal for this repository')
		]);
		expect(codeOf('ErrorResponseBadVerb.xml')?.[0]).toBe('badVerb');
		expect(codeOf('ErrorResponseIdDoesNotExist.xml')?.[0]).toBe('idDoesNotExist');
		const empty = parseOaiResponse(realRaw('ErrorResponseNoRecordsMatch.xml'));
		expect(empty).toMatchObject({ records: 0, papers: [], resumption: null });
		expect(empty.noRecordsMatch).toBe("Set argument doesn't match any sets. The setSpec was 'moo'");
	});
});

describeEachDialect('arXiv OAI-PMH harvest of real arXivRaw answers', (get) => {
	const listPage = () => realRaw('ListRecordsResponse.xml');
	/** The real page as the last one of its list (its token emptied, as arXiv ends a list). */
	const lastPage = () =>
		listPage().replace(
			/<resumptionToken cursor="0" completeListSize="58011">726959\|1001<\/resumptionToken>/,
			'<resumptionToken cursor="0" completeListSize="6"></resumptionToken>'
		);

	it.skipIf(!realRawDir)(
		'a token arXiv rejects mid-run restarts the list from the start day, and the harvest completes',
		async () => {
			const { store } = get();
			expect(lastPage()).not.toContain('726959|1001');
			const s = await serve(
				oaiRoute({
					first: [xml(listPage()), xml(lastPage())],
					tokens: { '726959|1001': xml(realRaw('ErrorResponseBadResumptionToken.xml')) }
				})
			);
			const summary = await harvestArxivOai(
				store.db,
				local(s, { set: 'physics', from: '2014-10-01' })
			);
			expect(summary).toMatchObject({
				pages: 2,
				records: 12,
				inserted: 6,
				unchanged: 6,
				complete: true,
				restartedAfterBadToken: true,
				lastDatestamp: '2014-12-22'
			});
			expect(s.requests.map(queryOf)).toEqual([
				{ verb: 'ListRecords', metadataPrefix: 'arXivRaw', set: 'physics', from: '2014-10-01' },
				{ verb: 'ListRecords', resumptionToken: '726959|1001' },
				{ verb: 'ListRecords', metadataPrefix: 'arXivRaw', set: 'physics', from: '2014-10-01' }
			]);
			expect(await findPaper(store.db, '0704.0716')).toMatchObject({
				version: 4,
				publishedAt: '2007-04-05T12:45:03.000Z',
				updatedAt: '2008-11-14T09:07:25.000Z',
				authorsText: 'Christoph Richard'
			});
			expect(
				parseHarvestCheckpoint(
					await findCheckpoint(store.db, harvestCheckpointName('arXivRaw', 'physics'))
				)
			).toEqual({
				from: '2014-10-01',
				until: undefined,
				lastDatestamp: '2014-12-22',
				resumptionToken: undefined
			});
		}
	);

	it.skipIf(!realRawDir)(
		'a token rejected again after the restart stops the run, keeping the saved pages',
		async () => {
			const { store } = get();
			const s = await serve(
				oaiRoute({
					first: xml(listPage()),
					tokens: { '726959|1001': xml(realRaw('ErrorResponseBadResumptionToken.xml')) }
				})
			);
			const run = harvestArxivOai(store.db, local(s, { set: 'physics-again', from: '2014-10-01' }));
			await expect(run).rejects.toThrow(HarvestFailedError);
			await expect(run).rejects.toThrow(/badResumptionToken.*page\(s\) before it are saved/);
			expect(s.requests).toHaveLength(4);
		}
	);

	it.skipIf(!realRawDir)(
		'an incremental run that meets noRecordsMatch ends as "nothing new", exit 0',
		async () => {
			const { store, env } = get();
			const name = harvestCheckpointName('arXivRaw', 'physics-quiet');
			const stored = { from: '2014-10-01', lastDatestamp: '2014-12-22' };
			await saveCheckpoint(store.db, name, JSON.stringify(stored), new Date());
			const seq = await currentSeq(store.db);
			const s = await serve(oaiRoute({ first: xml(realRaw('ErrorResponseNoRecordsMatch.xml')) }));
			const result = await runCli(['import', 'arxiv-oai', '--set', 'physics-quiet'], {
				...env,
				DP_ARXIV_OAI_URL: `${s.url}/oai2`,
				DP_ARXIV_OAI_DELAY_MS: '0'
			});
			expect(result.status, result.stderr).toBe(0);
			expect(result.stdout).toContain(
				"nothing new since 2014-12-22: arXiv has no records in that range (noRecordsMatch: Set argument doesn't match any sets."
			);
			expect(result.stdout).toContain('next harvest starts from 2014-12-22');
			expect(s.requests.map(queryOf)).toEqual([
				{
					verb: 'ListRecords',
					metadataPrefix: 'arXivRaw',
					set: 'physics-quiet',
					from: '2014-12-22'
				}
			]);
			expect(await currentSeq(store.db)).toBe(seq);
			expect(parseHarvestCheckpoint(await findCheckpoint(store.db, name))).toMatchObject({
				lastDatestamp: '2014-12-22',
				resumptionToken: undefined
			});
		}
	);

	it.skipIf(!realRawDir)(
		'badArgument is a configuration error: the harvest says so, the CLI exits 2 without the usage text',
		async () => {
			const { store, env } = get();
			const s = await serve(oaiRoute({ first: xml(realRaw('ErrorResponseBadArgument.xml')) }));
			const run = harvestArxivOai(store.db, local(s, { set: 'physics-bad', from: '2014-10-01' }));
			await expect(run).rejects.toThrow(HarvestConfigurationError);
			await expect(run).rejects.toMatchObject({ oaiCode: 'badArgument' });
			const result = await runCli(
				['import', 'arxiv-oai', '--set', 'physics-bad', '--from', '2014-10-01'],
				{ ...env, DP_ARXIV_OAI_URL: `${s.url}/oai2`, DP_ARXIV_OAI_DELAY_MS: '0' }
			);
			expect(result.status, result.stderr).toBe(2);
			expect(result.stderr).toMatch(
				/^dailypapers: configuration error: arXiv rejected the harvest of set physics-bad \(arXivRaw\) from 2014-10-01: OAI-PMH error badArgument: Verb 'ListRecords', illegal argument 'identifier'\./
			);
			expect(result.stderr).toContain('check the set (--set or DP_HARVEST_SETS)');
			expect(result.stderr).not.toContain('Usage: dailypapers');
			expect(
				await findCheckpoint(store.db, harvestCheckpointName('arXivRaw', 'physics-bad'))
			).toBeUndefined();
		}
	);
});

describeEachDialect('arXiv OAI-PMH harvest', (get) => {
	it.skipIf(!recordingsDir)(
		'harvests a recorded page; the incremental second run fetches nothing new',
		async () => {
			const { store } = get();
			const recorded = fs.readFileSync(
				path.join(recordingsDir!, 'hepcrawl-functional/arxiv-physics-hep-ex.xml'),
				'utf8'
			);
			const s = await serve(oaiRoute({ first: xml(recorded) }));
			const options = local(s, { set: 'physics:hep-ex', metadataPrefix: 'arXiv' });
			const first = await harvestArxivOai(store.db, { ...options, from: '2017-12-14' });
			expect(first).toMatchObject({
				records: 3,
				inserted: 3,
				updated: 0,
				pages: 1,
				complete: true,
				lastDatestamp: '2017-12-14'
			});
			expect(await findPaper(store.db, '1706.09418')).toMatchObject({
				version: null,
				reportNo: 'BONN-TH-2017-03',
				categories: ['hep-ph', 'hep-ex']
			});
			const seq = await currentSeq(store.db);
			const rows = await countRows(store.db);

			const second = await harvestArxivOai(store.db, options);
			expect(second).toMatchObject({ from: '2017-12-14', inserted: 0, updated: 0, unchanged: 3 });
			expect(await currentSeq(store.db)).toBe(seq);
			expect(await countRows(store.db)).toEqual(rows);
			expect(s.requests.map(queryOf)).toEqual([
				{ verb: 'ListRecords', metadataPrefix: 'arXiv', set: 'physics:hep-ex', from: '2017-12-14' },
				{ verb: 'ListRecords', metadataPrefix: 'arXiv', set: 'physics:hep-ex', from: '2017-12-14' }
			]);
		}
	);

	it('follows resumption tokens over three pages; deleted and malformed records are reported', async () => {
		const { store } = get();
		const s = await serve(oaiRoute(threePages('2403')));
		const problems: string[] = [];
		const summary = await harvestArxivOai(
			store.db,
			local(s, {
				set: 'cs',
				from: '2024-01-02',
				progress: { problem: (p) => problems.push(`${p.id}: ${p.reason}`) }
			})
		);
		expect(summary).toMatchObject({
			pages: 3,
			records: 6,
			inserted: 5,
			skipped: 1,
			deleted: 1,
			completeListSize: 7,
			complete: true,
			resumedFromToken: false,
			lastDatestamp: '2024-01-04'
		});
		expect(problems).toEqual(['oai:arXiv.org:2403.00004: missing <title>']);
		expect(s.requests.map(queryOf)).toEqual([
			{ verb: 'ListRecords', metadataPrefix: 'arXivRaw', set: 'cs', from: '2024-01-02' },
			{ verb: 'ListRecords', resumptionToken: '6961234|1001' },
			{ verb: 'ListRecords', resumptionToken: '6961234|2001' }
		]);
		expect(await findPaper(store.db, '2403.09001')).toMatchObject({
			version: 2,
			publishedAt: '2023-12-14T18:59:01.000Z',
			updatedAt: '2024-01-02T09:12:45.000Z',
			authors: ['Ana Martínez', 'Jürgen Müller', 'Li Wei'],
			submitter: String.raw`Ana Mart\'inez`,
			license: 'https://creativecommons.org/licenses/by/4.0/'
		});
		expect(await findPaper(store.db, 'cs/9903001')).toMatchObject({ version: 1 });
		expect(await findPaper(store.db, '2403.09002')).toBeUndefined();
		// Finished: no token kept, the latest datestamp is where the next run starts.
		const checkpoint = parseHarvestCheckpoint(
			await findCheckpoint(store.db, harvestCheckpointName('arXivRaw', 'cs'))
		);
		expect(checkpoint).toEqual({
			from: '2024-01-02',
			until: undefined,
			lastDatestamp: '2024-01-04',
			resumptionToken: undefined
		});
	});

	it('an arXiv-format harvest adds papers but never overrides a versioned one', async () => {
		const { store } = get();
		// Page 1 alone: its two papers, no resumption token.
		const raw = fixturePages('2404')[0].replace(/<resumptionToken[^<]*<\/resumptionToken>/, '');
		const arxivFormat = (id: string) =>
			`<record><header><identifier>oai:arXiv.org:${id}</identifier><datestamp>2024-01-09</datestamp>
</header><metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>${id}</id><created>2023-12-14</created>
<authors><author><keyname>Other</keyname><forenames>A.</forenames></author></authors>
<title>A different title</title><categories>cs.IR</categories></arXiv></metadata></record>`;
		const arxiv = `<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>${arxivFormat(
			'2404.09001'
		)}${arxivFormat('2404.07777')}</ListRecords></OAI-PMH>`;
		const s = await serve((url) =>
			xml(url.searchParams.get('metadataPrefix') === 'arXiv' ? arxiv : raw)
		);
		await harvestArxivOai(store.db, local(s, { set: 'cs-v', from: '2024-01-02' }));
		const versioned = await findPaper(store.db, '2404.09001');
		expect(versioned).toMatchObject({ version: 2 });
		const summary = await harvestArxivOai(
			store.db,
			local(s, { set: 'cs-v', from: '2024-01-09', metadataPrefix: 'arXiv' })
		);
		expect(summary).toMatchObject({ records: 2, inserted: 1, updated: 0, unchanged: 1 });
		expect(await findPaper(store.db, '2404.09001')).toEqual(versioned);
		expect(await findPaper(store.db, '2404.07777')).toMatchObject({
			version: null,
			title: 'A different title',
			authors: ['A. Other']
		});
	});

	it('waits for the Retry-After of a 503, then goes on', async () => {
		const { store } = get();
		const routes = threePages('2405');
		const times: number[] = [];
		const s = await serve((url) => {
			times.push(Date.now());
			return oaiRoute({
				...routes,
				first: [
					{ status: 503, body: 'busy', headers: { 'retry-after': '1' } },
					routes.first as RecordedResponse
				]
			})(url);
		});
		const retries: number[] = [];
		const summary = await harvestArxivOai(
			store.db,
			local(s, { set: 'cs-503', from: '2024-01-02', onRetry: (r) => retries.push(r.waitMs) })
		);
		expect(summary).toMatchObject({ pages: 3, inserted: 5, complete: true });
		expect(retries).toEqual([1000]);
		expect(s.requests).toHaveLength(4);
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(950);
	});

	it('retries a truncated page, then fails keeping the pages before; a re-run resumes from the token', async () => {
		const { store } = get();
		const [page1, page2, page3] = fixturePages('2406');
		let cut = true;
		const s = await serve(
			oaiRoute(() => ({
				first: xml(page1),
				tokens: {
					// The body stops mid-record, as when a connection drops.
					'6961234|1001': xml(cut ? page2.slice(0, Math.floor(page2.length * 0.6)) : page2),
					'6961234|2001': xml(page3)
				}
			}))
		);
		const options = local(s, { set: 'cs-cut', retries: 2 });
		const failure = harvestArxivOai(store.db, { ...options, from: '2024-01-02' });
		await expect(failure).rejects.toThrow(HarvestFailedError);
		await expect(failure).rejects.toThrow(
			/not well-formed XML \(truncated\?\).*after 3 attempt\(s\).*1 page\(s\) before it are saved; run the same command again to resume from the stored resumption token/
		);
		const error = (await failure.catch((e: unknown) => e)) as HarvestFailedError;
		expect(error.summary).toMatchObject({ pages: 1, inserted: 2, complete: false });
		expect(s.requests.filter((u) => u.searchParams.get('resumptionToken'))).toHaveLength(3);
		// Page 1 is stored with its resumption point; nothing of page 2 is.
		expect(await findPaper(store.db, '2406.09001')).toBeDefined();
		expect(await findPaper(store.db, '2406.00003')).toBeUndefined();
		const name = harvestCheckpointName('arXivRaw', 'cs-cut');
		expect(parseHarvestCheckpoint(await findCheckpoint(store.db, name))).toMatchObject({
			from: '2024-01-02',
			resumptionToken: '6961234|1001',
			lastDatestamp: '2024-01-02'
		});

		cut = false;
		s.requests.length = 0;
		const resumed = await harvestArxivOai(store.db, options);
		expect(resumed).toMatchObject({
			resumedFromToken: true,
			pages: 2,
			inserted: 3,
			complete: true,
			lastDatestamp: '2024-01-04'
		});
		expect(s.requests.map(queryOf)).toEqual([
			{ verb: 'ListRecords', resumptionToken: '6961234|1001' },
			{ verb: 'ListRecords', resumptionToken: '6961234|2001' }
		]);
	});

	it('starts over from the harvest date when arXiv has forgotten the stored token', async () => {
		const { store } = get();
		const routes = threePages('2407');
		const name = harvestCheckpointName('arXivRaw', 'cs-expired');
		await saveCheckpoint(
			store.db,
			name,
			JSON.stringify({
				from: '2024-01-02',
				resumptionToken: 'expired|1',
				lastDatestamp: '2024-01-02'
			}),
			new Date()
		);
		const badToken = fs.readFileSync(path.join(fixturesDir, 'bad-resumption-token.xml'), 'utf8');
		const s = await serve(
			oaiRoute({ ...routes, tokens: { ...routes.tokens, 'expired|1': xml(badToken) } })
		);
		const summary = await harvestArxivOai(store.db, local(s, { set: 'cs-expired' }));
		expect(summary).toMatchObject({
			pages: 3,
			inserted: 5,
			complete: true,
			resumedFromToken: false
		});
		expect(s.requests.map(queryOf).slice(0, 2)).toEqual([
			{ verb: 'ListRecords', resumptionToken: 'expired|1' },
			{ verb: 'ListRecords', metadataPrefix: 'arXivRaw', set: 'cs-expired', from: '2024-01-02' }
		]);
	});

	it('takes noRecordsMatch as a finished, empty harvest and stops on badArgument', async () => {
		const { store } = get();
		const fixture = (name: string) => xml(fs.readFileSync(path.join(fixturesDir, name), 'utf8'));
		let s = await serve(oaiRoute({ first: fixture('no-records-match.xml') }));
		const empty = await harvestArxivOai(
			store.db,
			local(s, { set: 'cs-empty', from: '2024-01-05' })
		);
		expect(empty).toMatchObject({
			pages: 1,
			records: 0,
			complete: true,
			lastDatestamp: '2024-01-05'
		});
		await s.close();

		s = server = await startReplayServer(oaiRoute({ first: fixture('bad-argument.xml') }));
		const seq = await currentSeq(store.db);
		const bad = harvestArxivOai(store.db, local(s, { set: 'nosuchset', from: '2024-01-05' }));
		await expect(bad).rejects.toThrow(
			/OAI-PMH error badArgument: Unknown set 'nosuchset'.*Nothing of this run was saved/
		);
		expect(s.requests).toHaveLength(1);
		expect(
			await findCheckpoint(store.db, harvestCheckpointName('arXivRaw', 'nosuchset'))
		).toBeUndefined();
		expect(await currentSeq(store.db)).toBe(seq);
	});

	it('needs --from for a set never harvested, and until not before from', async () => {
		const { store } = get();
		await expect(harvestArxivOai(store.db, { set: 'never-harvested' })).rejects.toThrow(
			HarvestStartError
		);
		await expect(
			harvestArxivOai(store.db, { set: 'x', from: '2024-02-01', until: '2024-01-01' })
		).rejects.toThrow('--until 2024-01-01 is before --from 2024-02-01');
	});

	it('a dry run fetches and parses every page but writes nothing', async () => {
		const { store } = get();
		const s = await serve(oaiRoute(threePages('2408')));
		const seq = await currentSeq(store.db);
		const summary = await harvestArxivOai(
			store.db,
			local(s, { set: 'cs-dry', from: '2024-01-02', dryRun: true })
		);
		expect(summary).toMatchObject({ dryRun: true, pages: 3, records: 6, skipped: 1, inserted: 0 });
		expect(await currentSeq(store.db)).toBe(seq);
		expect(await findPaper(store.db, '2408.09001')).toBeUndefined();
		expect(
			await findCheckpoint(store.db, harvestCheckpointName('arXivRaw', 'cs-dry'))
		).toBeUndefined();
	});

	it('lets only one of two concurrent harvests run, and releases the lease after', async () => {
		const { store } = get();
		const routes = threePages('2409');
		const slow = (response: RecordedResponse | RecordedResponse[] | undefined) => ({
			...(response as RecordedResponse),
			delayMs: 150
		});
		const s = await serve((url) => slow(oaiRoute(routes)(url)));
		const job = (holder: string) =>
			runArxivHarvestJob(store.db, { ...local(s), sets: ['cs-lease'], from: '2024-01-02', holder });
		const [a, b] = await Promise.all([job('node-a'), job('node-b')]);
		const results = [a, b].map((r) => r.status).sort();
		expect(results).toEqual(['busy', 'done']);
		const busy = [a, b].find((r) => r.status === 'busy');
		expect(busy).toMatchObject({ lease: { holder: expect.stringMatching(/^node-[ab]$/) } });
		// One harvest's requests only: three pages.
		expect(s.requests).toHaveLength(3);
		expect(await findLease(store.db, HARVEST_LEASE)).toBeUndefined();
	});

	it('takes over an expired lease, and stops after the page in hand when the lease is lost', async () => {
		const { store } = get();
		// A lease that lapsed long ago: taken with the clock at 2000-01-01, for no time at all.
		await tryAcquireLease(
			store.db,
			HARVEST_LEASE,
			'dead-node',
			0,
			new Date('2000-01-01T00:00:00Z')
		);
		const routes = threePages('2410');
		let stolen = false;
		const s = await serve((url) => {
			const response = oaiRoute(routes)(url) as RecordedResponse;
			// While page 2 is on its way, another node takes the lease.
			if (url.searchParams.get('resumptionToken') === '6961234|1001' && !stolen) {
				stolen = true;
				// A node whose clock is far ahead sees the lease expired and takes it until 2999.
				void tryAcquireLease(store.db, HARVEST_LEASE, 'thief', 0, new Date('2999-01-01T00:00:00Z'));
				return { ...response, delayMs: 300 };
			}
			return response;
		});
		const result = await runArxivHarvestJob(store.db, {
			...local(s),
			sets: ['cs-stolen'],
			from: '2024-01-02',
			holder: 'me',
			leaseMs: 90
		});
		expect(result.status).toBe('done');
		const [summary] = result.status === 'done' ? result.summaries : [];
		expect(summary).toMatchObject({ complete: false, pages: 1, inserted: 2 });
		// The thief's lease is left alone; the resume point is the last saved page.
		expect(await findLease(store.db, HARVEST_LEASE)).toMatchObject({
			holder: 'thief'
		});
		expect(
			parseHarvestCheckpoint(
				await findCheckpoint(store.db, harvestCheckpointName('arXivRaw', 'cs-stolen'))
			)
		).toMatchObject({ resumptionToken: '6961234|1001' });
		await releaseLease(store.db, HARVEST_LEASE, 'thief');
	});

	it('the scheduler harvests each configured set and stops a running harvest on shutdown', async () => {
		const { store } = get();
		const routes = threePages('2411');
		const s = await serve((url) => {
			const response = oaiRoute(routes)(url) as RecordedResponse;
			return url.searchParams.get('resumptionToken') ? { ...response, delayMs: 400 } : response;
		});
		const scheduler = startScheduler(
			store.db,
			[
				arxivHarvestJob(
					{ oaiUrl: `${s.url}/oai2`, delayMs: 0, sets: ['cs-scheduled'], hourUtc: 3 },
					{ from: '2024-01-02', backoffMs: 20 }
				)
			],
			{ log: createLogger('silent') }
		);
		const running = scheduler.runNow(HARVEST_LEASE);
		// Stop while page 2 is on its way: page 1 stays saved with its resumption point.
		while (s.requests.length < 2) await new Promise((r) => setTimeout(r, 10));
		await scheduler.stop();
		await running;
		expect(await findPaper(store.db, '2411.09001')).toBeDefined();
		expect(await findPaper(store.db, '2411.00003')).toBeUndefined();
		expect(
			parseHarvestCheckpoint(
				await findCheckpoint(store.db, harvestCheckpointName('arXivRaw', 'cs-scheduled'))
			)
		).toMatchObject({ resumptionToken: '6961234|1001' });
		expect(await findLease(store.db, HARVEST_LEASE)).toBeUndefined();
	});

	it('the scheduler logs a failing set and goes on with the next', async () => {
		const { store } = get();
		const routes = threePages('2503');
		const badArgument = xml(fs.readFileSync(path.join(fixturesDir, 'bad-argument.xml'), 'utf8'));
		const s = await serve((url) =>
			url.searchParams.get('set') === 'nosuchset' ? badArgument : oaiRoute(routes)(url)
		);
		const errors: unknown[] = [];
		const log = createLogger('silent');
		log.error = ((fields: unknown) => errors.push(fields)) as typeof log.error;
		const scheduler = startScheduler(
			store.db,
			[
				arxivHarvestJob(
					{ oaiUrl: `${s.url}/oai2`, delayMs: 0, sets: ['nosuchset', 'cs-next'], hourUtc: 3 },
					{ from: '2024-01-02' }
				)
			],
			{ log }
		);
		await scheduler.runNow(HARVEST_LEASE);
		await scheduler.stop();
		expect(errors).toEqual([
			expect.objectContaining({ set: 'nosuchset', err: expect.any(HarvestFailedError) })
		]);
		expect(await findPaper(store.db, '2503.09001')).toBeDefined();
	});

	it('dailypapers import arxiv-oai: 0 done, 2 usage or configuration (badArgument)', async () => {
		const { env } = get();
		const routes = threePages('2412');
		const badArgument = xml(fs.readFileSync(path.join(fixturesDir, 'bad-argument.xml'), 'utf8'));
		const s = await serve((url) =>
			url.searchParams.get('set') === 'nosuchset' ? badArgument : oaiRoute(routes)(url)
		);
		const cliEnv = { ...env, DP_ARXIV_OAI_URL: `${s.url}/oai2`, DP_ARXIV_OAI_DELAY_MS: '0' };
		const run = (...args: string[]) => runCli(['import', 'arxiv-oai', ...args], cliEnv);

		const done = await run('--set', 'cs-cli', '--from', '2024-01-02');
		expect(done.status, done.stderr).toBe(0);
		expect(done.stdout).toContain('5 new, 0 updated, 0 unchanged papers');
		expect(done.stdout).toContain(
			'3 page(s) from 2024-01-02; 1 deleted record(s); next harvest starts from 2024-01-04'
		);
		expect(done.stderr).toContain('oai:arXiv.org:2412.00004): missing <title>');

		const again = await run('--set', 'cs-cli');
		expect(again.status, again.stderr).toBe(0);
		expect(again.stdout).toContain('0 new, 0 updated');

		const dry = await run('--set', 'cs-cli-dry', '--from', '2024-01-02', '--dry-run');
		expect(dry.status, dry.stderr).toBe(0);
		expect(dry.stdout).toContain('dry run, nothing written: 3 page(s)');

		// arXiv's badArgument means the set or dates are wrong: a configuration error (2), not a failure to retry.
		const misconfigured = await run('--set', 'nosuchset', '--from', '2024-01-02');
		expect(misconfigured.status).toBe(2);
		expect(misconfigured.stderr).toMatch(
			/configuration error: .*badArgument: Unknown set 'nosuchset'/
		);

		for (const args of [
			['--set', 'cs-cli', '--from', '2024-13-01'],
			['--set', 'cs-cli', '--metadata-prefix', 'oai_dc'],
			['--set', 'cs-never'],
			['extra-argument']
		]) {
			const usage = await run(...args);
			expect(usage.status, `${args.join(' ')}: ${usage.stderr}`).toBe(2);
		}
	});

	it('dailypapers jobs run arxiv-harvest harvests DP_HARVEST_SETS once, under the lease', async () => {
		const { store, env } = get();
		const s = await serve(oaiRoute(threePages('2504')));
		const cliEnv = {
			...env,
			DP_HARVEST_SETS: 'cs-jobs',
			DP_ARXIV_OAI_URL: `${s.url}/oai2`,
			DP_ARXIV_OAI_DELAY_MS: '0'
		};
		const dry = await runCli(['jobs', 'run', HARVEST_LEASE, '--dry-run'], cliEnv);
		expect(dry.status, dry.stderr).toBe(0);
		expect(dry.stdout).toContain('dry run, nothing written: job arxiv-harvest done');
		expect(await findPaper(store.db, '2504.09001')).toBeUndefined();

		// Another node holds the lease: the CLI run waits for nobody and says who.
		expect(await tryAcquireLease(store.db, HARVEST_LEASE, 'other-node', 60_000)).toBeNull();
		const busy = await runCli(['jobs', 'run', HARVEST_LEASE], cliEnv);
		expect(busy.status).toBe(1);
		expect(busy.stderr).toContain('another process runs arxiv-harvest (other-node');
		await releaseLease(store.db, HARVEST_LEASE, 'other-node');

		const before = s.requests.length;
		const done = await runCli(['jobs', 'run', HARVEST_LEASE], cliEnv);
		expect(done.status, done.stderr).toBe(0);
		expect(done.stdout).toContain('job arxiv-harvest done');
		// A set never harvested starts from yesterday, as the daily run would.
		const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
		expect(queryOf(s.requests[before])).toMatchObject({ set: 'cs-jobs', from: yesterday });
		expect(await findPaper(store.db, '2504.09001')).toBeDefined();
		expect(await findLease(store.db, HARVEST_LEASE)).toBeUndefined();
		const listed = await runCli(['jobs', 'list'], cliEnv);
		expect(listed.stdout).toMatch(/^arxiv-harvest\s+daily at 03:00 UTC\s+ok /m);
	});

	it('import arxiv-oai stops on Ctrl-C after the page in hand, releasing the lease', async () => {
		const { store, env } = get();
		const routes = threePages('2501');
		const s = await serve((url) => {
			const response = oaiRoute(routes)(url) as RecordedResponse;
			return url.searchParams.get('resumptionToken') ? { ...response, delayMs: 3000 } : response;
		});
		const child = spawn(
			process.execPath,
			['bin/dailypapers.js', 'import', 'arxiv-oai', '--set', 'cs-sigint', '--from', '2024-01-02'],
			{
				cwd: path.resolve(import.meta.dirname, '..'),
				env: {
					...process.env,
					...env,
					DP_ARXIV_OAI_URL: `${s.url}/oai2`,
					DP_ARXIV_OAI_DELAY_MS: '0',
					DP_LOG_LEVEL: 'warn'
				},
				stdio: ['ignore', 'pipe', 'pipe']
			}
		);
		let stdout = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
		const deadline = Date.now() + 60_000;
		while (s.requests.length < 2 && Date.now() < deadline)
			await new Promise((r) => setTimeout(r, 20));
		child.kill('SIGINT');
		expect(await exited).toBe(1);
		expect(stdout).toContain('2 new');
		expect(stdout).toContain('interrupted: run the same command again to resume');
		expect(await findLease(store.db, HARVEST_LEASE)).toBeUndefined();
		expect(
			parseHarvestCheckpoint(
				await findCheckpoint(store.db, harvestCheckpointName('arXivRaw', 'cs-sigint'))
			)
		).toMatchObject({ resumptionToken: '6961234|1001' });
	});

	it('the server schedules the harvest of DP_HARVEST_SETS and stops it on close', async () => {
		const { store, env } = get();
		const s = await serve(oaiRoute(threePages('2502')));
		const indexDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-oai-index-'));
		const app = await createApp(
			loadConfig({
				...env,
				DP_INDEX_DIR: indexDir,
				DP_LOG_LEVEL: 'silent',
				DP_HARVEST_SETS: 'cs-app',
				DP_ARXIV_OAI_URL: `${s.url}/oai2`,
				DP_ARXIV_OAI_DELAY_MS: '0'
			})
		);
		try {
			// A set never harvested starts from yesterday, as the daily run would.
			await app.jobs.runNow(HARVEST_LEASE);
			const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
			expect(queryOf(s.requests[0])).toEqual({
				verb: 'ListRecords',
				metadataPrefix: 'arXivRaw',
				set: 'cs-app',
				from: yesterday
			});
			expect(await findPaper(store.db, '2502.09001')).toBeDefined();
		} finally {
			await app.close();
			fs.rmSync(indexDir, { recursive: true, force: true });
		}
	});
});
