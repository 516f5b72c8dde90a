import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startAppServer, type RunningServer } from '../tests/support/app-server';
import { writeFeedFixture } from '../tests/support/feed-fixture';
import { browserAvailable, launchBrowser } from './support/browser';

const canRun = browserAvailable();

/** What the page reported as blocked by its Content-Security-Policy, from the event and the console. */
interface Violations {
	events: string[];
	console: string[];
}

describe.skipIf(!canRun)('the Content-Security-Policy in a browser', () => {
	let server: RunningServer;
	let browser: Browser;
	let page: Page;
	const consoleViolations: string[] = [];

	beforeAll(async () => {
		server = await startAppServer([writeFeedFixture()]);
		browser = await launchBrowser();
		page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
		// Registered before any page script runs, on every document the tab loads.
		await page.addInitScript(() => {
			const seen: string[] = [];
			(window as unknown as { cspViolations: string[] }).cspViolations = seen;
			document.addEventListener('securitypolicyviolation', (event) =>
				seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'}`)
			);
		});
		page.on('console', (message) => {
			if (/Content Security Policy|Refused to/i.test(message.text())) {
				consoleViolations.push(message.text());
			}
		});
	});

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	const violations = async (): Promise<Violations> => ({
		events: await page.evaluate(
			() => (window as unknown as { cspViolations: string[] }).cspViolations
		),
		console: [...consoleViolations]
	});

	it('blocks nothing on the feed', async () => {
		await page.goto(`${server.url}/papers?date=2024-06-03`);
		expect(await page.locator('article.card').count()).toBe(3);
		expect(await page.locator('article.card .katex').count()).toBeGreaterThan(0);
		expect(await violations()).toEqual({ events: [], console: [] });
	});

	it('blocks nothing on a paper page with KaTeX, whose stylesheet and fonts load', async () => {
		await page.goto(`${server.url}/papers/2406.00001`);
		expect(await page.locator('h1 .katex').count()).toBe(1);
		const katexFontsLoaded = await page.evaluate(async () => {
			await document.fonts.ready;
			return [...document.fonts].filter((f) => f.family.includes('KaTeX') && f.status === 'loaded')
				.length;
		});
		expect(katexFontsLoaded).toBeGreaterThan(0);
		// KaTeX's stylesheet applied: its hidden MathML copy is clipped away.
		const mathmlClip = await page
			.locator('h1 .katex-mathml')
			.evaluate((el) => getComputedStyle(el).position);
		expect(mathmlClip).toBe('absolute');
		expect(await violations()).toEqual({ events: [], console: [] });
	});

	it('blocks nothing on /search while hydrated results follow the typing', async () => {
		await page.goto(`${server.url}/search`);
		await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
		const box = page.getByRole('searchbox', { name: 'Search papers' });
		await box.pressSequentially('attention', { delay: 30 });
		await page.waitForURL(/q=attention/);
		await expect.poll(() => page.locator('li.hit').count(), { timeout: 5000 }).toBeGreaterThan(0);
		// Still the same document: the island hydrated (its nonce'd scripts ran) and did the search.
		expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
		expect(await violations()).toEqual({ events: [], console: [] });
	});

	it('does block a script injected into a page (the listener sees violations)', async () => {
		await page.goto(`${server.url}/papers?date=2024-06-03`);
		const ran = await page.evaluate(async () => {
			const script = document.createElement('script');
			script.textContent = 'window.injectedRan = true';
			document.body.append(script);
			await new Promise((resolve) => setTimeout(resolve, 100));
			return (window as unknown as { injectedRan?: boolean }).injectedRan === true;
		});
		expect(ran).toBe(false);
		expect((await violations()).events).toEqual(['script-src-elem blocked inline']);
		consoleViolations.length = 0;
	});

	it('cannot be framed by another page', async () => {
		const framed = await browser.newPage();
		await framed.setContent(`<iframe src="${server.url}/" width="400" height="300"></iframe>`);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		const frame = framed.frames().find((f) => f.url().startsWith(server.url));
		const framedText = frame ? await frame.evaluate(() => document.body?.innerText ?? '') : '';
		expect(framedText).not.toContain('Daily Papers');
		await framed.close();
	});
});
