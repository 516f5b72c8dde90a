/**
 * Issue 12's discussion in Chromium against the built site: two members talk about a paper
 * — comment, reply, edit, delete — once with JavaScript and once without (every step is a
 * plain form or link), and the one replied to sees the notification. Fails on any dialog.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { SESSION_COOKIE } from '../src/lib/server/auth/identify';
import { startSession } from '../src/lib/server/auth/session.service';
import { createDb, type Store } from '../src/lib/server/db/create-db';
import { startAppServer, type RunningServer } from '../tests/support/app-server';
import { writeFeedFixture } from '../tests/support/feed-fixture';
import { addMembers } from '../tests/support/fixtures';
import { browserAvailable, launchBrowser } from './support/browser';

const canRun = browserAvailable();

describe.skipIf(!canRun)('two members discuss a paper in a browser', () => {
	let server: RunningServer;
	let store: Store;
	let browser: Browser;
	let site: string;
	const dialogs: string[] = [];

	const signedInPage = async (member: string, javaScriptEnabled: boolean): Promise<Page> => {
		const session = await startSession(store.db, member);
		const context = await browser.newContext({ javaScriptEnabled });
		await context.addCookies([
			{ name: SESSION_COOKIE, value: session.token, url: site, httpOnly: true, sameSite: 'Lax' }
		]);
		const page = await context.newPage();
		page.on('dialog', async (dialog) => {
			dialogs.push(dialog.message());
			await dialog.dismiss();
		});
		return page;
	};

	beforeAll(async () => {
		server = await startAppServer([writeFeedFixture()]);
		site = `http://localhost:${new URL(server.url).port}`;
		store = createDb({ kind: 'sqlite', path: server.dbPath });
		await addMembers(store.db, ['ada-js', 'bob-js', 'ada-nojs', 'bob-nojs', 'troll', 'keeper']);
		await store.db
			.updateTable('members')
			.set({ role: 'moderator' })
			.where('id', '=', 'keeper')
			.execute();
		browser = await launchBrowser();
	});

	afterAll(async () => {
		await browser?.close();
		await store?.close();
		await server?.stop();
	});

	for (const [javaScript, paperId] of [
		[true, '2406.00004'],
		[false, '2406.00005']
	] as const) {
		const suffix = javaScript ? 'js' : 'nojs';
		it(`comment, reply, edit and delete with JavaScript ${javaScript ? 'on' : 'off'}`, async () => {
			const ada = await signedInPage(`ada-${suffix}`, javaScript);
			const bob = await signedInPage(`bob-${suffix}`, javaScript);
			const paperUrl = `${site}/papers/${paperId}`;

			// Ada comments.
			await ada.goto(paperUrl);
			await ada.getByLabel('Add a comment').fill('Does the $O(n)$ bound hold for **long** inputs?');
			await ada.getByRole('button', { name: 'Comment', exact: true }).click();
			await ada.waitForURL(/\?comment=.+#comment-/);
			const adaComment = ada.locator('article.comment').first();
			await expect(adaComment.locator('.body').textContent()).resolves.toContain('bound hold');
			const adaId = (await adaComment.getAttribute('id'))!.replace('comment-', '');
			await expect(ada.locator('#discussion-title').textContent()).resolves.toMatch(/1 comment\b/);

			// Bob replies under it.
			await bob.goto(paperUrl);
			await bob.locator(`#comment-${adaId}`).getByRole('link', { name: 'Reply' }).click();
			await bob.getByLabel(`Reply to ada-${suffix}`).fill('It does; see section 4.');
			await bob.getByRole('button', { name: 'Reply', exact: true }).click();
			await bob.waitForURL(/\?comment=.+#comment-/);
			const reply = bob.locator(`#comment-${adaId} ol article.comment`).first();
			await expect(reply.locator('.body').textContent()).resolves.toContain('see section 4');

			// Bob edits his reply: marked edited.
			await reply.getByRole('link', { name: 'Edit' }).click();
			await bob.getByLabel('Edit your comment').fill('It does; see section 4 and appendix B.');
			// The comment form's Save, not the paper's reading-list toggle.
			await bob.locator('form.comment-form').getByRole('button', { name: 'Save' }).click();
			await bob.waitForURL(/#comment-/);
			const edited = bob.locator(`#comment-${adaId} ol article.comment`).first();
			await expect(edited.locator('.body').textContent()).resolves.toContain('appendix B');
			await expect(edited.locator('.edited').textContent()).resolves.toBe('edited');
			// Bob cannot edit or delete Ada's comment.
			const adaAsSeenByBob = bob.locator(`#comment-${adaId} > footer`);
			await expect(adaAsSeenByBob.getByRole('link', { name: 'Edit' }).count()).resolves.toBe(0);
			await expect(adaAsSeenByBob.getByRole('button', { name: 'Delete' }).count()).resolves.toBe(0);

			// Ada was told of the reply.
			await ada.goto(`${site}/`);
			await expect(
				ada.getByRole('link', { name: 'Notifications, 1 unread' }).count()
			).resolves.toBe(1);
			await ada.getByRole('link', { name: 'Notifications, 1 unread' }).click();
			await expect(ada.locator('main').textContent()).resolves.toContain('replied to your comment');

			// Ada deletes her comment: its place stays, Bob's reply with it.
			await ada.goto(paperUrl);
			await ada
				.locator(`#comment-${adaId} > footer`)
				.getByRole('button', { name: 'Delete' })
				.click();
			await ada.waitForURL(/#comment-/);
			await expect(ada.locator(`#comment-${adaId} .gone`).first().textContent()).resolves.toBe(
				'comment deleted'
			);
			await expect(ada.locator(`#comment-${adaId}`).textContent()).resolves.toContain('appendix B');
			await expect(ada.locator(`#comment-${adaId}`).textContent()).resolves.not.toContain(
				'bound hold'
			);
			await expect(ada.locator('#discussion-title').textContent()).resolves.toMatch(/1 comment\b/);
			expect(dialogs).toEqual([]);
			await ada.context().close();
			await bob.context().close();
		});
	}

	it('shows signed-out readers how to join, and the counts on the card', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(`${site}/papers/2406.00005`);
		await expect(page.getByRole('link', { name: 'Sign in to comment' }).count()).resolves.toBe(1);
		await expect(page.locator('textarea[name="body"]').count()).resolves.toBe(0);
		await page.goto(`${site}/papers?date=2024-06-04`);
		await expect(
			page.locator('article.card[data-paper-id="2406.00005"]').textContent()
		).resolves.toContain('1 comment');
		await context.close();
	});

	it('a member flags a comment; a moderator hides it from the queue and it is gone everywhere (JS off)', async () => {
		const paperId = '2406.00003';
		const troll = await signedInPage('troll', false);
		await troll.goto(`${site}/papers/${paperId}`);
		await troll.getByLabel('Add a comment').fill('Buy cheap watches at example.com');
		await troll.getByRole('button', { name: 'Comment', exact: true }).click();
		await troll.waitForURL(/\?comment=.+#comment-/);
		const commentId = (await troll.locator('article.comment').first().getAttribute('id'))!.replace(
			'comment-',
			''
		);

		const ada = await signedInPage('ada-nojs', false);
		await ada.goto(`${site}/papers/${paperId}`);
		await ada.locator(`#comment-${commentId}`).getByRole('link', { name: 'Flag' }).click();
		await ada.getByLabel('Why should the moderators look at it?').fill('Spam');
		await ada.getByRole('button', { name: 'Flag' }).click();

		const keeper = await signedInPage('keeper', false);
		await keeper.goto(`${site}/mod`);
		const item = keeper.locator(`article[data-target="comment:${commentId}"]`);
		await expect(item.textContent()).resolves.toContain('Spam');
		await item.getByRole('button', { name: 'Hide comment' }).click();
		await keeper.waitForURL(/\/mod/);

		// Gone from the page (its place kept), from the count on the page and the card, and from the API.
		await ada.goto(`${site}/papers/${paperId}`);
		await expect(ada.locator(`#comment-${commentId} .gone`).textContent()).resolves.toBe(
			'comment hidden by a moderator'
		);
		await expect(ada.locator('main').textContent()).resolves.not.toContain('cheap watches');
		await expect(ada.locator('#discussion-title').textContent()).resolves.not.toMatch(/comment/);
		await ada.goto(`${site}/papers?date=2024-06-03`);
		await expect(
			ada.locator(`article.card[data-paper-id="${paperId}"]`).textContent()
		).resolves.not.toMatch(/\d+ comments?/);
		const { comments: thread } = (await (
			await fetch(`${server.url}/api/papers/${paperId}/comments`)
		).json()) as { comments: { id: string; body: string | null; bodyHtml: string | null }[] };
		const hidden = thread.find((comment) => comment.id === commentId);
		expect(hidden).toMatchObject({ body: null, bodyHtml: null });
		expect(JSON.stringify(thread)).not.toContain('cheap watches');
		const daily = await (await fetch(`${server.url}/api/daily_papers?date=2024-06-03`)).json();
		expect(
			(daily as { paper: { id: string }; numComments: number }[]).find(
				(entry) => entry.paper.id === paperId
			)?.numComments
		).toBe(0);
		expect(dialogs).toEqual([]);
		for (const page of [troll, ada, keeper]) await page.context().close();
	});

	it('previews a comment live while it is written (JS on), math included', async () => {
		const ada = await signedInPage('ada-js', true);
		await ada.goto(`${site}/papers/2406.00002`);
		await ada.getByLabel('Add a comment').fill('A **bold** claim: $x^2 \\geq 0$');
		const preview = ada.locator('[data-comment-preview]').first();
		await expect.poll(() => preview.locator('strong').count()).toBe(1);
		await expect.poll(() => preview.locator('.katex').count()).toBeGreaterThan(0);
		expect(dialogs).toEqual([]);
		await ada.context().close();
	});
});
