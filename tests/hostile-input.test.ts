/**
 * Hostile text already in the store, over real HTTP: the built server renders it
 * without blocking other requests, without raw control bytes, with titles and
 * names isolated in <bdi>, and the search page's data carries no whole abstracts.
 * (Imports refuse such records now — core/paper-safety.ts — but rows stored
 * before, or written by another tool, still reach the pages.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { savePapers } from '../src/lib/server/papers/paper.service';
import { startAppServer, type RunningServer } from './support/app-server';
import { describeEachDialect } from './support/databases';
import { makePaper } from './support/fixtures';

const RLO = '\u202e';
/** The reported case: 20,000 small math spans, about 300 KB of input. */
const manySpans = (salt: number) =>
	Array.from({ length: 20_000 }, (_, i) => `$x_{${salt}${i}}$`).join(' ');

describeEachDialect('hostile stored text over HTTP', (database) => {
	let server: RunningServer;

	beforeAll(async () => {
		server = await startAppServer([], { database: database().env });
		await savePapers(database().store.db, [
			makePaper({
				id: '2412.00001',
				title: `Invoice ${RLO}fdp.exe quokkafrond`,
				authors: [`Alice ${RLO}Jones`, 'Carol Smith'],
				// PostgreSQL text cannot hold a NUL at all; SQLite can.
				abstract: `A ${database().kind === 'sqlite' ? 'NUL\u0000' : 'SOH\u0001'} byte and a bell\u0007 in the abstract.`,
				comment: `A comment${database().kind === 'sqlite' ? '\u0000' : '\u0002'}`
			}),
			makePaper({ id: '2412.00002', title: 'Span flood one', abstract: manySpans(1) }),
			makePaper({ id: '2412.00003', title: 'Span flood two', abstract: manySpans(2) }),
			makePaper({ id: '2412.00004', title: 'Span flood three', abstract: manySpans(3) }),
			makePaper({
				id: '2412.00005',
				title: 'A megabyte abstract about wombatfrond',
				abstract: `wombatfrond ${'lorem ipsum dolor sit amet '.repeat(40_000)}TAILMARKER`
			})
		]);
	});

	beforeAll(async () => {
		// The replica indexes the new rows within a second or so: let it finish first,
		// so the latency measured below is the pages' alone.
		const deadline = Date.now() + 20_000;
		while (Date.now() < deadline) {
			const response = await fetch(`${server.url}/api/papers/search?q=wombatfrond`);
			if ((await response.text()).includes('2412.00005')) break;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	});

	afterAll(async () => {
		await server?.stop();
	});

	it('isolates stored bidi overrides in <bdi> and sends no raw control bytes', async () => {
		const response = await fetch(`${server.url}/papers/2412.00001`);
		expect(response.status).toBe(200);
		const html = await response.text();
		// eslint-disable-next-line no-control-regex -- the assertion is about control characters
		expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
		expect(html).toMatch(/A (NUL|SOH) byte and a bell in the abstract\./);
		expect(html).toContain('A comment<');
		expect(html).toMatch(
			/<h1[^>]*><bdi>(<!---->)?Invoice fdp\.exe quokkafrond(<!---->)*<\/bdi><\/h1>/
		);
		expect(html).toMatch(/<bdi class="author[^"]*"><a [^>]*>Alice Jones<\/a><\/bdi>/);
		expect(html).not.toContain(RLO);
		expect(html).toContain('<title>Invoice fdp.exe quokkafrond — Daily Papers</title>');
	});

	it('answers /healthz promptly while pages with 20,000 math spans render', async () => {
		const latencies: number[] = [];
		let rendering = true;
		const pages = (async () => {
			const sizes: number[] = [];
			for (const id of ['2412.00002', '2412.00003', '2412.00004']) {
				const response = await fetch(`${server.url}/papers/${id}`);
				expect(response.status).toBe(200);
				sizes.push((await response.arrayBuffer()).byteLength);
			}
			rendering = false;
			return sizes;
		})();
		while (rendering) {
			const sent = performance.now();
			const health = await fetch(`${server.url}/healthz`);
			await health.arrayBuffer();
			latencies.push(performance.now() - sent);
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		const sizes = await pages;
		expect(latencies.length).toBeGreaterThan(0);
		// Generous, so a loaded machine does not fail it: the unbounded render took 2.2 s.
		expect(Math.max(...latencies)).toBeLessThan(500);
		// It was 24.7 MB: math past the bounds is sent as its source, not as KaTeX markup.
		for (const size of sizes) expect(size).toBeLessThan(2_000_000);
	});

	it('keeps a whole abstract out of the search page and its hydration data', async () => {
		let data = '';
		const deadline = Date.now() + 15_000;
		for (;;) {
			const response = await fetch(
				`${server.url}/search/__data.json?q=wombatfrond&x-sveltekit-invalidated=01`
			);
			expect(response.status).toBe(200);
			data = await response.text();
			if (data.includes('2412.00005') || Date.now() > deadline) break;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		expect(data).toContain('2412.00005');
		expect(data).not.toContain('TAILMARKER');
		expect(data.length).toBeLessThan(20_000);
		const html = await (await fetch(`${server.url}/search?q=wombatfrond`)).text();
		expect(html).toContain('2412.00005');
		expect(html).not.toContain('TAILMARKER');
		expect(html.length).toBeLessThan(100_000);
	});
});
