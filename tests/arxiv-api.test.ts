/**
 * fetchArxivByIds over real HTTP against a local replay of recorded arXiv responses.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ArxivRequestError, fetchArxivByIds } from '../src/lib/server/ingest/arxiv-api';
import {
	loadArxivRecordings,
	recordingKey,
	startReplayServer,
	type RecordedResponse,
	type ReplayServer
} from './support/replay-server';
import { sharedData } from './support/shared-data';

const dataDir = sharedData('arxiv-api-atom');
const recordings = dataDir ? loadArxivRecordings(dataDir) : new Map<string, RecordedResponse>();

/** The recording of an id lookup, as it was made (status and body untouched). */
function lookup(idList: string): RecordedResponse {
	const found = recordings.get(recordingKey(new URLSearchParams({ id_list: idList })));
	if (!found) throw new Error(`no recording for id_list=${idList}`);
	return found;
}

const idsOf = (url: URL) => url.searchParams.get('id_list')?.split(',') ?? [];

let server: ReplayServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

async function serve(
	route: (url: URL) => RecordedResponse | RecordedResponse[] | undefined
): Promise<ReplayServer> {
	server = await startReplayServer(route);
	return server;
}

/** Fast, local options: no courtesy delay, a short timeout. */
const local = (s: ReplayServer) => ({
	baseUrl: `${s.url}/api/query`,
	minDelayMs: 0,
	timeoutMs: 5000
});

