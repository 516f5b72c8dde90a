/**
 * Reading lists, follows, /me, author and category pages over real HTTP against the
 * built app, on both dialects: the forms that work without JavaScript (303 back), the
 * pages, and every bad input (a sentence, and nothing changed).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../src/lib/server/auth/identify';
import { startSession } from '../src/lib/server/auth/session.service';
import { listFollowed } from '../src/lib/server/library/follow.service';
import { loadSavedPage } from '../src/lib/server/library/saved.service';
import { savePapers } from '../src/lib/server/papers/paper.service';
import { RATE_LIMITS } from '../src/lib/server/http/rate-limit';
import { startAppServer, type RunningServer } from './support/app-server';
import { describeEachDialect } from './support/databases';
import { writeFeedFixture } from './support/feed-fixture';
import { addMembers, makePaper } from './support/fixtures';

const PAPER = '2406.00003';
const AUTHOR = 'Rózsa Péter';

describeEachDialect('reading lists, follows and author pages over HTTP', (database) => {
	let server: RunningServer;
	const cookies: Record<string, string> = {};
	const db = () => database().store.db;
	const ownOrigin = () => `http://localhost:${new URL(server.url).port}`;
	const as = (member: string) => ({ cookie: `${SESSION_COOKIE}=${cookies[member]}` });
	const hour = 3_600_000;
	const authored = [0, 1, 2].map((i) =>
		makePaper({
			authors: [AUTHOR, i === 0 ? 'László Kalmár' : 'Other Coauthor'],
			categories: ['math.LO'],
			publishedAt: new Date(Date.now() - (48 - i) * hour).toISOString()
		})
	);

	const post = (
		path: string,
		member: string | null,
		fields: Record<string, string>,
		origin?: string
	) =>
		fetch(`${server.url}${path}`, {
			method: 'POST',
			headers: {
				...(member ? as(member) : {}),
				origin: origin ?? ownOrigin(),
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams(fields).toString(),
			redirect: 'manual'
		});
	const page = (path: string, member?: string) =>
		fetch(`${server.url}${path}`, { headers: member ? as(member) : {}, redirect: 'manual' });
	const savedIds = async (member: string) =>
		(await loadSavedPage(db(), member, { page: 0, pageSize: 50 })).papers.map((p) => p.id);

	beforeAll(async () => {
		server = await startAppServer([writeFeedFixture()], { database: database().env });
		const members = ['ada', 'bob', 'follower', 'lazy', 'suspended', 'hasty'];
		await addMembers(db(), members);
		for (const member of members) cookies[member] = (await startSession(db(), member)).token;
		await savePapers(db(), authored);
	});

	afterAll(async () => {
		await server?.stop();
	});

	it('saves from a card without JavaScript, 303 back at the card, and shows it saved', async () => {
		const feed = '/papers?date=2024-06-03';
		const before = await (await page(feed, 'ada')).text();
		expect(before).toContain(`action="/papers/${PAPER}/save"`);
		const saved = await post(`/papers/${PAPER}/save`, 'ada', { action: 'save', back: feed });
		expect(saved.status).toBe(303);
		expect(saved.headers.get('location')).toBe(`${feed}#paper-${PAPER}`);
		const again = await post(`/papers/${PAPER}/save`, 'ada', { action: 'save', back: feed });
		expect(again.status).toBe(303);
		expect(await savedIds('ada')).toEqual([PAPER]);
		const after = await (await page(feed, 'ada')).text();
		const card = after.slice(after.indexOf(`id="paper-${PAPER}"`));
		expect(card).toMatch(/^[^]*?data-save-form[^>]*>[^]*?name="action" value="unsave"/);
		const list = await (await page('/me/saved', 'ada')).text();
		expect(list).toContain(`id="paper-${PAPER}"`);
		expect(list).toContain('1 paper, most recently saved first');
	});

	it('keeps a note, refuses one over 2,000 characters, and unsaves from /me/saved', async () => {
		const note = await post('/me/saved?/note', 'ada', { paper: PAPER, note: 'Read <b>§3</b>' });
		expect(note.status).toBe(303);
		const list = await (await page('/me/saved', 'ada')).text();
		expect(list).toContain('Read &lt;b>§3&lt;/b></textarea>');
		const long = await post('/me/saved?/note', 'ada', { paper: PAPER, note: 'x'.repeat(2001) });
		expect(long.status).toBe(400);
		expect(await long.text()).toContain('at most 2,000 characters');
		const notSaved = await post('/me/saved?/note', 'ada', { paper: '2406.00001', note: 'hi' });
		expect(notSaved.status).toBe(404);
		expect((await loadSavedPage(db(), 'ada', { page: 0, pageSize: 5 })).papers[0].note).toBe(
			'Read <b>§3</b>'
		);
		const unsave = await post('/me/saved?/unsave', 'ada', { paper: PAPER });
		expect(unsave.status).toBe(303);
		expect(await savedIds('ada')).toEqual([]);
	});

	it('refuses to save an unknown paper, a bad action, a foreign origin, and sends the signed-out to sign in', async () => {
		const unknown = await post('/papers/9912.99999/save', 'bob', { action: 'save', back: '/' });
		expect(unknown.status).toBe(404);
		expect(await unknown.text()).toContain('There is no paper 9912.99999 to save');
		const bad = await post(`/papers/${PAPER}/save`, 'bob', { action: 'keep', back: '/' });
		expect(bad.status).toBe(400);
		expect(await bad.text()).toContain('action=save or action=unsave');
		const foreign = await post(
			`/papers/${PAPER}/save`,
			'bob',
			{ action: 'save' },
			'https://evil.example'
		);
		expect(foreign.status).toBe(403);
		const signedOut = await post(`/papers/${PAPER}/save`, null, {
			action: 'save',
			back: '/trending'
		});
		expect(signedOut.status).toBe(303);
		expect(signedOut.headers.get('location')).toBe('/signin?next=%2Ftrending');
		expect(await savedIds('bob')).toEqual([]);
		expect((await page('/me/saved')).headers.get('location')).toBe('/signin?next=%2Fme%2Fsaved');
	});

	it("shows an author's page by the name as written: papers newest first, co-authors, upvotes, paging", async () => {
		const response = await page(`/authors/${encodeURIComponent(AUTHOR)}`);
		expect(response.status).toBe(200);
		const html = await response.text();
		const order = authored.map((p) => html.indexOf(`id="paper-${p.id}"`));
		expect(order.every((i) => i > 0)).toBe(true);
		expect(order[2]).toBeLessThan(order[1]);
		expect(order[1]).toBeLessThan(order[0]);
		expect(html).toContain('3 papers');
		expect(html).toContain(`href="/authors/${encodeURIComponent('Other Coauthor')}"`);
		// Author names on cards link to their pages.
		expect(html).toMatch(
			new RegExp(`<a href="/authors/${encodeURIComponent('László Kalmár')}"[^>]*>László Kalmár</a>`)
		);
		const past = await page(`/authors/${encodeURIComponent(AUTHOR)}?p=5`);
		expect(past.status).toBe(200);
		expect(await past.text()).toContain('There is no page 6');
		const badPage = await page(`/authors/${encodeURIComponent(AUTHOR)}?p=-1`);
		expect(badPage.status).toBe(400);
		const variant = await page(`/authors/${encodeURIComponent('Rozsa Peter')}`);
		expect(variant.status).toBe(404);
		expect(await variant.text()).toContain('No paper here has an author written');
	});

	it('shows a category page, pages past the end, and refuses unknown or invalid categories', async () => {
		const html = await (await page('/categories/math.LO', 'bob')).text();
		expect(html).toContain(`id="paper-${authored[2].id}"`);
		expect(html).toContain('name="kind" value="category"');
		expect(await (await page('/categories/math.LO?p=40')).text()).toContain(
			'There are no papers on page 41'
		);
		const unknown = await page('/categories/math.XX');
		expect(unknown.status).toBe(404);
		expect(await unknown.text()).toContain('No paper here is in the category math.XX');
		const invalid = await page(`/categories/${encodeURIComponent('<b>cs')}`);
		expect(invalid.status).toBe(400);
		expect(await invalid.text()).toContain('is not an arXiv category');
	});

	it('follows and unfollows, 303 back, and refuses every bad follow with a sentence', async () => {
		const back = `/authors/${encodeURIComponent(AUTHOR)}`;
		const ok = await post('/me/follows', 'follower', {
			kind: 'author',
			target: AUTHOR,
			action: 'follow',
			back
		});
		expect(ok.status).toBe(303);
		expect(ok.headers.get('location')).toBe(back);
		expect(await (await page(back, 'follower')).text()).toContain('aria-pressed="true"');
		const refusals: [Record<string, string>, number, string][] = [
			[
				{ kind: 'category', target: 'not a category', action: 'follow' },
				400,
				'is not an arXiv category'
			],
			[{ kind: 'member', target: 'follower', action: 'follow' }, 400, 'You cannot follow yourself'],
			[{ kind: 'member', target: 'ghost', action: 'follow' }, 404, 'no such member'],
			[
				{ kind: 'author', target: 'Nobody Wrote This', action: 'follow' },
				404,
				'No paper here has an author'
			],
			[{ kind: 'paper', target: PAPER, action: 'follow' }, 400, 'kind=author, category or member'],
			[{ kind: 'author', target: AUTHOR, action: 'like' }, 400, 'action=follow or action=unfollow']
		];
		for (const [fields, status, sentence] of refusals) {
			const response = await post('/me/follows', 'follower', { ...fields, back: '/' });
			expect(response.status).toBe(status);
			expect(await response.text()).toContain(sentence);
		}
		const profile = await (await page('/u/bob', 'follower')).text();
		expect(profile).toContain('name="kind" value="member"');
		expect(profile).toContain('name="target" value="bob"');
		const foreign = await post(
			'/me/follows',
			'follower',
			{ kind: 'category', target: 'cs.CL', action: 'follow' },
			'https://evil.example'
		);
		expect(foreign.status).toBe(403);
		const signedOut = await post('/me/follows', null, {
			kind: 'category',
			target: 'cs.CL',
			action: 'follow',
			back: '/categories/cs.CL'
		});
		expect(signedOut.headers.get('location')).toBe('/signin?next=%2Fcategories%2Fcs.CL');
		// Only the one good follow stands; a `back` to another site returns to /me.
		expect((await listFollowed(db(), 'follower')).map((f) => f.target)).toEqual([AUTHOR]);
		const offsite = await post('/me/follows', 'follower', {
			kind: 'author',
			target: AUTHOR,
			action: 'unfollow',
			back: '//evil.example/'
		});
		expect(offsite.headers.get('location')).toBe('/me');
		expect(await listFollowed(db(), 'follower')).toEqual([]);
	});

	it('marks new papers on /me, and a second visit shows them no longer new', async () => {
		expect((await page('/me')).headers.get('location')).toBe('/signin?next=%2Fme');
		await post('/me/follows', 'lazy', {
			kind: 'author',
			target: AUTHOR,
			action: 'follow',
			back: '/me'
		});
		const first = await (await page('/me', 'lazy')).text();
		expect(first.match(/data-new="true"/g)?.length).toBe(3);
		expect(first).toMatch(/class="new-marker\b/);
		const fresh = makePaper({
			authors: [AUTHOR],
			categories: ['math.LO'],
			publishedAt: new Date(Date.now() + 1000).toISOString()
		});
		await savePapers(db(), [fresh]);
		await new Promise((resolve) => setTimeout(resolve, 1100));
		const second = await (await page('/me', 'lazy')).text();
		expect(second.match(/data-new="true"/g)?.length).toBe(1);
		expect(second.indexOf(`id="paper-${fresh.id}"`)).toBeLessThan(
			second.indexOf(`id="paper-${authored[2].id}"`)
		);
		const third = await (await page('/me', 'lazy')).text();
		expect(third).not.toContain('data-new="true"');
		expect(third).toContain(`href="/authors/${encodeURIComponent(AUTHOR)}"`);
		expect((await page('/me?p=99', 'lazy')).status).toBe(400);
	});

	it('refuses a suspended member, and answers 429 with Retry-After past the follow limit', async () => {
		await db()
			.updateTable('members')
			.set({ suspended_until: new Date(Date.now() + 86_400_000).toISOString() })
			.where('id', '=', 'suspended')
			.execute();
		const save = await post(`/papers/${PAPER}/save`, 'suspended', { action: 'save', back: '/' });
		expect(save.status).toBe(403);
		expect(await save.text()).toContain('suspended');
		const followed = await post('/me/follows', 'suspended', {
			kind: 'category',
			target: 'cs.CL',
			action: 'follow',
			back: '/'
		});
		expect(followed.status).toBe(403);
		expect(await savedIds('suspended')).toEqual([]);
		expect(await listFollowed(db(), 'suspended')).toEqual([]);

		for (let i = 0; i < RATE_LIMITS.follow.points; i++) {
			const action = i % 2 === 0 ? 'follow' : 'unfollow';
			const ok = await post('/me/follows', 'hasty', {
				kind: 'category',
				target: 'cs.CL',
				action,
				back: '/'
			});
			expect(ok.status).toBe(303);
		}
		const refused = await post('/me/follows', 'hasty', {
			kind: 'category',
			target: 'cs.CL',
			action: 'follow',
			back: '/'
		});
		expect(refused.status).toBe(429);
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(await refused.text()).toContain('Too many follows');
		expect(await listFollowed(db(), 'hasty')).toEqual([]);
	});
});
