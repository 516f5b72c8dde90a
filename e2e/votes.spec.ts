/**
 * Upvoting in Chromium, with JavaScript (the vote changes in place, and is put back
 * with a message when the server refuses it or cannot be reached) and without (the
 * button is a form that comes back to the same place), against the built site.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SESSION_COOKIE } from '../src/lib/server/auth/identify';
import { endSession, startSession } from '../src/lib/server/auth/session.service';
import { createDb, type Store } from '../src/lib/server/db/create-db';
import { startAppServer, type RunningServer } from '../tests/support/app-server';
import { writeFeedFixture } from '../tests/support/feed-fixture';
import { addMembers } from '../tests/support/fixtures';
import { browserAvailable, launchBrowser } from './support/browser';

const canRun = browserAvailable();
const DAY = '/papers?date=2024-06-03';

describe.skipIf(!canRun)('upvoting in a browser', () => {
	let server: RunningServer;
	let store: Store;
	let browser: Browser;
	// The site's public origin (DP_PUBLIC_URL defaults to http://localhost:<PORT>): the one a
	// browser's same-site form posts come from.
	let site: string;

	const signedInPage = async (member: string, javaScriptEnabled: boolean) => {
		const session = await startSession(store.db, member);
		const context = await browser.newContext({ javaScriptEnabled });
		await context.addCookies([
			{ name: SESSION_COOKIE, value: session.token, url: site, httpOnly: true, sameSite: 'Lax' }
		]);
		return { context, page: await context.newPage(), token: session.token };
	};
	const card = (page: Page, id: string) => page.locator(`article.card[data-paper-id="${id}"]`);
	const shownCount = async (id: string) =>
		((await (await fetch(`${server.url}/api/papers/${id}`)).json()) as { upvotes: number }).upvotes;

	beforeAll(async () => {
		server = await startAppServer([writeFeedFixture()]);
		site = `http://localhost:${new URL(server.url).port}`;
		store = createDb({ kind: 'sqlite', path: server.dbPath });
		await addMembers(store.db, ['ada', 'noscript', 'leaving', 'searcher']);
		browser = await launchBrowser();
	});

	afterAll(async () => {
		await browser?.close();
		await store?.close();
		await server?.stop();
	});

	describe('with JavaScript', () => {
		let context: BrowserContext;
		let page: Page;
		const policyViolations: string[] = [];
		beforeAll(async () => {
			({ context, page } = await signedInPage('ada', true));
			page.on('console', (message) => {
				if (message.text().includes('Content Security Policy'))
					policyViolations.push(message.text());
			});
		});
		afterAll(async () => context?.close());

		it('votes and takes the vote back in place, without leaving the page', async () => {
			await page.goto(`${site}${DAY}`);
			// A marker that a reload or navigation would wipe.
			await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
			const button = card(page, '2406.00003').locator('form.vote button');
			expect(await button.getAttribute('aria-pressed')).toBe('false');
			expect(await button.locator('.count').textContent()).toBe('3');
			await button.click();
			await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true');
			expect(await button.locator('.count').textContent()).toBe('4');
			await expect.poll(() => shownCount('2406.00003')).toBe(4);
			await button.click();
			await expect.poll(() => shownCount('2406.00003')).toBe(3);
			expect(await button.getAttribute('aria-pressed')).toBe('false');
			expect(await button.locator('.count').textContent()).toBe('3');
			expect(page.url()).toBe(`${site}${DAY}`);
			// The script is a file from the site itself: the page's CSP lets it run, unchanged.
			expect(policyViolations).toEqual([]);
			expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(
				true
			);
		});

		it('puts the button back with a message when the network fails', async () => {
			// Held for a moment, then cut: the vote shows at once (optimistic), then goes back.
			await page.route('**/api/papers/*/upvote', async (route) => {
				await new Promise((r) => setTimeout(r, 700));
				await route.abort('connectionrefused');
			});
			const vote = card(page, '2406.00002');
			const button = vote.locator('form.vote button');
			await button.click();
			await expect.poll(() => button.getAttribute('aria-pressed'), { timeout: 600 }).toBe('true');
			expect(await button.locator('.count').textContent()).toBe('13');
			await expect
				.poll(() => vote.locator('.vote-problem').textContent())
				.toContain('Could not reach the server');
			expect(await button.getAttribute('aria-pressed')).toBe('false');
			expect(await button.locator('.count').textContent()).toBe('12');
			expect(await shownCount('2406.00002')).toBe(12);
			await page.unroute('**/api/papers/*/upvote');
			await page.screenshot({ path: 'test-results/vote-rolled-back.png' });
		});
	});

	it('votes in place on the search page too, which hydrates', async () => {
		const { context, page } = await signedInPage('searcher', true);
		await page.goto(`${site}/search?q=${encodeURIComponent('quiet paper')}`);
		const hit = page.locator('li.hit[data-paper-id="2406.00003"]');
		const button = hit.getByRole('button');
		expect(await button.getAttribute('aria-pressed')).toBe('false');
		const before = Number(await button.locator('.count').textContent());
		await button.click();
		await expect.poll(() => shownCount('2406.00003')).toBe(before + 1);
		expect(await button.getAttribute('aria-pressed')).toBe('true');
		expect(await button.locator('.count').textContent()).toBe(String(before + 1));
		// A reload shows the vote as the server has it.
		await page.reload();
		expect(
			await page
				.locator('li.hit[data-paper-id="2406.00003"]')
				.getByRole('button')
				.getAttribute('aria-pressed')
		).toBe('true');
		// Taken back, so the other tests see the fixture's count.
		await page.locator('li.hit[data-paper-id="2406.00003"]').getByRole('button').click();
		await expect.poll(() => shownCount('2406.00003')).toBe(before);
		await context.close();
	});

	it('puts the vote back and says why when the server refuses it (the session ended)', async () => {
		const { context, page, token } = await signedInPage('leaving', true);
		await page.goto(`${site}${DAY}`);
		await endSession(store.db, token);
		const vote = card(page, '2406.00001');
		const button = vote.locator('form.vote button');
		await button.click();
		await expect.poll(() => vote.locator('.vote-problem').textContent()).toContain('Sign in');
		expect(await button.getAttribute('aria-pressed')).toBe('false');
		expect(await button.locator('.count').textContent()).toBe('40');
		expect(await shownCount('2406.00001')).toBe(40);
		await context.close();
	});

	it('votes without JavaScript: a form post that returns to the same place', async () => {
		const { context, page } = await signedInPage('noscript', false);
		await page.goto(`${site}${DAY}`);
		const button = card(page, '2406.00003').locator('form.vote button');
		await button.click();
		await page.waitForURL(`${site}${DAY}#paper-2406.00003`);
		const after = card(page, '2406.00003').locator('form.vote button');
		expect(await after.getAttribute('aria-pressed')).toBe('true');
		expect(await after.locator('.count').textContent()).toBe('4');
		expect(await shownCount('2406.00003')).toBe(4);
		await after.click();
		await page.waitForURL(`${site}${DAY}#paper-2406.00003`);
		expect(
			await card(page, '2406.00003').locator('form.vote button').getAttribute('aria-pressed')
		).toBe('false');
		expect(await shownCount('2406.00003')).toBe(3);
		await context.close();
	});

	it('sends a signed-out reader to sign in, returning to the page afterwards', async () => {
		const context = await browser.newContext();
		const page = await context.newPage();
		await page.goto(`${site}${DAY}`);
		const link = card(page, '2406.00003').getByRole('link', { name: /Sign in to upvote/ });
		expect(await link.getAttribute('href')).toBe(`/signin?next=${encodeURIComponent(DAY)}`);
		await context.close();
	});
});
