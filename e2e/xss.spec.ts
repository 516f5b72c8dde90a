/**
 * Every payload of tests/support/xss-payloads.ts rendered by the real preview API of
 * the built site, put into a page of the site with `innerHTML` as the live preview
 * does, and every link it made clicked: no dialog, no `window.__xss`, no `on*`
 * attribute, no link but http(s), a path or a fragment, no `style` outside KaTeX,
 * nothing fetched from another origin. Once with the site's Content-Security-Policy
 * on, and once with it bypassed so that the sanitizer alone is what keeps a payload
 * inert (with CSP on, a surviving `onerror` would be blocked and prove nothing).
 * Then the live preview script itself: typing in a comment form shows the rendering.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SESSION_COOKIE } from '../src/lib/server/auth/identify';
import { startSession } from '../src/lib/server/auth/session.service';
import { createDb, type Store } from '../src/lib/server/db/create-db';
import { RATE_LIMITS } from '../src/lib/server/http/rate-limit';
import { startAppServer, type RunningServer } from '../tests/support/app-server';
import { writeFeedFixture } from '../tests/support/feed-fixture';
import { addMembers } from '../tests/support/fixtures';
import { XSS_PAYLOADS } from '../tests/support/xss-payloads';
import { browserAvailable, launchBrowser } from './support/browser';

const canRun = browserAvailable();
const PAPER_PAGE = '/papers/2406.00001';
const SANDBOX = 'xss-sandbox';

/** What one payload did in the page; every list must stay empty. */
interface Findings {
	forbiddenTags: string[];
	eventAttributes: string[];
	badUrls: string[];
	styleOutsideKatex: string[];
	marker: boolean;
}