describe.skipIf(!dataDir)('fetchArxivByIds against recorded arXiv responses', () => {
	it('finds every recording by its id_list', () => {
		expect(recordings.size).toBe(20);
		expect(lookup('2104.12255v1').status).toBe(200);
		expect(lookup('abc').status).toBe(400);
	});

	it('looks up new-style, versioned and old-style ids', async () => {
		const s = await serve((url) => recordings.get(recordingKey(url.searchParams)));
		const versioned = await fetchArxivByIds(['2104.12255v1'], local(s));
		expect(versioned.papers.map((p) => [p.id, p.version, p.title])).toEqual([
			['2104.12255', 1, '0']
		]);
		const old = await fetchArxivByIds([' astro-ph/0601001 '], local(s));
		expect(old.papers[0]).toMatchObject({
			id: 'astro-ph/0601001',
			journalRef: 'ActaAstron.56:1-50,2006'
		});
		const crossListed = await fetchArxivByIds(['quant-ph/0201082v1'], local(s));
		expect(crossListed.papers[0].categories).toEqual(['quant-ph', 'cs.PL']);

		expect(s.requests.map((u) => u.pathname)).toEqual(Array(3).fill('/api/query'));
		expect(s.requests.map((u) => u.search)).toEqual([
			'?id_list=2104.12255v1&max_results=1',
			'?id_list=astro-ph%2F0601001&max_results=1',
			'?id_list=quant-ph%2F0201082v1&max_results=1'
		]);
	});

	it('returns no papers for an id arXiv does not have', async () => {
		// 0000.0000 itself fails id validation, so a valid unknown id gets its recorded answer.
		const s = await serve(() => lookup('0000.0000'));
		const result = await fetchArxivByIds(['0704.9999'], local(s));
		expect(result).toEqual({
			papers: [],
			skipped: [],
			totalResults: 0,
			startIndex: 0,
			itemsPerPage: 100
		});
	});

	it('retries a 503 after its Retry-After and then succeeds', async () => {
		const s = await serve(() => [
			{ status: 503, body: 'Service temporarily unavailable', headers: { 'retry-after': '1' } },
			lookup('2104.12255v1')
		]);
		const started = Date.now();
		const result = await fetchArxivByIds(['2104.12255v1'], local(s));
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(result.papers.map((p) => p.id)).toEqual(['2104.12255']);
		expect(s.requests).toHaveLength(2);
	});

	it('rejects a 400 error feed with the arXiv message, without retrying', async () => {
		const s = await serve(() => lookup('abc'));
		const failure = fetchArxivByIds(['2104.12255'], local(s));
		await expect(failure).rejects.toThrow(/HTTP 400 .*incorrect id format for abc/);
		await expect(failure).rejects.toMatchObject({ status: 400 });
		expect(s.requests).toHaveLength(1);
	});

	it('reports a truncated body clearly', async () => {
		const whole = lookup('astro-ph/0601001').body;
		const s = await serve(() => ({
			status: 200,
			body: whole.slice(0, Math.floor(whole.length * 0.6))
		}));
		const failure = fetchArxivByIds(['astro-ph/0601001'], local(s));
		await expect(failure).rejects.toThrow(ArxivRequestError);
		await expect(failure).rejects.toThrow(/not well-formed XML \(truncated\?\).*\(http:\/\/127/);
		expect(s.requests).toHaveLength(1);
	});

	it('splits long id lists into spaced chunks of 100 and merges them', async () => {
		const ids = Array.from({ length: 150 }, (_, i) => `2401.${String(i + 1).padStart(5, '0')}`);
		const badEntry = lookup('2104.12255v1').body.replace('<title>0</title>', '<title> </title>');
		const s = await serve((url) =>
			idsOf(url).length === 100 ? lookup('2104.12255v1') : { status: 200, body: badEntry }
		);
		const started = Date.now();
		const result = await fetchArxivByIds([...ids, ids[0]], { ...local(s), minDelayMs: 300 });
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		expect(s.requests.map(idsOf)).toEqual([ids.slice(0, 100), ids.slice(100)]);
		expect(s.requests.map((u) => u.searchParams.get('max_results'))).toEqual(['100', '50']);
		expect(result.papers.map((p) => p.id)).toEqual(['2104.12255']);
		// The skipped entry is the second entry of the merged answer.
		expect(result.skipped).toEqual([
			{ index: 1, id: 'http://arxiv.org/abs/2104.12255v1', reason: 'empty title' }
		]);
		expect(result).toMatchObject({ totalResults: 2, startIndex: 0, itemsPerPage: 200 });
	});
});

/** A minimal valid feed, for tests that do not need recorded data. */
const tinyFeed = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>arXiv Query</title></feed>`;

describe('fetchArxivByIds failure handling', () => {
	it('gives up on 429 once retries are spent', async () => {
		const s = await serve(() => ({
			status: 429,
			body: 'Too many',
			headers: { 'retry-after': '0' }
		}));
		const failure = fetchArxivByIds(['2104.12255'], { ...local(s), retries: 2 });
		await expect(failure).rejects.toThrow(ArxivRequestError);
		await expect(failure).rejects.toThrow(/HTTP 429 after 3 attempt/);
		expect(s.requests).toHaveLength(3);
	});

	it('rejects other non-2xx statuses at once', async () => {
		const s = await serve(() => ({ status: 500, body: '<html>oops</html>' }));
		await expect(fetchArxivByIds(['2104.12255'], local(s))).rejects.toThrow(
			/HTTP 500 Internal Server Error \(http:\/\/127\.0\.0\.1/
		);
		expect(s.requests).toHaveLength(1);
	});

	it('rejects an invalid id before making any request', async () => {
		const s = await serve(() => ({ status: 200, body: tinyFeed }));
		await expect(fetchArxivByIds(['abc'], local(s))).rejects.toThrow('Not an arXiv id: "abc"');
		// The recorded two-id lookup used 0808.05394: five digits before 2015 is not an arXiv id.
		await expect(fetchArxivByIds(['1707.08567', '0808.05394'], local(s))).rejects.toThrow(
			'Not an arXiv id: "0808.05394"'
		);
		expect(s.requests).toHaveLength(0);
	});

	it('times out a response that never comes', async () => {
		const s = await serve(() => ({ status: 200, body: tinyFeed, delayMs: 3000 }));
		const started = Date.now();
		await expect(
			fetchArxivByIds(['2104.12255v1'], { ...local(s), timeoutMs: 200, retries: 0 })
		).rejects.toThrow(/timed out/);
		expect(Date.now() - started).toBeLessThan(2000);
	});

	it('retries a timed-out request', async () => {
		const s = await serve(() => [
			{ status: 200, body: tinyFeed, delayMs: 3000 },
			{ status: 200, body: tinyFeed }
		]);
		const result = await fetchArxivByIds(['2104.12255'], {
			...local(s),
			timeoutMs: 300,
			retries: 1
		});
		expect(result.papers).toEqual([]);
		expect(s.requests).toHaveLength(2);
	});

	it('makes no request for an empty id list', async () => {
		const s = await serve(() => undefined);
		expect(await fetchArxivByIds([], local(s))).toEqual({
			papers: [],
			skipped: [],
			totalResults: 0,
			startIndex: 0,
			itemsPerPage: 0
		});
		expect(s.requests).toHaveLength(0);
	});
});
