/**
 * A member's profile and settings in Chromium, at a desktop and a phone width: the
 * avatar loads under the page's CSP, nothing overflows sideways, and the settings
 * forms work without JavaScript (the pages ship none). Screenshots land in test-results/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startSession } from '../src/lib/server/auth/session.service';
import { createDb, type Store } from '../src/lib/server/db/create-db';
import { changeProfile, findOrCreateMember } from '../src/lib/server/members/member.service';
import { castVote } from '../src/lib/server/votes/vote.service';
import { startAppServer, type RunningServer } from '../tests/support/app-server';
import { writeFeedFixture } from '../tests/support/feed-fixture';
import { addSubmission } from '../tests/support/member-fixtures';
import { browserAvailable, launchBrowser } from './support/browser';

const canRun = browserAvailable();

describe.skipIf(!canRun)('a member in a browser', () => {
	let server: RunningServer;
	let store: Store;
	let browser: Browser;
	// The site's public origin (DP_PUBLIC_URL defaults to http://localhost:<PORT>): forms post to it.
	let origin = '';
	let token = '';
	const violations: string[] = [];

	beforeAll(async () => {
		server = await startAppServer([writeFeedFixture()]);
		origin = `http://localhost:${new URL(server.url).port}`;
		store = createDb({ kind: 'sqlite', path: server.dbPath });
		const { member } = await findOrCreateMember(store.db, 'ada@example.org');
		await changeProfile(store.db, member.id, {
			username: 'ada',
			displayName: 'Ada Lovelace, Countess of Lovelace'
		});
		await store.db.updateTable('members').set({ role: 'moderator' }).execute();
		for (const [paperId, day] of [
			['2406.00001', '2024-06-05'],
			['2406.00002', '2024-06-06']
		]) {
			await addSubmission(store.db, {
				paperId,
				day,
				memberId: member.id,
				username: 'ada',
				at: `${day}T09:00:00.000Z`
			});
		}
		await castVote(store.db, { paperId: '2406.00004', memberId: member.id });
		token = (await startSession(store.db, member.id)).token;
		browser = await launchBrowser();
		fs.mkdirSync('test-results', { recursive: true });
	});

	afterAll(async () => {
		await browser?.close();
		await store?.close();
		await server?.stop();
	});

	async function signedInPage(width: number): Promise<{ context: BrowserContext; page: Page }> {
		const context = await browser.newContext({
			viewport: { width, height: 900 },
			javaScriptEnabled: false
		});
		await context.addCookies([{ name: 'dp_session', value: token, url: origin }]);
		const page = await context.newPage();
		page.on('console', (message) => {
			if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
		});
		return { context, page };
	}

	const overflowsSideways = (page: Page) =>
		page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

	for (const width of [1280, 390]) {
		it(`shows the profile with its avatar, role and lists at ${width} px`, async () => {
			const { context, page } = await signedInPage(width);
			await page.goto(`${origin}/u/ADA`);
			expect(new URL(page.url()).pathname).toBe('/u/ada');
			expect(await page.locator('h1').textContent()).toContain('Ada Lovelace');
			expect(await page.locator('.role').textContent()).toBe('moderator');
			const avatarWidth = await page
				.locator('main img.avatar')
				.evaluate((img: HTMLImageElement) => img.naturalWidth);
			expect(avatarWidth).toBeGreaterThan(0);
			expect(await page.locator('article.card').count()).toBe(2);
			expect(await overflowsSideways(page)).toBe(false);
			await page.screenshot({
				path: path.join('test-results', `profile-${width}.png`),
				fullPage: true
			});
			await page.getByRole('link', { name: /Upvoted/ }).click();
			expect(await page.locator('article.card h2').allTextContents()).toEqual([
				'Newest day, most upvoted'
			]);
			await context.close();
		});

		it(`shows the settings and saves a profile without JavaScript at ${width} px`, async () => {
			const { context, page } = await signedInPage(width);
			await page.goto(`${origin}/settings?welcome=1`);
			expect(await page.locator('.welcome').textContent()).toContain('Welcome');
			await page.getByLabel("New token's name").fill(`phone ${width}`);
			await page.getByRole('button', { name: 'Create token' }).click();
			expect(await page.locator('input.secret').inputValue()).toMatch(/^dp_/);
			expect(await overflowsSideways(page)).toBe(false);
			await page.screenshot({
				path: path.join('test-results', `settings-${width}.png`),
				fullPage: true
			});

			await page.goto(`${origin}/settings`);
			await page.getByLabel('Username').fill('аda');
			await page.getByRole('button', { name: 'Save profile' }).click();
			expect(await page.locator('#username-help').textContent()).toContain('only the letters a–z');
			expect(await page.getByLabel('Username').inputValue()).toBe('аda');
			await page.getByLabel('Username').fill('ada');
			await page.getByRole('button', { name: 'Save profile' }).click();
			expect(new URL(page.url()).search).toBe('?done=profile');
			expect(await page.getByRole('status').first().textContent()).toContain('saved');
			await context.close();
		});
	}

	it('broke no Content-Security-Policy rule', () => {
		expect(violations).toEqual([]);
	});
});
