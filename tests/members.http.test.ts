/**
 * Profiles, avatars and settings over real HTTP against the built app, on both dialects.
 * Members are signed in by starting a session on the same store and sending its cookie
 * (the sign-in flow itself has its own tests).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSession } from '../src/lib/server/auth/session.service';
import { banMember, findOrCreateMember } from '../src/lib/server/members/member.service';
import { castVote } from '../src/lib/server/votes/vote.service';
import { startAppServer, type RunningServer } from './support/app-server';
import { describeEachDialect } from './support/databases';
import { writeFeedFixture } from './support/feed-fixture';
import { addSubmission } from './support/member-fixtures';

describeEachDialect('members over HTTP', (database) => {
	let server: RunningServer;
	let adaId = '';
	let adaCookie = '';

	const db = () => database().store.db;
	const get = (path: string, cookie?: string) =>
		fetch(`${server.url}${path}`, {
			redirect: 'manual',
			headers: cookie ? { cookie, accept: 'text/html' } : { accept: 'text/html' }
		});
	/**
	 * A form POST from the site's own origin (its public one, DP_PUBLIC_URL, by default
	 * http://localhost:<PORT>), as a browser without JavaScript sends it.
	 */
	const post = (path: string, fields: Record<string, string>, cookie: string, origin?: string) =>
		fetch(`${server.url}${path}`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				cookie,
				accept: 'text/html',
				origin: origin ?? `http://localhost:${new URL(server.url).port}`,
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams(fields).toString()
		});
	const signIn = async (email: string) => {
		const { member } = await findOrCreateMember(db(), email);
		const session = await startSession(db(), member.id);
		return { member, cookie: `dp_session=${session.token}` };
	};

	beforeAll(async () => {
		server = await startAppServer([writeFeedFixture()], { database: database().env });
		const ada = await signIn('ada@example.org');
		adaId = ada.member.id;
		adaCookie = ada.cookie;
		// The username from the address is "ada"; make it mixed-case to test the canonical 308.
		expect(
			(await post('/settings?/profile', { username: 'Ada', displayName: 'Ada L.' }, adaCookie))
				.status
		).toBe(303);
		for (const [paperId, day] of [
			['2406.00001', '2024-06-05'],
			['2406.00004', '2024-06-06']
		]) {
			await addSubmission(db(), {
				paperId,
				day,
				memberId: adaId,
				username: 'Ada',
				at: `${day}T09:00:00.000Z`
			});
		}
		await castVote(db(), { paperId: '2406.00003', memberId: adaId });
	});

	afterAll(async () => {
		await server?.stop();
	});

	it('shows a profile: name, avatar, joined date and the papers submitted, newest first', async () => {
		const response = await get('/u/Ada');
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toContain('Ada L.');
		expect(html).toContain('@Ada');
		expect(html).toMatch(/joined \d{1,2} \w+ \d{4}/);
		expect(html).toContain(`src="/avatars/${adaId}.svg"`);
		expect(html).not.toContain('ada@example.org');
		expect(html).toContain('2 papers, most recently submitted first');
		const newest = html.indexOf('Newest day, most upvoted');
		const older = html.indexOf('Attention with');
		expect(newest).toBeGreaterThan(-1);
		expect(older).toBeGreaterThan(newest);
		expect(html).not.toContain('A quiet paper');
	});

	it('lists the upvoted papers on their own tab', async () => {
		const html = await (await get('/u/Ada?list=upvoted')).text();
		expect(html).toContain('A quiet paper');
		expect(html).toContain('1 paper, most recently upvoted first');
		expect(html).not.toContain('Newest day, most upvoted');
	});

	it('redirects another case of the username to the canonical one with 308, keeping the list', async () => {
		const response = await get('/u/ADA?list=upvoted&p=1');
		expect(response.status).toBe(308);
		expect(response.headers.get('location')).toBe('/u/Ada?list=upvoted&p=1');
	});

	it('says there is no such page rather than "page 4 of 3", and refuses bad parameters', async () => {
		const html = await (await get('/u/Ada?p=3')).text();
		expect(html).toContain('There is no page 4: this list has 1 page.');
		expect(html).not.toMatch(/page 4 of/);
		expect((await get('/u/Ada?p=-1')).status).toBe(400);
		expect((await get('/u/Ada?list=followers')).status).toBe(400);
	});

	it('answers 404 with a sentence for an unknown or absurd username', async () => {
		const unknown = await get('/u/nobody-at-all');
		expect(unknown.status).toBe(404);
		expect(await unknown.text()).toContain('There is no member called "nobody-at-all"');
		const huge = await get(`/u/${'x'.repeat(1024)}`);
		expect(huge.status).toBe(404);
		const hostile = await get(`/u/${encodeURIComponent('<script>alert(1)</script>')}`);
		expect(hostile.status).toBe(404);
		expect(await hostile.text()).not.toContain('<script>alert(1)</script>');
	});

	it('serves the avatar as an immutable SVG under its own policy, and 404 for an unknown id', async () => {
		const response = await get(`/avatars/${adaId}.svg`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
		expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
		expect(response.headers.get('content-security-policy')).toBe(
			"default-src 'none'; style-src 'unsafe-inline'"
		);
		const svg = await response.text();
		expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
		expect(await (await get(`/avatars/${adaId}.svg`)).text()).toBe(svg);
		expect((await get('/avatars/nobody.svg')).status).toBe(404);
	});

	it('sends a signed-out reader of /settings to sign in, returning to /settings', async () => {
		const response = await get('/settings');
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/signin?next=%2Fsettings');
		const action = await post('/settings?/profile', { username: 'x', displayName: 'y' }, '');
		expect(action.status).toBe(303);
		expect(action.headers.get('location')).toBe('/signin?next=%2Fsettings');
	});

	it('shows the settings with a welcome line on a first sign-in, and a status line after saving', async () => {
		const welcome = await (await get('/settings?welcome=1', adaCookie)).text();
		expect(welcome).toContain('Welcome to Daily Papers!');
		expect(welcome).toContain('value="Ada"');
		expect(welcome).toContain('Sign out of every device');
		expect(welcome).toMatch(/action="\/signout"/);
		expect(welcome).toMatch(/name="scope" value="all"/);
		const saved = await post(
			'/settings?/profile',
			{ username: 'Ada', displayName: 'Ada Lovelace' },
			adaCookie
		);
		expect(saved.status).toBe(303);
		expect(saved.headers.get('location')).toBe('/settings?done=profile');
		const after = await (await get('/settings?done=profile', adaCookie)).text();
		expect(after).toContain('Your profile is saved.');
		expect(after).toContain('value="Ada Lovelace"');
	});

	it.each([
		[
			'a username taken in another case',
			{ username: 'GRACE' },
			409,
			'The username "GRACE" is taken'
		],
		['a reserved username', { username: 'settings' }, 400, 'is reserved'],
		['a Cyrillic look-alike', { username: 'Аda' }, 400, 'uses only the letters a–z'],
		['a 1 kB username', { username: 'a'.repeat(1024) }, 400, 'A username has 2 to 32 characters.'],
		[
			'control characters in the display name',
			{ displayName: 'Ada\u0007\u202eLovelace' },
			400,
			'cannot contain control or text-direction characters'
		]
	])(
		'refuses %s with its sentence, keeps what was typed, and changes nothing',
		async (_, change, status, sentence) => {
			await signIn('grace@example.org');
			const fields = { username: 'Ada', displayName: 'Ada Lovelace', ...change };
			const response = await post('/settings?/profile', fields, adaCookie);
			expect(response.status).toBe(status);
			const html = await response.text();
			expect(html).toContain(sentence);
			// What was typed stays in the form (the 1 kB one too, cut to the field's 2,000 characters).
			expect(html).toContain(`value="${fields.username}"`);
			expect(html).toContain(`value="${fields.displayName}"`);
			const profile = await (await get('/u/Ada')).text();
			expect(profile).toContain('Ada Lovelace');
		}
	);

	it('answers a POST naming the reserved action "default" with 404, not a 500', async () => {
		const response = await post('/settings?/default', { username: 'x' }, adaCookie);
		expect(response.status).toBe(404);
		expect(await response.text()).toContain('There is no form action called "default" here.');
	});

	it('refuses a profile change posted from another site', async () => {
		const response = await post(
			'/settings?/profile',
			{ username: 'hijacked', displayName: 'Mallory' },
			adaCookie,
			'https://evil.example'
		);
		expect(response.status).toBe(403);
		expect((await get('/u/hijacked')).status).toBe(404);
	});

	it('creates a token shown once, which then works as a bearer token until it is revoked', async () => {
		const { cookie } = await signIn('scripter@example.org');
		const created = await post('/settings?/createToken', { name: 'laptop script' }, cookie);
		expect(created.status).toBe(200);
		expect(created.headers.get('cache-control')).toBe('private, no-store');
		const html = await created.text();
		expect(html).toContain('copy it now: it is shown only');
		const token = /value="(dp_[A-Za-z0-9_-]{43})"/.exec(html)?.[1];
		expect(token).toBeDefined();
		const listed = await (await get('/settings', cookie)).text();
		expect(listed).toContain('laptop script');
		expect(listed).not.toContain(token);
		expect(listed).toMatch(/<td[^>]*>never<\/td>/);

		const api = () =>
			fetch(`${server.url}/api/daily_papers?date=2024-06-03`, {
				headers: { authorization: `Bearer ${token}` }
			});
		expect((await api()).status).toBe(200);
		expect(await (await get('/settings', cookie)).text()).not.toMatch(/<td[^>]*>never<\/td>/);

		const id = /name="id" value="([^"]+)"/.exec(listed)?.[1];
		expect(id).toBeDefined();
		const revoked = await post('/settings?/revokeToken', { id: id! }, cookie);
		expect(revoked.status).toBe(303);
		expect(revoked.headers.get('location')).toBe('/settings?done=revoked');
		const refused = await api();
		expect(refused.status).toBe(401);
		expect(refused.headers.get('content-type')).toContain('application/json');
		expect(((await refused.json()) as { error: string }).error).toContain('not valid');

		const again = await post('/settings?/revokeToken', { id: id! }, cookie);
		expect(again.status).toBe(404);
		expect(await again.text()).toContain('There is no such token, or it was revoked already.');
	});

	it("cannot revoke another member's token", async () => {
		const owner = await signIn('owner@example.org');
		const html = await (
			await post('/settings?/createToken', { name: 'mine' }, owner.cookie)
		).text();
		const id = /name="id" value="([^"]+)"/.exec(html)?.[1];
		expect(id).toBeDefined();
		const response = await post('/settings?/revokeToken', { id: id! }, adaCookie);
		expect(response.status).toBe(404);
		expect(await (await get('/settings', owner.cookie)).text()).toContain('mine');
	});

	it('refuses a token without a name, and the eleventh token in an hour with 429 and Retry-After', async () => {
		const { cookie } = await signIn('busy@example.org');
		const unnamed = await post('/settings?/createToken', { name: '   ' }, cookie);
		expect(unnamed.status).toBe(400);
		expect(await unnamed.text()).toContain('Give the token a name');
		for (let i = 1; i < 10; i++) {
			expect((await post('/settings?/createToken', { name: `t${i}` }, cookie)).status).toBe(200);
		}
		const limited = await post('/settings?/createToken', { name: 'one more' }, cookie);
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(await limited.text()).toContain('Too many new API tokens');
	});

	it("signs nobody in with a banned member's old session, and their profile lists nothing", async () => {
		const mallory = await signIn('mallory@example.org');
		await addSubmission(db(), {
			paperId: '2406.00002',
			day: '2024-06-07',
			memberId: mallory.member.id,
			username: mallory.member.username,
			at: '2024-06-07T09:00:00.000Z'
		});
		expect((await get('/settings', mallory.cookie)).status).toBe(200);
		await banMember(db(), mallory.member.username);
		const after = await get('/settings', mallory.cookie);
		expect(after.status).toBe(303);
		expect(after.headers.get('location')).toBe('/signin?next=%2Fsettings');
		const profile = await get(`/u/${mallory.member.username}`);
		expect(profile.status).toBe(200);
		const html = await profile.text();
		expect(html).toContain('This account is suspended.');
		expect(html).not.toContain('data-paper-id');
	});
});
