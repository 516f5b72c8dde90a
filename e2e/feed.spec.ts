import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startAppServer, type RunningServer } from '../tests/support/app-server';
import { HOSTILE_TITLE, writeFeedFixture } from '../tests/support/feed-fixture';
import { browserAvailable, launchBrowser } from './support/browser';

const canRun = browserAvailable();

describe.skipIf(!canRun)('reading the daily feed in a browser', () => {
	let server: RunningServer;
	let browser: Browser;
	let page: Page;
	const dialogs: string[] = [];

	beforeAll(async () => {
		server = await startAppServer([writeFeedFixture()]);
		browser = await launchBrowser();
		page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
		page.on('dialog', async (dialog) => {
			dialogs.push(dialog.message());
			await dialog.dismiss();
		});
		fs.mkdirSync('test-results', { recursive: true });
	});

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('opens on the latest day with picks, most upvoted first', async () => {
		await page.goto(server.url);
		await expect.poll(() => page.locator('h1 .when').textContent()).toContain('4 June 2024');
		const titles = await page.locator('article.card h2').allTextContents();
		expect(titles.map((t) => t.trim())).toEqual(['Newest day, most upvoted', 'Newest day, second']);
	});

	it('goes to the previous day and shows a hostile title as text', async () => {
		await page.getByRole('link', { name: /Previous day/ }).click();
		await page.waitForURL(/date=2024-06-03/);
		const cards = page.locator('article.card');
		expect(await cards.count()).toBe(3);
		const hostile = page.locator('article.card[data-paper-id="2406.00002"] h2');
		expect(await hostile.textContent()).toContain('<script>alert(1)</script> &');
		expect(await hostile.locator('.katex').count()).toBe(1);
		expect(await page.locator('main script').count()).toBe(0);
		expect(dialogs).toEqual([]);
		expect(HOSTILE_TITLE).toContain('<script>');
		await page.screenshot({ path: 'test-results/feed-day.png', fullPage: true });
	});

	it('opens a paper with rendered LaTeX, the bad formula as text, and its links', async () => {
		await page.locator('article.card[data-paper-id="2406.00001"] h2 a').click();
		await page.waitForURL(/\/papers\/2406\.00001$/);
		expect(await page.locator('h1 .katex').count()).toBe(1);
		expect(await page.locator('.abstract .katex').count()).toBe(1);
		expect(await page.locator('.abstract .math-error').textContent()).toContain('\\frac{1}{');
		const href = (name: string) =>
			page.getByRole('link', { name, exact: true }).getAttribute('href');
		expect(await href('arXiv page')).toBe('https://arxiv.org/abs/2406.00001');
		expect(await href('PDF')).toBe('https://arxiv.org/pdf/2406.00001');
		expect(await page.locator('nav.links a', { hasText: 'Code' }).getAttribute('href')).toBe(
			'https://github.com/example/repo'
		);
		await page.screenshot({ path: 'test-results/paper-page.png', fullPage: true });
	});

	it('fits a phone screen without sideways scrolling', async () => {
		const phone = await browser.newPage({ viewport: { width: 375, height: 740 } });
		await phone.goto(`${server.url}/papers?date=2024-06-03`);
		const overflow = await phone.evaluate(
			() => document.documentElement.scrollWidth - window.innerWidth
		);
		expect(overflow).toBeLessThanOrEqual(0);
		await phone.screenshot({ path: 'test-results/feed-phone.png', fullPage: true });
		await phone.close();
	});

	it('answers an unknown paper with a 404 page', async () => {
		const response = await page.goto(`${server.url}/papers/2406.99999`);
		expect(response?.status()).toBe(404);
		expect(await page.locator('h1').textContent()).toContain('Not found');
	});
});
