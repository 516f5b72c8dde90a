/**
 * Signing in by e-mail in Chromium, with JavaScript on and off: from a paper's "Sign in" in
 * the header, through the form, to the link read from the real SMTP server this test starts,
 * the confirmation button, the header's member menu, and signing out. Screenshots of the
 * header at desktop and phone widths land in test-results/.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startAppServer, type RunningServer } from '../tests/support/app-server';
import { writeFeedFixture } from '../tests/support/feed-fixture';
import { signInLinkPath, startSmtpInbox, type SmtpInbox } from '../tests/support/smtp-inbox';
import { browserAvailable, launchBrowser } from './support/browser';

const canRun = browserAvailable();

describe.skipIf(!canRun)('signing in by e-mail in a browser', () => {
	let server: RunningServer;
	let inbox: SmtpInbox;
	let browser: Browser;
	// The site's public origin (DP_PUBLIC_URL defaults to http://localhost:<PORT>): the origin a
	// browser on the site posts its forms from, and the one the mailed links point to.
	let site: string;

	beforeAll(async () => {
		inbox = await startSmtpInbox();
		server = await startAppServer([writeFeedFixture()], { env: { DP_SMTP_URL: inbox.url } });
		site = `http://localhost:${new URL(server.url).port}`;
		browser = await launchBrowser();
		fs.mkdirSync('test-results', { recursive: true });
	});

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		await inbox?.close();
	});

	/** Asks for a link on the sign-in form that `page` shows and follows the one that arrives. */
	async function signInThroughMail(page: Page, email: string): Promise<void> {
		const since = inbox.messages.length;
		await page.getByLabel('E-mail address').fill(email);
		await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
		await page.waitForURL(/\/signin\/sent$/);
		expect(await page.locator('h1').textContent()).toBe('Check your inbox');
		expect(await page.locator('main').textContent()).toContain(email);
		const path = signInLinkPath(await inbox.waitFor(email, since));
		await page.goto(`${site}${path}`);
		expect(await page.locator('h1').textContent()).toContain(`Sign in as ${email}`);
		await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	}

	for (const javaScriptEnabled of [true, false]) {
		describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
			let context: BrowserContext;
			let page: Page;
			const email = `reader-${javaScriptEnabled ? 'js' : 'nojs'}@example.org`;
			const username = `reader-${javaScriptEnabled ? 'js' : 'nojs'}`;
			const suffix = javaScriptEnabled ? 'js' : 'nojs';

			beforeAll(async () => {
				context = await browser.newContext({
					javaScriptEnabled,
					viewport: { width: 1280, height: 800 }
				});
				page = await context.newPage();
			});

			afterAll(async () => {
				await context?.close();
			});

			it('signs in from a paper through the mailed link, first to the settings to choose a username', async () => {
				await page.goto(`${site}/papers/2406.00001`);
				await page.screenshot({ path: `test-results/signin-header-out-1280-${suffix}.png` });
				await page.getByRole('link', { name: 'Sign in', exact: true }).click();
				await page.waitForURL(/\/signin\?next=%2Fpapers%2F2406\.00001$/);
				await signInThroughMail(page, email);
				await page.waitForURL(/\/settings\?welcome=1&next=%2Fpapers%2F2406\.00001$/);
				const cookies = await context.cookies();
				const session = cookies.find((cookie) => cookie.name === 'dp_session');
				expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
			});

			it('comes back to the paper on the next sign-in, with the member in the header', async () => {
				await page.goto(`${site}/papers/2406.00001`);
				const header = page.locator('header.site');
				expect(await header.getByRole('link', { name: username }).getAttribute('href')).toBe(
					`/u/${username}`
				);
				expect(await header.getByRole('link', { name: 'Sign in', exact: true }).count()).toBe(0);
				await page.screenshot({ path: `test-results/signin-header-in-1280-${suffix}.png` });
				await page.setViewportSize({ width: 390, height: 800 });
				await page.screenshot({ path: `test-results/signin-header-in-390-${suffix}.png` });
				// The header fits a phone: nothing pushes the page sideways.
				expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
					390
				);
				await page.setViewportSize({ width: 1280, height: 800 });

				// A second browser of the same reader: a known member returns to where they started.
				const other = await browser.newContext({ javaScriptEnabled });
				const second = await other.newPage();
				await second.goto(`${site}/signin?next=%2Fpapers%2F2406.00002`);
				await signInThroughMail(second, email);
				await second.waitForURL(/\/papers\/2406\.00002$/);
				expect(
					await second.locator('header.site').getByRole('link', { name: username }).count()
				).toBe(1);
				await other.close();
			});

			it('signs out from the header and offers "Sign in" again', async () => {
				await page.goto(`${site}/trending`);
				await page.locator('header.site').getByRole('button', { name: 'Sign out' }).click();
				await page.waitForURL(`${site}/`);
				const header = page.locator('header.site');
				expect(await header.getByRole('link', { name: 'Sign in', exact: true }).count()).toBe(1);
				expect((await context.cookies()).some((c) => c.name === 'dp_session')).toBe(false);
				await page.setViewportSize({ width: 390, height: 800 });
				await page.screenshot({ path: `test-results/signin-header-out-390-${suffix}.png` });
			});

			it('shows a used link as used, with the way to a new one', async () => {
				const since = inbox.messages.length;
				await page.goto(`${site}/signin`);
				await page.getByLabel('E-mail address').fill(email);
				await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
				await page.waitForURL(/\/signin\/sent$/);
				const path = signInLinkPath(await inbox.waitFor(email, since));
				await page.goto(`${site}${path}`);
				await page.getByRole('button', { name: 'Sign in', exact: true }).click();
				await page.waitForURL(`${site}/`);
				await page.goto(`${site}${path}`);
				expect(await page.locator('main').textContent()).toContain('already used');
				await page.getByRole('link', { name: 'Get a new sign-in link' }).click();
				// Signed in already, /signin sends the reader on.
				await page.waitForURL(`${site}/`);
			});
		});
	}
});
