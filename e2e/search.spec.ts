import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createDb } from '../src/lib/server/db/create-db';
import { savePapers } from '../src/lib/server/papers/paper.service';
import { startAppServer, type RunningServer } from '../tests/support/app-server';
import { writeFeedFixture } from '../tests/support/feed-fixture';
import { makePaper } from '../tests/support/fixtures';
import { browserAvailable, launchBrowser } from './support/browser';

const canRun = browserAvailable();

describe.skipIf(!canRun)('searching in a browser', () => {
	let server: RunningServer;
	let browser: Browser;
	let page: Page;

	beforeAll(async () => {
		server = await startAppServer([writeFeedFixture()]);
		const store = createDb({ kind: 'sqlite', path: server.dbPath });
		await savePapers(store.db, [
			makePaper({
				id: '2408.00001',
				title: 'Sparse mixture of experts for translation',
				sourceUpvotes: 9,
				publishedAt: '2024-08-01T00:00:00.000Z'
			}),
			makePaper({
				id: '2408.00002',
				title: 'Dense experts revisited',
				sourceUpvotes: 2,
				publishedAt: '2023-08-01T00:00:00.000Z'
			})
		]);
		await store.close();
		browser = await launchBrowser();
		page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
	});

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('updates results while typing, without reloading the page', async () => {
		await page.goto(`${server.url}/search`);
		await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
		const box = page.getByRole('searchbox', { name: 'Search papers' });
		await box.pressSequentially('experts', { delay: 30 });
		await page.waitForURL(/q=experts/);
		await expect.poll(() => page.locator('li.hit').count(), { timeout: 5000 }).toBe(2);
		expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
		expect(await page.locator('li.hit h2 mark').first().textContent()).toMatch(/experts/i);
		await box.pressSequentially(' year:2024', { delay: 20 });
		await expect.poll(() => page.locator('li.hit').count(), { timeout: 5000 }).toBe(1);
		expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
		await page.screenshot({ path: 'test-results/search.png', fullPage: true });
	});

	it('removes a filter with its chip', async () => {
		await page.getByRole('link', { name: /Year: 2024/ }).click();
		await page.waitForURL((url) => !url.search.includes('year'));
		await expect.poll(() => page.locator('li.hit').count(), { timeout: 5000 }).toBe(2);
	});

	it('opens a result', async () => {
		await page.locator('li.hit[data-paper-id="2408.00001"] h2 a').click();
		await page.waitForURL(/\/papers\/2408\.00001$/);
		expect(await page.locator('h1').textContent()).toContain('Sparse mixture of experts');
	});

	it('still searches with the plain form when JavaScript is off', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const plain = await context.newPage();
		await plain.goto(server.url);
		await plain.getByRole('searchbox', { name: 'Search papers' }).fill('translation');
		await plain.getByRole('button', { name: 'Search' }).click();
		await plain.waitForURL(/\/search\?q=translation/);
		expect(await plain.locator('li.hit').count()).toBe(1);
		await context.close();
	});

	// Regression: the first letters typed before the page hydrated were lost (the box
	// showed "xperts" and searched for it), which failed this suite on a cold clone.
	it('keeps and searches what was typed before the page hydrated', async () => {
		const early = await browser.newPage();
		try {
			const held: (() => Promise<void>)[] = [];
			let holding = true;
			await early.route('**/_app/immutable/**', (route) =>
				holding ? void held.push(() => route.continue()) : route.continue()
			);
			await early.goto(`${server.url}/search`, { waitUntil: 'commit' });
			const box = early.getByRole('searchbox', { name: 'Search papers' });
			await box.waitFor();
			expect(held.length).toBeGreaterThan(0);
			await box.pressSequentially('experts', { delay: 10 });
			holding = false;
			await Promise.all(held.map((release) => release()));
			await early.waitForURL(/q=experts/);
			await expect.poll(() => early.locator('li.hit').count(), { timeout: 5000 }).toBe(2);
			expect(await box.inputValue()).toBe('experts');
		} finally {
			await early.close();
		}
	});
});