describe.skipIf(!canRun)('comment Markdown is inert in a browser', () => {
	let server: RunningServer;
	let store: Store;
	let browser: Browser;
	let site: string;
	const tokens: string[] = [];
	const rendered = new Map<string, string>();

	/** The preview API's HTML for `body`, as a signed-in member's browser would get it. */
	const previewHtml = async (body: string, index: number): Promise<string> => {
		// One member per batch below the rate limit: the list is longer than one minute's allowance.
		const token = tokens[Math.floor(index / (RATE_LIMITS['comment-preview'].points - 5))];
		const response = await fetch(`${server.url}/api/comments/preview`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				origin: site,
				cookie: `${SESSION_COOKIE}=${token}`
			},
			body: JSON.stringify({ body })
		});
		const answer = (await response.json()) as { html: string; error?: string };
		expect(answer.error ?? '', body.slice(0, 40)).toBe('');
		return answer.html;
	};

	beforeAll(async () => {
		server = await startAppServer([writeFeedFixture()]);
		site = `http://localhost:${new URL(server.url).port}`;
		store = createDb({ kind: 'sqlite', path: server.dbPath });
		const members = ['xss1', 'xss2', 'xss3', 'typist'];
		await addMembers(store.db, members);
		for (const member of members) tokens.push((await startSession(store.db, member)).token);
		for (const [index, payload] of XSS_PAYLOADS.entries()) {
			rendered.set(payload.name, await previewHtml(payload.source, index));
		}
		browser = await launchBrowser();
	});

	afterAll(async () => {
		await browser?.close();
		await store?.close();
		await server?.stop();
	});

	for (const bypassCSP of [false, true]) {
		describe(bypassCSP ? 'with the CSP bypassed' : 'with the CSP on', () => {
			let context: BrowserContext;
			let page: Page;
			const dialogs: string[] = [];
			const foreignRequests: string[] = [];
			const scriptUrls: string[] = [];
			const navigations: string[] = [];
			const policyViolations: string[] = [];
			let allowNavigation = true;

			beforeAll(async () => {
				context = await browser.newContext({ bypassCSP });
				await context.addCookies([
					{ name: SESSION_COOKIE, value: tokens[0], url: site, httpOnly: true, sameSite: 'Lax' }
				]);
				page = await context.newPage();
				page.on('dialog', (dialog) => {
					dialogs.push(`${dialog.type()}: ${dialog.message()}`);
					void dialog.dismiss();
				});
				page.on('console', (message) => {
					if (/Content Security Policy|Refused to/i.test(message.text()))
						policyViolations.push(message.text());
				});
				page.on('request', (request) => {
					if (/^(javascript|data|vbscript):/i.test(request.url())) scriptUrls.push(request.url());
				});
				await page.route('**/*', async (route) => {
					const request = route.request();
					if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
						if (allowNavigation) return route.continue();
						// A clicked link: note where it went and stay on the page (a navigation
						// answered 204 leaves the document in place; an aborted one shows an error page).
						navigations.push(request.url());
						return route.fulfill({ status: 204 });
					}
					if (!request.url().startsWith(site)) {
						foreignRequests.push(request.url());
						return route.abort();
					}
					return route.continue();
				});
				allowNavigation = true;
				await page.goto(`${site}${PAPER_PAGE}`);
				allowNavigation = false;
				await page.evaluate((id) => {
					const sandbox = document.createElement('div');
					sandbox.id = id;
					document.querySelector('main')?.append(sandbox);
				}, SANDBOX);
			});

			afterAll(async () => context?.close());

			it.each(XSS_PAYLOADS)('$name', async ({ name }) => {
				const html = rendered.get(name) ?? '';
				for (const seen of [dialogs, foreignRequests, scriptUrls, navigations, policyViolations])
					seen.length = 0;
				const findings: Findings = await page.evaluate(
					({ id, html }) => {
						const sandbox = document.getElementById(id) as HTMLElement;
						sandbox.innerHTML = html;
						const all = [...sandbox.querySelectorAll('*')];
						const forbidden =
							'script,iframe,frame,object,embed,img,image,video,audio,source,form,input,button,textarea,select,style,link,meta,base,math,foreignObject,use,animate,set';
						return {
							forbiddenTags: [...sandbox.querySelectorAll(forbidden)].map((e) => e.tagName),
							eventAttributes: all.flatMap((e) =>
								e.getAttributeNames().filter((a) => a.toLowerCase().startsWith('on'))
							),
							badUrls: all.flatMap((e) =>
								['href', 'src', 'srcset', 'action', 'formaction', 'xlink:href', 'poster', 'data']
									.map((a) => [a, e.getAttribute(a)] as const)
									.filter(
										([a, value]) =>
											value !== null &&
											!(
												a === 'href' &&
												e.tagName === 'A' &&
												/^(https?:\/\/|\/(?!\/)|#)/i.test(value)
											)
									)
									.map(([a, value]) => `${e.tagName}[${a}=${value}]`)
							),
							styleOutsideKatex: all
								.filter((e) => e.hasAttribute('style') && !e.closest('.katex, .katex-error'))
								.map((e) => `${e.tagName}[style=${e.getAttribute('style')}]`),
							marker: '__xss' in window
						};
					},
					{ id: SANDBOX, html }
				);
				// Images and handlers fire after insertion; let them.
				await page.waitForTimeout(50);
				const links = page.locator(`#${SANDBOX} a`);
				const linkCount = await links.count();
				for (let i = 0; i < Math.min(linkCount, 20); i += 1) {
					await links.nth(i).click({ force: true, noWaitAfter: true, timeout: 2_000 });
				}
				if (linkCount > 0) await page.waitForTimeout(50);
				findings.marker ||= await page.evaluate(() => '__xss' in window);

				expect(findings).toEqual({
					forbiddenTags: [],
					eventAttributes: [],
					badUrls: [],
					styleOutsideKatex: [],
					marker: false
				});
				expect(dialogs).toEqual([]);
				expect(scriptUrls).toEqual([]);
				expect(foreignRequests).toEqual([]);
				expect(navigations.filter((url) => !/^https?:\/\//i.test(url))).toEqual([]);
				// Nothing was blocked either: the payload never even tried under CSP.
				expect(policyViolations).toEqual([]);
				// Still on the paper page: no link replaced the document.
				expect(new URL(page.url()).pathname).toBe(PAPER_PAGE);
			});

			it.runIf(bypassCSP)('would see a payload that ran (the checks are live)', async () => {
				dialogs.length = 0;
				await page.evaluate((id) => {
					(document.getElementById(id) as HTMLElement).innerHTML =
						'<img src="/nothing-here.png" onerror="window.__xss=1"><a href="javascript:alert(7)">x</a>';
				}, SANDBOX);
				await expect.poll(() => page.evaluate(() => '__xss' in window)).toBe(true);
				await page.locator(`#${SANDBOX} a`).click();
				await expect.poll(() => dialogs).toEqual(['alert: 7']);
				await page.evaluate(() => delete (window as unknown as { __xss?: number }).__xss);
				dialogs.length = 0;
			});

			it('rendered the harmless parts (the test sees what it checks)', async () => {
				await page.evaluate(
					({ id, html }) => {
						(document.getElementById(id) as HTMLElement).innerHTML = html;
					},
					{ id: SANDBOX, html: rendered.get('katex in display block') ?? '' }
				);
				expect(await page.locator(`#${SANDBOX} .katex-display`).count()).toBe(1);
				await page.evaluate(
					({ id, html }) => {
						(document.getElementById(id) as HTMLElement).innerHTML = html;
					},
					{ id: SANDBOX, html: rendered.get('markdown link title breakout') ?? '' }
				);
				expect(await page.locator(`#${SANDBOX} a[href^="https://a.example"]`).count()).toBe(1);
			});
		});
	}

	describe('the live preview script', () => {
		let context: BrowserContext;
		let page: Page;
		const previewRequests: string[] = [];

		beforeAll(async () => {
			context = await browser.newContext();
			await context.addCookies([
				{ name: SESSION_COOKIE, value: tokens[3], url: site, httpOnly: true, sameSite: 'Lax' }
			]);
			page = await context.newPage();
			page.on('request', (request) => {
				if (request.url().endsWith('/api/comments/preview')) previewRequests.push(request.url());
			});
			await page.goto(`${site}${PAPER_PAGE}`);
			// The paper page's own comment form (a body textarea and its preview element) loads the script.
			await page.waitForFunction(() => 'dpCommentPreview' in window);
		});

		afterAll(async () => context?.close());

		it('shows the server rendering once typing pauses, with one request', async () => {
			await page
				.locator('form.comment-form textarea[name="body"]')
				.pressSequentially('**bold** $x^2$ <b>raw</b>', {
					delay: 10
				});
			const preview = page.locator('form.comment-form [data-comment-preview]');
			await expect.poll(() => preview.locator('strong').count()).toBe(1);
			expect(await preview.locator('.katex').count()).toBe(1);
			expect(await preview.locator('b').count()).toBe(0);
			expect(await preview.textContent()).toContain('<b>raw</b>');
			expect(await preview.getAttribute('aria-live')).toBe('polite');
			expect(previewRequests.length).toBe(1);
		});

		it('empties the preview when the text is cleared, without asking the server', async () => {
			const before = previewRequests.length;
			await page.locator('form.comment-form textarea[name="body"]').fill('');
			await expect
				.poll(() => page.locator('form.comment-form [data-comment-preview]').innerHTML())
				.toBe('');
			expect(previewRequests.length).toBe(before);
		});

		it('shows the server’s sentence when it refuses', async () => {
			await context.clearCookies();
			await page.locator('form.comment-form textarea[name="body"]').fill('signed out now');
			await expect
				.poll(() => page.locator('form.comment-form [data-comment-preview]').textContent())
				.toBe('Sign in to see a preview.');
		});
	});
});
