/**
 * Signing in by e-mail over real HTTP and real SMTP: the built app mails its link to an
 * SMTP server this test starts, the link is read from the received message, followed and
 * confirmed; then the session cookie, the header, signing out, enumeration, rate limits,
 * cross-site posts and bad links. On both dialects; the development mode (no SMTP, the link
 * in the log) and the Secure cookie of an https site on SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret, newSecret } from '../src/lib/server/auth/secret-token';
import { insertLoginLink } from '../src/lib/server/auth/login-link.repository';
import { banMember } from '../src/lib/server/members/member.service';
import { startAppServer, type RunningServer } from './support/app-server';
import { describeEachDialect } from './support/databases';
import { addMembers } from './support/fixtures';
import { signInLinkPath, startSmtpInbox, type SmtpInbox } from './support/smtp-inbox';

/**
 * A browser-like client of one server: form posts from the site's public origin (what a
 * browser on the site sends as Origin: DP_PUBLIC_URL, by default http://localhost:<PORT>),
 * cookies kept by name.
 */
function client(server: () => RunningServer, publicOrigin?: string) {
	const ownOrigin = () => publicOrigin ?? `http://localhost:${new URL(server().url).port}`;
	const jar = new Map<string, string>();
	const cookieHeader = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
	const remember = (response: Response) => {
		for (const line of response.headers.getSetCookie()) {
			const [pair, ...attributes] = line.split(';');
			const [name, value] = pair.split('=');
			const expired = attributes.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
			if (expired || value === '') jar.delete(name.trim());
			else jar.set(name.trim(), value);
		}
		return response;
	};
	return {
		jar,
		get: async (path: string) =>
			remember(
				await fetch(`${server().url}${path}`, {
					redirect: 'manual',
					headers: { cookie: cookieHeader(), accept: 'text/html' }
				})
			),
		post: async (path: string, form: Record<string, string>, origin = ownOrigin()) =>
			remember(
				await fetch(`${server().url}${path}`, {
					method: 'POST',
					redirect: 'manual',
					headers: {
						cookie: cookieHeader(),
						// As a browser sends it; without it SvelteKit answers a form action in JSON.
						accept: 'text/html',
						origin,
						'content-type': 'application/x-www-form-urlencoded'
					},
					body: new URLSearchParams(form).toString()
				})
			)
	};
}

type Client = ReturnType<typeof client>;

/** The Set-Cookie line for `name`, or undefined. */
const setCookie = (response: Response, name: string) =>
	response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));

