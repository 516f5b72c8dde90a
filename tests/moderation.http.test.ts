/**
 * Moderation over real HTTP against the built app, on both dialects: flagging
 * (`/flag`), the queue and its form actions (`/mod`), the audit log (`/mod/log`),
 * and that a hidden paper is gone from every page and API answer, not only its own.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../src/lib/server/auth/identify';
import { startSession } from '../src/lib/server/auth/session.service';
import { RATE_LIMITS } from '../src/lib/server/http/rate-limit';
import { findPaper } from '../src/lib/server/papers/paper.repository';
import { refreshTrending } from '../src/lib/server/trending/trending.service';
import { startAppServer, type RunningServer } from './support/app-server';
import { describeEachDialect } from './support/databases';
import { writeFeedFixture } from './support/feed-fixture';
import { addMembers } from './support/fixtures';

const TARGET = '2406.00004'; // "Newest day, most upvoted", on 2024-06-04
const OTHER = '2406.00005';
const QUIET = '2406.00003';

describeEachDialect('moderation over HTTP', (database) => {
	let server: RunningServer;
	const cookies: Record<string, string> = {};
	const db = () => database().store.db;
	const ownOrigin = () => `http://localhost:${new URL(server.url).port}`;
	const as = (member: string) => ({ cookie: `${SESSION_COOKIE}=${cookies[member]}` });
	const get = (path: string, member?: string) =>
		fetch(`${server.url}${path}`, { headers: member ? as(member) : {}, redirect: 'manual' });
	const post = (path: string, fields: Record<string, string>, member?: string) =>
		fetch(`${server.url}${path}`, {
			method: 'POST',
			headers: {
				...(member ? as(member) : {}),
				origin: ownOrigin(),
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams(fields).toString(),
			redirect: 'manual'
		});
	const auditActions = async () =>
		(
			await db()
				.selectFrom('moderation_log')
				.select(['action', 'target_kind', 'target_id', 'actor_id'])
				.orderBy('created_at')
				.execute()
		).map((r) => `${r.actor_id} ${r.action} ${r.target_kind} ${r.target_id}`);

	beforeAll(async () => {
		server = await startAppServer([writeFeedFixture()], { database: database().env });
		const members = ['ada', 'bob', 'mod', 'boss', 'troll', 'quiet', 'flagger'];
		await addMembers(db(), members);
		await db().updateTable('members').set({ role: 'moderator' }).where('id', '=', 'mod').execute();
		await db().updateTable('members').set({ role: 'admin' }).where('id', '=', 'boss').execute();
		for (const member of members) cookies[member] = (await startSession(db(), member)).token;
		// Trending as the job would rank it on 2024-06-05 (the fixture's days are in 2024).
		await refreshTrending(db(), { now: new Date('2024-06-05T00:00:00.000Z') });
	});

	afterAll(async () => {
		await server?.stop();
	});

	it('asks a signed-out reader to sign in before flagging, and shows a member the form', async () => {
		const signedOut = await get(`/flag?kind=paper&id=${TARGET}`);
		expect(signedOut.status).toBe(303);
		expect(signedOut.headers.get('location')).toMatch(/^\/signin\?next=/);
		const form = await get(`/flag?kind=paper&id=${TARGET}&back=%2F`, 'ada');
		expect(form.status).toBe(200);
		const html = await form.text();
		expect(html).toContain('Newest day, most upvoted');
		expect(html).toContain('name="reason"');
	});

	it('takes a flag with a reason and thanks; a second, an empty reason or a forged id are refused', async () => {
		const path = `/flag?kind=paper&id=${TARGET}&back=%2F`;
		const empty = await post(path, { reason: '   ' }, 'ada');
		expect(empty.status).toBe(400);
		expect(await empty.text()).toContain('Say why you flag it');
		const long = await post(path, { reason: 'x'.repeat(1001) }, 'ada');
		expect(long.status).toBe(400);
		const done = await post(path, { reason: 'Spam, not a paper' }, 'ada');
		expect(done.status).toBe(303);
		expect(done.headers.get('location')).toBe(`${path}&sent=1`);
		const thanks = await (await get(`${path}&sent=1`, 'ada')).text();
		expect(thanks).toContain('Thank you');
		expect(thanks).toContain('href="/"');
		const again = await post(path, { reason: 'Still spam' }, 'ada');
		expect(again.status).toBe(409);
		expect(await again.text()).toContain('already flagged');
		expect((await post(path, { reason: 'Duplicate' }, 'bob')).status).toBe(303);
		const forged = await post('/flag?kind=comment&id=forged-id', { reason: 'x' }, 'ada');
		expect(forged.status).toBe(404);
		const badKind = await get('/flag?kind=member&id=ada', 'ada');
		expect(badKind.status).toBe(404);
		const flags = await db().selectFrom('flags').selectAll().execute();
		expect(flags.map((f) => `${f.member_id}:${f.target_id}`).sort()).toEqual([
			`ada:${TARGET}`,
			`bob:${TARGET}`
		]);
	});

	it('answers 429 once a member passes the flag limit', async () => {
		for (let i = 0; i < RATE_LIMITS.flag.points; i++) {
			// Forged targets still count: the limit is on asking.
			await post(`/flag?kind=comment&id=none-${i}`, { reason: 'x' }, 'flagger');
		}
		const refused = await post(`/flag?kind=paper&id=${OTHER}`, { reason: 'x' }, 'flagger');
		expect(refused.status).toBe(429);
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
	});

	it('keeps members and signed-out readers out of /mod and /mod/log; moderators out of the log', async () => {
		for (const path of ['/mod', '/mod/log']) {
			const signedOut = await get(path);
			expect(signedOut.status).toBe(303);
			expect(signedOut.headers.get('location')).toContain('/signin?next=');
			expect((await get(path, 'ada')).status).toBe(403);
		}
		expect((await get('/mod/log', 'mod')).status).toBe(403);
		const refused = await post('/mod?/hide', { kind: 'paper', id: TARGET }, 'ada');
		expect(refused.status).toBe(403);
		expect((await findPaper(db(), TARGET))?.hiddenAt).toBeUndefined();
		const queue = await get('/mod', 'mod');
		expect(queue.status).toBe(200);
		const html = await queue.text();
		expect(html).toContain('Newest day, most upvoted');
		expect(html).toContain('Spam, not a paper');
		expect(html).toContain('2 flags');
	});

	it('hides a paper from the queue: gone from the feed, trending, search and the API; back when shown', async () => {
		const visible = async () => ({
			home: (await (await get('/')).text()).includes(`/papers/${TARGET}`),
			day: (await (await get('/papers?date=2024-06-04')).text()).includes(`/papers/${TARGET}`),
			trending: (await (await get('/trending?window=month')).text()).includes(`/papers/${TARGET}`),
			search: (await (await get('/search?q=Newest')).text()).includes(`/papers/${TARGET}`),
			apiFeed: JSON.stringify(
				await (await get('/api/daily_papers?date=2024-06-04')).json()
			).includes(TARGET),
			apiPaper: (await get(`/api/papers/${TARGET}`)).status,
			page: (await get(`/papers/${TARGET}`, 'ada')).status
		});
		const shown = {
			home: true,
			day: true,
			trending: true,
			search: true,
			apiFeed: true,
			apiPaper: 200,
			page: 200
		};
		const gone = {
			home: false,
			day: false,
			trending: false,
			search: false,
			apiFeed: false,
			apiPaper: 404,
			page: 404
		};
		expect(await visible()).toEqual(shown);

		const hide = await post(
			'/mod?/hide',
			{ kind: 'paper', id: TARGET, reason: 'spam', back: '' },
			'mod'
		);
		expect(hide.status).toBe(303);
		expect(hide.headers.get('location')).toBe('/mod?done=hide');
		// The search replica follows the change feed about once a second.
		await expect.poll(visible, { timeout: 15_000, interval: 300 }).toEqual(gone);
		const apiPaper = await get(`/api/papers/${TARGET}`);
		expect(await apiPaper.json()).toHaveProperty('error');
		// A moderator still sees it, under a banner, with the way back.
		const page = await (await get(`/papers/${TARGET}`, 'mod')).text();
		expect(page).toContain('Hidden by a moderator');
		expect(page).toContain('Show paper');
		// Its flags are resolved: the queue is empty.
		expect(await (await get('/mod', 'mod')).text()).toContain('No open flags.');

		const show = await post(
			'/mod?/unhide',
			{ kind: 'paper', id: TARGET, back: `/papers/${TARGET}` },
			'mod'
		);
		expect(show.status).toBe(303);
		expect(show.headers.get('location')).toBe(`/papers/${TARGET}`);
		await refreshTrending(db(), { now: new Date('2024-06-05T00:00:00.000Z') });
		await expect.poll(visible, { timeout: 15_000, interval: 300 }).toEqual(shown);
		const twice = await post('/mod?/unhide', { kind: 'paper', id: TARGET }, 'mod');
		expect(twice.status).toBe(409);
		expect(await twice.text()).toContain('already shown');
	});

	it('locks and unlocks a thread from the paper page, which says so', async () => {
		const lock = await post('/mod?/lock', { id: QUIET, back: `/papers/${QUIET}` }, 'mod');
		expect(lock.status).toBe(303);
		expect((await findPaper(db(), QUIET))?.threadLockedAt).toBeDefined();
		expect(await (await get(`/papers/${QUIET}`, 'mod')).text()).toContain('Unlock thread');
		expect((await post('/mod?/lock', { id: QUIET }, 'mod')).status).toBe(409);
		expect((await post('/mod?/unlock', { id: QUIET }, 'mod')).status).toBe(303);
		expect((await findPaper(db(), QUIET))?.threadLockedAt).toBeUndefined();
	});

	it('bans a member: their sessions end and their comments are hidden', async () => {
		await db()
			.insertInto('comments')
			.values({
				id: 'troll-1',
				paper_id: QUIET,
				parent_id: null,
				member_id: 'troll',
				body: 'nasty',
				body_html: '<p>nasty</p>',
				created_at: '2024-06-04T00:00:00.000Z',
				edited_at: null,
				deleted_at: null,
				hidden_at: null
			})
			.execute();
		expect(
			(
				await fetch(`${server.url}/api/papers/${OTHER}/upvote`, {
					method: 'POST',
					headers: as('troll')
				})
			).status
		).toBe(200);
		const ban = await post('/mod?/ban', { username: 'troll', reason: 'abuse' }, 'mod');
		expect(ban.status).toBe(303);
		const after = await fetch(`${server.url}/api/papers/${OTHER}/upvote`, {
			method: 'DELETE',
			headers: as('troll')
		});
		expect(after.status).toBe(401);
		const comment = await db()
			.selectFrom('comments')
			.selectAll()
			.where('id', '=', 'troll-1')
			.executeTakeFirstOrThrow();
		expect(comment.hidden_at).not.toBeNull();
		const refused = await post('/mod?/ban', { username: 'boss' }, 'mod');
		expect(refused.status).toBe(403);
		expect(await refused.text()).toContain('Only an admin may ban');
	});

	it('suspends a member: votes and submissions answer 403 with the date; lifting it lets them vote', async () => {
		const suspend = await post('/mod?/suspend', { username: 'quiet', days: '3' }, 'mod');
		expect(suspend.status).toBe(303);
		const until = (
			await db()
				.selectFrom('members')
				.select('suspended_until')
				.where('id', '=', 'quiet')
				.executeTakeFirstOrThrow()
		).suspended_until!;
		const vote = await fetch(`${server.url}/api/papers/${OTHER}/upvote`, {
			method: 'POST',
			headers: as('quiet')
		});
		expect(vote.status).toBe(403);
		expect(((await vote.json()) as { error: string }).error).toContain(
			`suspended until ${until.slice(0, 10)}`
		);
		const form = await post(`/papers/${OTHER}/vote`, { vote: 'up', back: '/' }, 'quiet');
		expect(form.status).toBe(403);
		const submit = await fetch(`${server.url}/api/papers/submit`, {
			method: 'POST',
			headers: { ...as('quiet'), 'content-type': 'application/json' },
			body: JSON.stringify({ arxivId: '2406.00001' })
		});
		expect(submit.status).toBe(403);
		expect(((await submit.json()) as { error: string }).error).toContain('suspended until');
		const page = await post('/submit', { reference: '2406.00001' }, 'quiet');
		expect(page.status).toBe(403);
		const flag = await post(`/flag?kind=paper&id=${OTHER}`, { reason: 'x' }, 'quiet');
		expect(flag.status).toBe(403);
		expect((await post('/mod?/suspend', { username: 'quiet', days: '0' }, 'mod')).status).toBe(400);
		expect((await post('/mod?/unsuspend', { username: 'quiet' }, 'mod')).status).toBe(303);
		const again = await fetch(`${server.url}/api/papers/${OTHER}/upvote`, {
			method: 'POST',
			headers: as('quiet')
		});
		expect(again.status).toBe(200);
	});

	it('refuses a moderator action posted from another site', async () => {
		const response = await fetch(`${server.url}/mod?/hide`, {
			method: 'POST',
			headers: {
				...as('mod'),
				origin: 'https://evil.example',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: `kind=paper&id=${OTHER}`,
			redirect: 'manual'
		});
		expect(response.status).toBe(403);
		expect((await findPaper(db(), OTHER))?.hiddenAt).toBeUndefined();
	});

	it('lists every action in the audit log, for admins', async () => {
		expect(await auditActions()).toEqual([
			`mod hide paper ${TARGET}`,
			`mod unhide paper ${TARGET}`,
			`mod lock paper ${QUIET}`,
			`mod unlock paper ${QUIET}`,
			'mod ban member troll',
			'mod suspend member quiet',
			'mod unsuspend member quiet'
		]);
		const log = await get('/mod/log', 'boss');
		expect(log.status).toBe(200);
		const html = await log.text();
		expect(html).toContain('7 in all');
		for (const action of ['hide', 'unhide', 'lock', 'unlock', 'ban', 'suspend', 'unsuspend'])
			expect(html).toMatch(new RegExp(`<td[^>]*>${action}</td>`));
		expect(html).toContain('abuse');
	});
});
