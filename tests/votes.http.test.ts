/**
 * Upvotes over real HTTP against the built app, on both dialects: the JSON API
 * (`POST`/`DELETE /api/papers/{id}/upvote`, by session cookie or bearer token) and
 * the form that works without JavaScript (`POST /papers/{id}/vote`, 303 back).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiToken, revokeToken } from '../src/lib/server/auth/api-token.service';
import { SESSION_COOKIE } from '../src/lib/server/auth/identify';
import { startSession } from '../src/lib/server/auth/session.service';
import { banMember } from '../src/lib/server/members/member.service';
import { findPaper } from '../src/lib/server/papers/paper.repository';
import { RATE_LIMITS } from '../src/lib/server/http/rate-limit';
import { countVoteRows } from '../src/lib/server/votes/vote.repository';
import { startAppServer, type RunningServer } from './support/app-server';
import { describeEachDialect } from './support/databases';
import { writeFeedFixture } from './support/feed-fixture';
import { addMembers } from './support/fixtures';

const PAPER = '2406.00003'; // 3 upvotes from Hugging Face in the fixture
const OTHER = '2406.00005'; // 1 upvote

describeEachDialect('upvotes over HTTP', (database) => {
	let server: RunningServer;
	const cookies: Record<string, string> = {};
	const db = () => database().store.db;
	// The site's public origin (DP_PUBLIC_URL, by default http://localhost:<PORT>), as a browser sends it.
	const ownOrigin = () => `http://localhost:${new URL(server.url).port}`;

	const api = (id: string, method: 'POST' | 'DELETE', headers: Record<string, string> = {}) =>
		fetch(`${server.url}/api/papers/${id}/upvote`, { method, headers });
	const as = (member: string) => ({ cookie: `${SESSION_COOKIE}=${cookies[member]}` });
	const stored = async (id: string) => ({
		memberUpvotes: (await findPaper(db(), id))?.memberUpvotes,
		rows: await countVoteRows(db(), id)
	});

	beforeAll(async () => {
		server = await startAppServer([writeFeedFixture()], { database: database().env });
		const members = ['ada', 'bob', 'eve', 'hasty', 'banned', 'formy'];
		await addMembers(db(), members);
		for (const member of members) cookies[member] = (await startSession(db(), member)).token;
	});

	afterAll(async () => {
		await server?.stop();
	});

	it('casts a vote and answers the shown count (imported count plus members’ votes)', async () => {
		const response = await api(PAPER, 'POST', as('ada'));
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toContain('application/json');
		expect(await response.json()).toEqual({ upvotes: 4, voted: true });
		expect(await stored(PAPER)).toEqual({ memberUpvotes: 1, rows: 1 });
	});

	it('counts a second vote from the same member once', async () => {
		const again = await api(PAPER, 'POST', as('ada'));
		expect(await again.json()).toEqual({ upvotes: 4, voted: true });
		const bob = await api(PAPER, 'POST', as('bob'));
		expect(await bob.json()).toEqual({ upvotes: 5, voted: true });
		expect(await stored(PAPER)).toEqual({ memberUpvotes: 2, rows: 2 });
	});

	it('takes a vote back with DELETE, and a second DELETE changes nothing', async () => {
		expect(await (await api(PAPER, 'DELETE', as('ada'))).json()).toEqual({
			upvotes: 4,
			voted: false
		});
		expect(await (await api(PAPER, 'DELETE', as('ada'))).json()).toEqual({
			upvotes: 4,
			voted: false
		});
		expect(await stored(PAPER)).toEqual({ memberUpvotes: 1, rows: 1 });
	});

	it('answers 404 JSON for a paper that does not exist', async () => {
		const response = await api('9912.99999', 'POST', as('ada'));
		expect(response.status).toBe(404);
		expect(await response.json()).toEqual({ error: 'No paper 9912.99999' });
	});

	it('answers 401 JSON when nobody is signed in, or the session is not a session', async () => {
		for (const headers of [{}, { cookie: `${SESSION_COOKIE}=forged-session-value` }] as Record<
			string,
			string
		>[]) {
			const response = await api(PAPER, 'POST', headers);
			expect(response.status).toBe(401);
			expect(((await response.json()) as { error: string }).error).toMatch(/sign in/i);
		}
		expect(await stored(PAPER)).toEqual({ memberUpvotes: 1, rows: 1 });
	});

	it('takes a bearer token, and refuses it once revoked', async () => {
		const token = await createApiToken(db(), 'eve', 'vote script');
		const bearer = { authorization: `Bearer ${token.token}` };
		expect(await (await api(OTHER, 'POST', bearer)).json()).toEqual({ upvotes: 2, voted: true });
		await revokeToken(db(), 'eve', token.id);
		const refused = await api(OTHER, 'DELETE', bearer);
		expect(refused.status).toBe(401);
		expect(await refused.json()).toHaveProperty('error');
		expect(await stored(OTHER)).toEqual({ memberUpvotes: 1, rows: 1 });
	});

	it("refuses a banned member's old session", async () => {
		await banMember(db(), 'banned');
		const response = await api(OTHER, 'POST', as('banned'));
		expect(response.status).toBe(401);
		expect(await stored(OTHER)).toEqual({ memberUpvotes: 1, rows: 1 });
	});

	it('refuses a vote posted from another site, as a form or as a bare fetch', async () => {
		const foreign = { ...as('bob'), origin: 'https://evil.example' };
		const form = await fetch(`${server.url}/api/papers/${OTHER}/upvote`, {
			method: 'POST',
			headers: { ...foreign, 'content-type': 'application/x-www-form-urlencoded' },
			body: 'vote=up'
		});
		expect(form.status).toBe(403);
		expect(await form.json()).toHaveProperty('error');
		const bare = await api(OTHER, 'POST', foreign);
		expect(bare.status).toBe(403);
		expect(((await bare.json()) as { error: string }).error).toContain('another site');
		const page = await fetch(`${server.url}/papers/${OTHER}/vote`, {
			method: 'POST',
			headers: { ...foreign, 'content-type': 'application/x-www-form-urlencoded' },
			body: 'vote=up&back=%2F',
			redirect: 'manual'
		});
		expect(page.status).toBe(403);
		expect(await stored(OTHER)).toEqual({ memberUpvotes: 1, rows: 1 });
	});

	it('answers 429 with Retry-After once a member passes the vote limit, across both endpoints', async () => {
		const limit = RATE_LIMITS.vote.points;
		for (let i = 0; i < limit; i++) {
			const response = await api(OTHER, i % 2 === 0 ? 'POST' : 'DELETE', as('hasty'));
			expect(response.status).toBe(200);
		}
		const refused = await api(OTHER, 'POST', as('hasty'));
		expect(refused.status).toBe(429);
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(((await refused.json()) as { error: string }).error).toMatch(/Too many votes/);
		const form = await fetch(`${server.url}/papers/${OTHER}/vote`, {
			method: 'POST',
			headers: {
				...as('hasty'),
				origin: ownOrigin(),
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: 'vote=up&back=%2F',
			redirect: 'manual'
		});
		expect(form.status).toBe(429);
		expect(Number(form.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(await form.text()).toContain('Too many votes');
		// An even number of toggles: hasty's vote does not stand.
		expect(await stored(OTHER)).toEqual({ memberUpvotes: 1, rows: 1 });
	});

	it('round-trips the form without JavaScript: 303 back to the same page at the card', async () => {
		const feedPath = '/papers?date=2024-06-03';
		const before = await (await fetch(`${server.url}${feedPath}`, { headers: as('formy') })).text();
		// The card's button is a form posting here, saying where it sits.
		expect(before).toContain(`action="/papers/${PAPER}/vote"`);
		expect(before).toContain(`name="back" value="${feedPath.replace('&', '&amp;')}"`);
		expect(before).toMatch(/aria-pressed="false"/);
		const post = (vote: string, back: string) =>
			fetch(`${server.url}/papers/${PAPER}/vote`, {
				method: 'POST',
				headers: {
					...as('formy'),
					origin: ownOrigin(),
					accept: 'text/html',
					'content-type': 'application/x-www-form-urlencoded'
				},
				body: new URLSearchParams({ vote, back }).toString(),
				redirect: 'manual'
			});
		const up = await post('up', feedPath);
		expect(up.status).toBe(303);
		expect(up.headers.get('location')).toBe(`${feedPath}#paper-${PAPER}`);
		const after = await (await fetch(`${server.url}${feedPath}`, { headers: as('formy') })).text();
		const card = after.slice(after.indexOf(`id="paper-${PAPER}"`));
		expect(card).toMatch(/^[^]*?aria-pressed="true"/);
		expect(card).toContain('name="vote" value="down"');
		expect(await stored(PAPER)).toEqual({ memberUpvotes: 2, rows: 2 });

		const down = await post('down', 'https://evil.example/');
		expect(down.status).toBe(303);
		// Only a path on this site is followed back; anything else returns to the paper.
		expect(down.headers.get('location')).toBe(`/papers/${PAPER}#paper-${PAPER}`);
		expect(await stored(PAPER)).toEqual({ memberUpvotes: 1, rows: 1 });

		const bad = await post('sideways', feedPath);
		expect(bad.status).toBe(400);
		expect(await bad.text()).toContain('vote=up or vote=down');
	});

	it('sends signed-out readers to sign in, returning to the page afterwards', async () => {
		const html = await (await fetch(`${server.url}/papers?date=2024-06-03`)).text();
		expect(html).toContain(
			`href="/signin?next=${encodeURIComponent('/papers?date=2024-06-03')}"`.replace(/&/g, '&amp;')
		);
		expect(html).not.toContain('vote-button.js');
		const post = await fetch(`${server.url}/papers/${PAPER}/vote`, {
			method: 'POST',
			headers: {
				origin: ownOrigin(),
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: 'vote=up&back=%2Ftrending%3Fwindow%3Dday',
			redirect: 'manual'
		});
		expect(post.status).toBe(303);
		expect(post.headers.get('location')).toBe(
			`/signin?next=${encodeURIComponent('/trending?window=day')}`
		);
		const paperPage = await (
			await fetch(`${server.url}/papers/${PAPER}`, { headers: as('ada') })
		).text();
		expect(paperPage).toContain('vote-button.js');
		expect(paperPage).toContain(`data-vote-api="/api/papers/${PAPER}/upvote"`);
		const script = await fetch(`${server.url}/vote-button.js`);
		expect(script.status).toBe(200);
		expect(script.headers.get('content-type')).toContain('javascript');
	});
});
