/**
 * Reading lists and following in Chromium, with JavaScript and without, against the
 * built site: follow an author from their page → a new paper by them shows on /me
 * marked "new" → the next visit shows it no longer new; save a paper from a feed card
 * and find it on /me/saved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { SESSION_COOKIE } from '../src/lib/server/auth/identify';
import { startSession } from '../src/lib/server/auth/session.service';
import { createDb, type Store } from '../src/lib/server/db/create-db';
import { savePapers } from '../src/lib/server/papers/paper.service';
import { startAppServer, type RunningServer } from '../tests/support/app-server';
import { writeFeedFixture } from '../tests/support/feed-fixture';
import { addMembers, makePaper } from '../tests/support/fixtures';
import { browserAvailable, launchBrowser } from './support/browser';

const canRun = browserAvailable();
const DAY = '/papers?date=2024-06-03';
const AUTHOR = 'Grace Hopper';

describe.skipIf(!canRun)('reading list and following in a browser', () => {
	let server: RunningServer;
	let store: Store;
	let browser: Browser;
	let site: string;

	const signedInPage = async (member: string, javaScriptEnabled: boolean): Promise<Page> => {
		const session = await startSession(store.db, member);
		const context = await browser.newContext({ javaScriptEnabled });
		await context.addCookies([
			{ name: SESSION_COOKIE, value: session.token, url: site, httpOnly: true, sameSite: 'Lax' }
		]);
		return context.newPage();
	};

	beforeAll(async () => {
		server = await startAppServer([writeFeedFixture()]);
		site = `http://localhost:${new URL(server.url).port}`;
		store = createDb({ kind: 'sqlite', path: server.dbPath });
		await addMembers(store.db, ['reader-js', 'reader-nojs']);
		await savePapers(store.db, [
			makePaper({
				title: 'Sparse mixtures of $k$ experts, revisited',
				authors: [AUTHOR, 'Edsger Dijkstra', 'Barbara Liskov'],
				categories: ['cs.LG', 'stat.ML'],
				publishedAt: new Date(Date.now() - 2 * 86_400_000).toISOString()
			})
		]);
		browser = await launchBrowser();
	});

	afterAll(async () => {
		await browser?.close();
		await store?.close();
		await server?.stop();
	});

	for (const javaScript of [true, false]) {
		describe(javaScript ? 'with JavaScript' : 'without JavaScript', () => {
			const member = javaScript ? 'reader-js' : 'reader-nojs';
			let page: Page;
			beforeAll(async () => {
				page = await signedInPage(member, javaScript);
			});
			afterAll(async () => page?.context().close());

			it('follows an author from their page; a new paper by them is "new" on /me once', async () => {
				await page.goto(`${site}${DAY}`);
				// Author names on cards lead to the author's page.
				await page
					.locator('article.card[data-paper-id="2406.00003"] .authors')
					.getByRole('link', { name: AUTHOR })
					.click();
				await page.waitForURL(`**/authors/${encodeURIComponent(AUTHOR)}`);
				expect(await page.locator('h1').textContent()).toBe(AUTHOR);
				await page.getByRole('button', { name: `Follow ${AUTHOR}` }).click();
				await expect
					.poll(() => page.getByRole('button', { name: `Unfollow ${AUTHOR}` }).count())
					.toBe(1);

				// The first visit: what is there now (the other member's fresh paper too) is seen.
				await page.goto(`${site}/me`);
				const fresh = makePaper({
					title: `Fresh work by Grace (${member})`,
					authors: [AUTHOR, 'Someone New'],
					publishedAt: new Date().toISOString()
				});
				await savePapers(store.db, [fresh]);
				await page.goto(`${site}/me`);
				const item = page.locator('[data-new="true"]');
				expect(await item.count()).toBe(1);
				expect(await item.locator('.new-marker').textContent()).toBe('new');
				expect(await item.locator('article.card').getAttribute('data-paper-id')).toBe(fresh.id);
				expect(await item.locator('.why').textContent()).toContain(`by ${AUTHOR}`);

				await page.reload();
				expect(await page.locator('[data-new="true"]').count()).toBe(0);
				expect(await page.locator(`article.card[data-paper-id="${fresh.id}"]`).count()).toBe(1);
			});

			it('saves a paper from a card and finds it on /me/saved', async () => {
				await page.goto(`${site}${DAY}`);
				const save = page.locator('article.card[data-paper-id="2406.00002"] form.save button');
				expect(await save.getAttribute('aria-pressed')).toBe('false');
				await save.click();
				await expect.poll(() => save.getAttribute('aria-pressed')).toBe('true');
				expect(await save.textContent()).toContain('Saved');
				// Without JavaScript the form came back to the same page, at the card.
				if (!javaScript) expect(page.url()).toBe(`${site}${DAY}#paper-2406.00002`);
				await page.goto(`${site}/me/saved`);
				await expect
					.poll(() => page.locator('article.card[data-paper-id="2406.00002"]').count())
					.toBe(1);
				await page.getByLabel('Your note').fill('Compare with §4 of the other one');
				await page.getByRole('button', { name: 'Save note' }).click();
				await page.waitForURL('**/me/saved#paper-2406.00002');
				expect(await page.getByLabel('Your note').inputValue()).toBe(
					'Compare with §4 of the other one'
				);
			});
		});
	}
	it('lays the pages out at 1280 and 390 px (screenshots in test-results/)', async () => {
		const page = await signedInPage('reader-nojs', false);
		for (const width of [1280, 390]) {
			await page.setViewportSize({ width, height: 900 });
			for (const [name, path] of [
				['author', `/authors/${encodeURIComponent(AUTHOR)}`],
				['category', '/categories/cs.LG'],
				['me', '/me'],
				['saved', '/me/saved'],
				['paper', '/papers/2406.00002']
			]) {
				await page.goto(`${site}${path}`);
				expect(await page.locator('h1').count()).toBe(1);
				// Nothing wider than the window: no sideways scrolling on a phone.
				expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
					width
				);
				await page.screenshot({
					path: `test-results/library-${name}-${width}.png`,
					fullPage: true
				});
			}
		}
		await page.context().close();
	});
});
