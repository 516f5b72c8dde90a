/**
 * Moderation in Chromium without JavaScript, against the built site: a member flags a
 * paper from its page, a moderator hides it from the queue, and it is gone from the
 * day's feed; the moderator shows it again from the paper page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { SESSION_COOKIE } from '../src/lib/server/auth/identify';
import { startSession } from '../src/lib/server/auth/session.service';
import { createDb, type Store } from '../src/lib/server/db/create-db';
import { startAppServer, type RunningServer } from '../tests/support/app-server';
import { writeFeedFixture } from '../tests/support/feed-fixture';
import { addMembers } from '../tests/support/fixtures';
import { browserAvailable, launchBrowser } from './support/browser';

const canRun = browserAvailable();
const DAY = '/papers?date=2024-06-03';
const PAPER = '2406.00003'; // "A quiet paper"

describe.skipIf(!canRun)('moderation in a browser, JavaScript off', () => {
	let server: RunningServer;
	let store: Store;
	let browser: Browser;
	let site: string;
	const contexts: BrowserContext[] = [];

	const signedInPage = async (member: string) => {
		const session = await startSession(store.db, member);
		const context = await browser.newContext({ javaScriptEnabled: false });
		contexts.push(context);
		await context.addCookies([
			{ name: SESSION_COOKIE, value: session.token, url: site, httpOnly: true, sameSite: 'Lax' }
		]);
		return context.newPage();
	};

	beforeAll(async () => {
		server = await startAppServer([writeFeedFixture()]);
		site = `http://localhost:${new URL(server.url).port}`;
		store = createDb({ kind: 'sqlite', path: server.dbPath });
		await addMembers(store.db, ['reader', 'keeper']);
		await store.db
			.updateTable('members')
			.set({ role: 'moderator' })
			.where('id', '=', 'keeper')
			.execute();
		browser = await launchBrowser();
	});

	afterAll(async () => {
		for (const context of contexts) await context.close();
		await browser?.close();
		await store?.close();
		await server?.stop();
	});

	it('a member flags a paper; a moderator hides it from the queue and it leaves the feed', async () => {
		const reader = await signedInPage('reader');
		await reader.goto(`${site}/papers/${PAPER}`);
		await reader.getByRole('link', { name: 'Flag', exact: true }).click();
		await reader.getByLabel('Why should the moderators look at it?').fill('Not a research paper');
		await reader.getByRole('button', { name: 'Flag' }).click();
		await expect.poll(() => reader.getByRole('status').textContent()).toContain('Thank you');
		await reader.getByRole('link', { name: 'Back' }).click();
		expect(new URL(reader.url()).pathname).toBe(`/papers/${PAPER}`);

		const keeper = await signedInPage('keeper');
		await keeper.goto(`${site}/mod`);
		const item = keeper.locator(`article[data-target="paper:${PAPER}"]`);
		expect(await item.textContent()).toContain('Not a research paper');
		await item.getByPlaceholder('Reason (optional)').fill('off topic');
		await item.getByRole('button', { name: 'Hide paper' }).click();
		await expect.poll(() => keeper.getByRole('status').textContent()).toBe('Hidden.');
		expect(await keeper.textContent('main')).toContain('No open flags.');

		await reader.goto(`${site}${DAY}`);
		expect(await reader.locator(`article.card[data-paper-id="${PAPER}"]`).count()).toBe(0);
		expect(await reader.locator('article.card').count()).toBeGreaterThan(0);
		const hidden = await reader.goto(`${site}/papers/${PAPER}`);
		expect(hidden?.status()).toBe(404);

		// The moderator still sees it, says so, and shows it again from its page.
		await keeper.goto(`${site}/papers/${PAPER}`);
		expect(await keeper.textContent('main')).toContain('Hidden by a moderator');
		await keeper.getByRole('button', { name: 'Show paper' }).click();
		expect(new URL(keeper.url()).pathname).toBe(`/papers/${PAPER}`);
		expect(await keeper.textContent('main')).not.toContain('Hidden by a moderator');
		await reader.goto(`${site}${DAY}`);
		expect(await reader.locator(`article.card[data-paper-id="${PAPER}"]`).count()).toBe(1);
	});
});