describeEachDialect('signing in by e-mail over HTTP', (database) => {
	let server: RunningServer;
	let inbox: SmtpInbox;

	beforeAll(async () => {
		inbox = await startSmtpInbox();
		server = await startAppServer([], {
			database: database().env,
			env: { DP_SMTP_URL: inbox.url, DP_MAIL_FROM: 'Daily Papers <papers@example.org>' }
		});
		await addMembers(database().store.db, ['dave']);
		await banMember(database().store.db, 'dave');
	});

	afterAll(async () => {
		await server?.stop();
		await inbox?.close();
	});

	/** Asks for a link as `browser` and returns its path, read from the message the SMTP server got. */
	async function requestLink(browser: Client, email: string, next?: string): Promise<string> {
		const since = inbox.messages.length;
		const response = await browser.post('/signin', { email, ...(next ? { next } : {}) });
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/signin/sent');
		return signInLinkPath(await inbox.waitFor(email, since));
	}

	async function signIn(browser: Client, email: string, next?: string): Promise<Response> {
		const path = await requestLink(browser, email, next);
		const token = new URL(path, server.url).searchParams.get('token') ?? '';
		return browser.post(path, { token });
	}

	it('mails a link over SMTP, shows whose it is on GET, and signs in only on the POST', async () => {
		const browser = client(() => server);
		const since = inbox.messages.length;
		const asked = await browser.post('/signin', { email: 'Ada@Example.org', next: '/trending' });
		expect(asked.status).toBe(303);
		const sent = await browser.get('/signin/sent');
		const sentHtml = await sent.text();
		expect(sentHtml).toContain('Check your inbox');
		expect(sentHtml).toContain('ada@example.org');
		expect(sentHtml).not.toContain('Development mode');

		const mail = await inbox.waitFor('ada@example.org', since);
		expect(mail.subject).toBe('Your sign-in link for Daily Papers');
		expect(mail.from?.text).toContain('papers@example.org');
		const path = signInLinkPath(mail);
		expect(mail.html).toContain(`${path}">Sign in to Daily Papers</a>`);

		// A mail scanner's GET (twice) uses nothing up.
		for (let i = 0; i < 2; i++) {
			const look = await browser.get(path);
			expect(look.status).toBe(200);
			const html = await look.text();
			expect(html).toContain('Sign in as');
			expect(html).toContain('ada@example.org');
			expect(html).toMatch(/<form method="POST"/);
			expect(setCookie(look, 'dp_session')).toBeUndefined();
		}

		const token = new URL(path, server.url).searchParams.get('token') ?? '';
		const confirmed = await browser.post(path, { token });
		expect(confirmed.status).toBe(303);
		// A first sign-in goes to the settings to choose a username, then on to where it started.
		expect(confirmed.headers.get('location')).toBe('/settings?welcome=1&next=%2Ftrending');
		const cookie = setCookie(confirmed, 'dp_session') ?? '';
		expect(cookie).toMatch(/; HttpOnly/i);
		expect(cookie).toMatch(/; SameSite=Lax/i);
		expect(cookie).toMatch(/; Path=\//i);
		expect(cookie).not.toMatch(/; Secure/i);

		const home = await (await browser.get('/')).text();
		expect(home).toContain('href="/u/ada"');
		expect(home).toContain('>ada</span>');
		expect(home).toContain('Sign out');
		expect(home).not.toContain('>Sign in</a>');

		const reused = await browser.post(path, { token });
		expect(reused.status).toBe(400);
		const reusedHtml = await reused.text();
		expect(reusedHtml).toContain('already used');
		expect(reusedHtml).toContain('Get a new sign-in link');
	});

	it('returns a known member to where they were, and sends a signed-in reader on from /signin', async () => {
		const browser = client(() => server);
		const confirmed = await signIn(browser, 'ada@example.org', '/papers?week=2024-W23');
		expect(confirmed.status).toBe(303);
		expect(confirmed.headers.get('location')).toBe('/papers?week=2024-W23');
		const again = await browser.get('/signin?next=%2Ftrending');
		expect(again.status).toBe(303);
		expect(again.headers.get('location')).toBe('/trending');
		// An address elsewhere is not a place to return to.
		const elsewhere = await browser.get('/signin?next=%2F%2Fevil.example');
		expect(elsewhere.headers.get('location')).toBe('/');
	});

	it('ends the session a browser had when it signs in as someone else', async () => {
		const browser = client(() => server);
		await signIn(browser, 'frank@example.org');
		const before = browser.jar.get('dp_session');
		await signIn(browser, 'grace@example.org');
		expect(browser.jar.get('dp_session')).not.toBe(before);
		expect(await (await browser.get('/')).text()).toContain('href="/u/grace"');
		const frankSessions = await database()
			.store.db.selectFrom('sessions')
			.innerJoin('members', 'members.id', 'sessions.member_id')
			.select('sessions.token_hash')
			.where('members.email', '=', 'frank@example.org')
			.execute();
		expect(frankSessions).toEqual([]);
	});

	it('signs out of this device only, or of every device', async () => {
		const [first, second, third] = [
			client(() => server),
			client(() => server),
			client(() => server)
		];
		for (const browser of [first, second]) await signIn(browser, 'bob@example.org');
		const signedIn = async (browser: Client) =>
			(await (await browser.get('/')).text()).includes('href="/u/bob"');
		expect(await signedIn(first)).toBe(true);
		expect(await signedIn(second)).toBe(true);

		const out = await first.post('/signout', { scope: 'this' });
		expect(out.status).toBe(303);
		expect(out.headers.get('location')).toBe('/');
		expect(setCookie(out, 'dp_session')).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
		expect(await signedIn(first)).toBe(false);
		expect(await signedIn(second)).toBe(true);

		await signIn(third, 'bob@example.org');
		const all = await second.post('/signout', { scope: 'all' });
		expect(all.status).toBe(303);
		expect(await signedIn(second)).toBe(false);
		expect(await signedIn(third)).toBe(false);
		const sessions = await database()
			.store.db.selectFrom('sessions')
			.innerJoin('members', 'members.id', 'sessions.member_id')
			.select('sessions.token_hash')
			.where('members.email', '=', 'bob@example.org')
			.execute();
		expect(sessions).toEqual([]);

		const unknownScope = await second.post('/signout', { scope: 'everywhere' });
		expect(unknownScope.status).toBe(400);
	});

	it('answers the same for an address with an account and one without', async () => {
		const answers = [];
		for (const email of ['ada@example.org', 'nobody-here@example.org']) {
			const browser = client(() => server);
			const asked = await browser.post('/signin', { email });
			const sent = await browser.get('/signin/sent');
			answers.push({
				status: asked.status,
				location: asked.headers.get('location'),
				body: await asked.text(),
				cookie: setCookie(asked, 'dp_signin_sent_to')?.replace(
					encodeURIComponent(email),
					'<address>'
				),
				sent: (await sent.text()).replaceAll(email, '<address>')
			});
		}
		expect(answers[1]).toEqual(answers[0]);
		// Asking made no member of the unknown address; only using the link would.
		const made = await database()
			.store.db.selectFrom('members')
			.select('id')
			.where('email', '=', 'nobody-here@example.org')
			.execute();
		expect(made).toEqual([]);
	});

	it('answers 429 with Retry-After after five links for one address, and sends no sixth', async () => {
		const browser = client(() => server);
		for (let i = 0; i < 5; i++) await requestLink(browser, 'carol@example.org');
		const since = inbox.messages.length;
		const refused = await browser.post('/signin', { email: 'carol@example.org' });
		expect(refused.status).toBe(429);
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(await refused.text()).toContain('Too many sign-in links for this address');
		await new Promise((r) => setTimeout(r, 300));
		expect(inbox.messages.slice(since)).toEqual([]);
	});

	it('refuses a form posted from another site and changes nothing', async () => {
		const browser = client(() => server);
		await signIn(browser, 'erin@example.org');
		const evil = 'https://evil.example';
		const asked = await browser.post('/signin', { email: 'victim@example.org' }, evil);
		expect(asked.status).toBe(403);
		const out = await browser.post('/signout', { scope: 'all' }, evil);
		expect(out.status).toBe(403);
		expect((await (await browser.get('/')).text()).includes('href="/u/erin"')).toBe(true);
		const links = await database()
			.store.db.selectFrom('login_links')
			.select('token_hash')
			.where('email', '=', 'victim@example.org')
			.execute();
		expect(links).toEqual([]);
	});

	it('says whether a link is forged or expired, on GET and on POST, with a way to a new one', async () => {
		const browser = client(() => server);
		const forged = `/signin/link?token=${newSecret()}`;
		for (const response of [await browser.get(forged), await browser.post(forged, {})]) {
			expect(response.status).toBe(400);
			const html = await response.text();
			expect(html).toContain('This sign-in link is not valid');
			expect(html).toContain('href="/signin"');
		}
		const token = newSecret();
		const hourAgo = new Date(Date.now() - 3_600_000);
		await insertLoginLink(database().store.db, {
			tokenHash: hashSecret(token),
			email: 'late@example.org',
			nextPath: null,
			now: hourAgo.toISOString(),
			expiresAt: new Date(hourAgo.getTime() + 15 * 60_000).toISOString()
		});
		const expired = `/signin/link?token=${token}`;
		for (const response of [await browser.get(expired), await browser.post(expired, { token })]) {
			expect(response.status).toBe(400);
			expect(await response.text()).toContain('This sign-in link has expired');
			expect(setCookie(response, 'dp_session')).toBeUndefined();
		}
	});

	it('refuses a banned member with a clear page and no session', async () => {
		const browser = client(() => server);
		const refused = await signIn(browser, 'dave@example.org');
		expect(refused.status).toBe(403);
		expect(await refused.text()).toContain('This account is banned.');
		expect(setCookie(refused, 'dp_session')).toBeUndefined();
	});

	it('keeps a malformed address in the form with the reason, and mails nothing', async () => {
		const browser = client(() => server);
		const since = inbox.messages.length;
		const response = await browser.post('/signin', { email: 'not an address<b>' });
		expect(response.status).toBe(400);
		const html = await response.text();
		expect(html).toContain('Enter a valid e-mail address');
		expect(html).toContain('value="not an address&lt;b>"');
		expect(inbox.messages.slice(since)).toEqual([]);
	});
});

describe('signing in without SMTP, on an https site', () => {
	let server: RunningServer;

	beforeAll(async () => {
		server = await startAppServer([], {
			env: { DP_PUBLIC_URL: 'https://papers.example.test', DP_LOG_LEVEL: 'info' }
		});
	});

	afterAll(async () => {
		await server?.stop();
	});

	it('prints the link to the server log, says so, and sets Secure cookies', async () => {
		const browser = client(() => server, 'https://papers.example.test');
		const asked = await browser.post('/signin', { email: 'dev@example.org' });
		expect(asked.status).toBe(303);
		expect(setCookie(asked, 'dp_signin_sent_to')).toMatch(/; Secure/i);
		const sent = await (await browser.get('/signin/sent')).text();
		expect(sent).toContain('Development mode');
		expect(sent.replace(/\s+/g, ' ')).toContain('the link was printed to the server log');

		let logged: string | undefined;
		for (let i = 0; i < 50 && !logged; i++) {
			logged = server.outputLines().find((line) => line.includes('mail not sent'));
			if (!logged) await new Promise((r) => setTimeout(r, 50));
		}
		const line = JSON.parse(logged ?? '{}') as { text?: string; mailTo?: string };
		expect(line.mailTo).toBe('dev@example.org');
		const match = /https:\/\/papers\.example\.test(\/signin\/link\?token=[A-Za-z0-9_-]+)/.exec(
			line.text ?? ''
		);
		expect(match).not.toBeNull();
		const path = match?.[1] ?? '';
		const confirmed = await browser.post(path, {
			token: new URL(path, server.url).searchParams.get('token') ?? ''
		});
		expect(confirmed.status).toBe(303);
		const cookie = setCookie(confirmed, 'dp_session') ?? '';
		expect(cookie).toMatch(/; Secure/i);
		expect(cookie).toMatch(/; HttpOnly/i);
		expect(cookie).toMatch(/; SameSite=Lax/i);
	});
});
