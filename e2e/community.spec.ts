/**
 * Issue 11's acceptance, in Chromium with JavaScript on and off: a researcher signs in
 * through the link read from the real SMTP server this test starts, submits a paper
 * (its metadata from a replayed arXiv response), a second member upvotes it, and it is
 * first on the day and, once the trending job has run (`dailypapers jobs run trending`,
 * as an operator or the scheduler would), first on /trending.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { dayOf } from '../src/lib/core/period';
import { runCli, startAppServer, type RunningServer } from '../tests/support/app-server';
import { makeHfEntry } from '../tests/support/fixtures';
import { startReplayServer, type ReplayServer } from '../tests/support/replay-server';
import { sharedData } from '../tests/support/shared-data';
import { signInLinkPath, startSmtpInbox, type SmtpInbox } from '../tests/support/smtp-inbox';
import { browserAvailable, launchBrowser } from './support/browser';

const recordedDir = sharedData('arxiv-api-atom');
const canRun = browserAvailable() && recordedDir !== null;
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

/**
 * arXiv's recorded answer for one paper (1605.08386), re-dated and renumbered as a paper
 * published `hours` ago: the submission rules refuse papers older than 14 days.
 */
function redatedArxivEntry(recording: string, id: string, hours: number): string {
	const published = hoursAgo(hours).replace(/\.\d{3}Z$/, 'Z');
	return recording
		.replaceAll('1605.08386', id)
		.replace(/<published>[^<]*<\/published>/, `<published>${published}</published>`)
		.replace(/<updated>[^<]*<\/updated>/g, `<updated>${published}</updated>`);
}

describe.skipIf(!canRun)('the community loop in a browser: sign in, submit, upvote, rise', () => {
	let server: RunningServer;
	let inbox: SmtpInbox;
	let arxiv: ReplayServer;
	let browser: Browser;
	let site: string;
	const today = dayOf(new Date());
	// One paper per run; the second is newer, so it ranks above the first at the same count.
	const submitted = { js: '2612.00101', nojs: '2612.00102' } as const;

	beforeAll(async () => {
		const file = fs
			.readdirSync(path.join(recordedDir!, 'recorded'))
			.find((name) => name.startsWith('id_1605.08386_'));
		const recording = (
			JSON.parse(fs.readFileSync(path.join(recordedDir!, 'recorded', file!), 'utf8')) as {
				body: string;
			}
		).body;
		arxiv = await startReplayServer((url) => {
			const id = url.searchParams.get('id_list');
			if (id === submitted.js) return { status: 200, body: redatedArxivEntry(recording, id, 6) };
			if (id === submitted.nojs) return { status: 200, body: redatedArxivEntry(recording, id, 3) };
			return undefined;
		});
		// Today already lists one imported paper with one upvote: ours must pass it.
		const seed = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-community-'));
		fs.writeFileSync(
			path.join(seed, `${today}.json`),
			JSON.stringify([
				makeHfEntry('2612.00001', {
					title: 'Imported this morning',
					upvotes: 1,
					publishedAt: hoursAgo(30)
				})
			])
		);
		inbox = await startSmtpInbox();
		server = await startAppServer([seed], {
			env: { DP_SMTP_URL: inbox.url, DP_ARXIV_API_URL: `${arxiv.url}/api/query` }
		});
		site = `http://localhost:${new URL(server.url).port}`;
		browser = await launchBrowser();
		fs.mkdirSync('test-results', { recursive: true });
	});

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		await inbox?.close();
		await arxiv?.close();
	});

	async function signIn(page: Page, email: string): Promise<void> {
		await page.goto(`${site}/`);
		await page.locator('header.site').getByRole('link', { name: 'Sign in', exact: true }).click();
		await page.getByLabel('E-mail address').fill(email);
		const since = inbox.messages.length;
		await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
		await page.waitForURL(/\/signin\/sent$/);
		const link = signInLinkPath(await inbox.waitFor(email, since));
		await page.goto(`${site}${link}`);
		await page.getByRole('button', { name: 'Sign in', exact: true }).click();
		// A first sign-in lands on the settings, to choose a username.
		await page.waitForURL(/\/settings\?welcome=1/);
	}

	const firstCardId = (page: Page) =>
		page.locator('article.card').first().getAttribute('data-paper-id');

	for (const javaScriptEnabled of [true, false]) {
		const mode = javaScriptEnabled ? 'js' : 'nojs';
		const paperId = submitted[mode];

		describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
			let submitter: BrowserContext;
			let voter: BrowserContext;

			beforeAll(async () => {
				submitter = await browser.newContext({ javaScriptEnabled });
				voter = await browser.newContext({ javaScriptEnabled });
			});

			afterAll(async () => {
				await submitter?.close();
				await voter?.close();
			});

			it('a member signs in through the mailed link and submits a paper by its arXiv URL', async () => {
				const page = await submitter.newPage();
				await signIn(page, `submitter-${mode}@example.org`);
				await page
					.locator('header.site')
					.getByRole('link', { name: 'Submit', exact: true })
					.click();
				await page.getByLabel('arXiv id or link').fill(`https://arxiv.org/abs/${paperId}v1`);
				await page.getByRole('button', { name: 'Submit' }).click();
				await page.waitForURL(new RegExp(`/papers/${paperId.replace('.', '\\.')}`));
				const main = page.locator('main');
				expect(await main.textContent()).toContain(`Submitted by submitter-${mode}`);
				await page.screenshot({ path: `test-results/community-submitted-${mode}.png` });
			});

			it('a second member upvotes it from the day, and it is first on the day', async () => {
				const page = await voter.newPage();
				await signIn(page, `voter-${mode}@example.org`);
				await page.goto(`${site}/papers?date=${today}`);
				const card = page.locator(`article.card[data-paper-id="${paperId}"]`);
				const button = card.getByRole('button', { name: /^Upvote \(1 upvote\)$/ });
				await button.click();
				// With JavaScript the count changes in place; without, the form comes back to the day.
				await expect
					.poll(() =>
						card.getByRole('button', { name: /Remove your upvote \(2 upvotes\)/ }).count()
					)
					.toBe(1);
				expect(page.url()).toContain(`/papers?date=${today}`);
				await page.reload();
				expect(await firstCardId(page)).toBe(paperId);
				expect(
					await page
						.locator('article.card')
						.first()
						.getByRole('button', { name: /Remove your upvote \(2 upvotes\)/ })
						.count()
				).toBe(1);
				await page.screenshot({ path: `test-results/community-day-${mode}.png`, fullPage: true });
			});

			it('is first on /trending once the trending job has run', async () => {
				const refreshed = await runCli(['jobs', 'run', 'trending'], {
					DP_DB_PATH: server.dbPath
				});
				expect(refreshed.status, refreshed.stderr).toBe(0);
				const page = await voter.newPage();
				await page.goto(`${site}/trending?window=day`);
				expect(await firstCardId(page)).toBe(paperId);
				const front = await submitter.newPage();
				await front.goto(`${site}/`);
				expect(await firstCardId(front)).toBe(paperId);
			});
		});
	}
});
