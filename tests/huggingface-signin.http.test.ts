/**
 * "Sign in with Hugging Face" end to end over real HTTP: the built app, and a
 * real OpenID Connect provider (oidc-provider) standing in for Hugging Face —
 * discovery, PKCE, the code exchange and the ID token are the real protocol.
 * The test plays the browser with a cookie jar per site.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cookies } from '@sveltejs/kit';
import { HuggingFaceSignIn } from '../src/lib/server/auth/huggingface-oidc';
import { resolveSession } from '../src/lib/server/auth/session.service';
import { ServiceUnavailableError } from '../src/lib/server/errors';
import { findMemberByIdentity } from '../src/lib/server/members/member.repository';
import { freePort, startAppServer, type RunningServer } from '$support/app-server';
import { describeEachDialect } from '$support/databases';
import {
	browse,
	CookieJar,
	signInAtProvider,
	startTestProvider,
	type TestProvider
} from '$support/oidc-test-provider';

const CALLBACK = '/signin/huggingface/callback';
const FLOW_COOKIE = 'dp_hf_signin';
const SESSION_COOKIE = 'dp_session';

const ACCOUNTS = {
	ada: {
		email: 'ada@example.org',
		email_verified: true,
		preferred_username: 'ada-hf',
		name: 'Ada Lovelace'
	},
	grace: { email: 'grace@example.org', email_verified: true, preferred_username: 'grace' },
	unverified: { email: 'nobody@example.org', email_verified: false, preferred_username: 'nobody' }
};

describeEachDialect('sign in with Hugging Face', (get) => {
	let provider: TestProvider;
	let app: RunningServer;
	let appUrl: string;

	beforeAll(async () => {
		const port = await freePort();
		appUrl = `http://127.0.0.1:${port}`;
		provider = await startTestProvider(`${appUrl}${CALLBACK}`, ACCOUNTS);
		app = await startAppServer([], {
			port,
			database: get().env,
			env: {
				DP_PUBLIC_URL: appUrl,
				DP_HF_OAUTH_CLIENT_ID: provider.clientId,
				DP_HF_OAUTH_CLIENT_SECRET: provider.clientSecret,
				DP_HF_OAUTH_ISSUER: provider.issuer
			}
		});
	}, 60_000);

	afterAll(async () => {
		await app?.stop();
		await provider?.close();
	});

	/** Starts a sign-in at the app and follows it through the provider, up to (not into) the callback. */
	async function reachCallback(
		accountId: string,
		options: { next?: string; providerJar?: CookieJar; decline?: boolean } = {}
	) {
		const appJar = new CookieJar();
		const query = options.next ? `?next=${encodeURIComponent(options.next)}` : '';
		const start = await browse(`${appUrl}/signin/huggingface${query}`, appJar);
		await start.arrayBuffer();
		expect(start.status).toBe(303);
		const authorizationUrl = start.headers.get('location') ?? '';
		const callbackUrl = await signInAtProvider(
			authorizationUrl,
			options.providerJar ?? new CookieJar(),
			{ accountId, decline: options.decline, callbackPrefix: `${appUrl}${CALLBACK}` }
		);
		return { appJar, start, authorizationUrl, callbackUrl };
	}

	it('makes and links a member on a first sign-in, starts a session and returns to next', async () => {
		const { appJar, start, authorizationUrl, callbackUrl } = await reachCallback('ada', {
			next: '/papers/2406.00001?p=1'
		});
		const request = new URL(authorizationUrl);
		expect(request.origin).toBe(provider.issuer);
		expect(Object.fromEntries(request.searchParams)).toMatchObject({
			client_id: provider.clientId,
			redirect_uri: `${appUrl}${CALLBACK}`,
			response_type: 'code',
			scope: 'openid profile email',
			code_challenge_method: 'S256'
		});
		for (const name of ['state', 'nonce', 'code_challenge']) {
			expect(request.searchParams.get(name)?.length).toBeGreaterThanOrEqual(22);
		}
		const flowCookie = start.headers.getSetCookie().find((c) => c.startsWith(`${FLOW_COOKIE}=`));
		expect(flowCookie).toMatch(/HttpOnly/i);
		expect(flowCookie).toMatch(/SameSite=Lax/i);
		expect(flowCookie).toMatch(/Max-Age=600/i);
		expect(flowCookie).toMatch(/Path=\/signin\/huggingface/i);
		expect(flowCookie).not.toMatch(/Secure/i);

		const back = await browse(callbackUrl, appJar);
		await back.arrayBuffer();
		expect(back.status).toBe(303);
		expect(back.headers.get('location')).toBe('/papers/2406.00001?p=1');
		const sessionCookie = back.headers
			.getSetCookie()
			.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
		expect(sessionCookie).toMatch(/HttpOnly/i);
		expect(sessionCookie).toMatch(/SameSite=Lax/i);
		expect(appJar.get(FLOW_COOKIE)).toBeUndefined();

		const { db } = get().store;
		const member = await findMemberByIdentity(db, { provider: 'huggingface', subject: 'ada' });
		expect(member).toMatchObject({
			username: 'ada-hf',
			displayName: 'Ada Lovelace',
			email: 'ada@example.org',
			role: 'member',
			status: 'active'
		});
		const session = await resolveSession(db, appJar.get(SESSION_COOKIE) ?? '');
		expect(session?.member.id).toBe(member?.id);
	});

	it('signs the same member in again on a second sign-in', async () => {
		const providerJar = new CookieJar();
		const first = await reachCallback('grace', { providerJar });
		await (await browse(first.callbackUrl, first.appJar)).arrayBuffer();
		// A second browser at the app; the provider remembers grace and asks nothing this time.
		const second = await reachCallback('grace', { providerJar });
		const back = await browse(second.callbackUrl, second.appJar);
		await back.arrayBuffer();
		expect(back.status).toBe(303);
		expect(back.headers.get('location')).toBe('/');

		const { db } = get().store;
		const one = await resolveSession(db, first.appJar.get(SESSION_COOKIE) ?? '');
		const two = await resolveSession(db, second.appJar.get(SESSION_COOKIE) ?? '');
		expect(one?.member.username).toBe('grace');
		expect(two?.member.id).toBe(one?.member.id);
		const rows = await db
			.selectFrom('members')
			.select('id')
			.where('email', '=', 'grace@example.org')
			.execute();
		expect(rows).toHaveLength(1);
	});

	it('shows a clear page and starts no session when the reader declines consent', async () => {
		const { appJar, callbackUrl } = await reachCallback('ada', { decline: true });
		expect(new URL(callbackUrl).searchParams.get('error')).toBe('access_denied');
		const back = await browse(callbackUrl, appJar);
		expect(back.status).toBe(403);
		expect(back.headers.get('content-type')).toMatch(/text\/html/);
		expect(await back.text()).toContain(
			'You did not allow Daily Papers to use your Hugging Face account, so you are not signed in.'
		);
		expect(appJar.get(SESSION_COOKIE)).toBeUndefined();
		expect(appJar.get(FLOW_COOKIE)).toBeUndefined();
	});

	it('refuses a callback whose state was tampered with', async () => {
		const { appJar, callbackUrl } = await reachCallback('ada');
		const tampered = new URL(callbackUrl);
		tampered.searchParams.set('state', `${tampered.searchParams.get('state')}x`);
		const back = await browse(tampered.href, appJar);
		expect(back.status).toBe(400);
		expect(await back.text()).toContain(
			'This answer from Hugging Face does not belong to the sign-in started in this browser'
		);
		expect(appJar.get(SESSION_COOKIE)).toBeUndefined();
	});

	it('refuses a replayed callback, with or without the flow cookie', async () => {
		const { appJar, callbackUrl } = await reachCallback('ada');
		const flowCookie = appJar.get(FLOW_COOKIE) ?? '';
		expect(flowCookie).not.toBe('');
		expect((await browse(callbackUrl, appJar)).status).toBe(303);

		// The same browser: its flow cookie was used up by the first callback.
		const again = await browse(callbackUrl, appJar);
		expect(again.status).toBe(400);
		expect(await again.text()).toContain('was not started in this browser');

		// A copy of the cookie (a stolen one): the provider refuses the used code.
		const thief = new CookieJar();
		thief.set(FLOW_COOKIE, flowCookie);
		const replay = await browse(callbackUrl, thief);
		expect(replay.status).toBe(400);
		expect(await replay.text()).toContain('it was already used, or it expired');
		expect(thief.get(SESSION_COOKIE)).toBeUndefined();
	});

	it('refuses an account without a verified e-mail address, and makes no member', async () => {
		const { appJar, callbackUrl } = await reachCallback('unverified');
		const back = await browse(callbackUrl, appJar);
		expect(back.status).toBe(403);
		expect(await back.text()).toContain('has no verified e-mail address');
		expect(appJar.get(SESSION_COOKIE)).toBeUndefined();
		const { db } = get().store;
		expect(
			await findMemberByIdentity(db, { provider: 'huggingface', subject: 'unverified' })
		).toBeUndefined();
	});

	it('returns to the front page when next names another site', async () => {
		const { appJar, callbackUrl } = await reachCallback('ada', { next: '//evil.example/x' });
		const back = await browse(callbackUrl, appJar);
		await back.arrayBuffer();
		expect(back.status).toBe(303);
		expect(back.headers.get('location')).toBe('/');
	});

	it('answers hostile parameters with a 3xx or 4xx, never a 5xx, and keeps next on this site', async () => {
		const hostile = [
			'',
			'%00',
			'%E2%80%AE',
			'%3Cscript%3Ealert(1)%3C%2Fscript%3E',
			'a'.repeat(5000),
			'%2F%2Fevil.example',
			'https%3A%2F%2Fevil.example',
			'%2F%5Cevil.example',
			'javascript%3Aalert(1)',
			'%ZZ'
		];
		const jar = new CookieJar();
		const start = await browse(`${appUrl}/signin/huggingface`, jar);
		await start.arrayBuffer();
		const problems: string[] = [];
		for (const value of hostile) {
			const paths = [
				`/signin/huggingface?next=${value}`,
				...['code', 'state', 'error', 'iss', 'error_description'].map(
					(name) => `${CALLBACK}?code=c&state=s&${name}=${value}`
				)
			];
			for (const path of paths) {
				// With this browser's flow cookie, which the first callback uses up, and without.
				const response = await browse(`${appUrl}${path}`, jar);
				const body = await response.text();
				const location = response.headers.get('location') ?? '';
				if (response.status >= 500) problems.push(`${response.status} ${path.slice(0, 80)}`);
				// %ZZ is refused by SvelteKit itself (400: a malformed address).
				if (path.startsWith('/signin/huggingface?') && response.status !== 400) {
					const redirectUri = new URL(location).searchParams.get('redirect_uri');
					if (redirectUri !== `${appUrl}${CALLBACK}`) problems.push(`redirect_uri ${redirectUri}`);
					const flow = JSON.parse(
						Buffer.from(jar.get(FLOW_COOKIE) ?? '', 'base64url').toString() || '{}'
					) as { next?: string };
					if (flow.next !== '/') problems.push(`next ${flow.next} for ${value.slice(0, 40)}`);
				}
				if (body.includes('<script>alert')) problems.push(`unescaped ${path.slice(0, 80)}`);
			}
		}
		expect(problems).toEqual([]);
	});

	it('refuses a callback that arrives with no sign-in started', async () => {
		const back = await browse(`${appUrl}${CALLBACK}?code=forged&state=forged`, new CookieJar());
		expect(back.status).toBe(400);
		expect(await back.text()).toContain('was not started in this browser');
	});
});

describe('sign in with Hugging Face, when not offered or unreachable', () => {
	let unset: RunningServer;
	let unreachable: RunningServer;

	beforeAll(async () => {
		const closedPort = await freePort();
		[unset, unreachable] = await Promise.all([
			startAppServer(),
			startAppServer([], {
				env: {
					DP_HF_OAUTH_CLIENT_ID: 'id',
					DP_HF_OAUTH_CLIENT_SECRET: 'secret',
					DP_HF_OAUTH_ISSUER: `http://127.0.0.1:${closedPort}`
				}
			})
		]);
	}, 60_000);

	afterAll(async () => {
		await Promise.all([unset?.stop(), unreachable?.stop()]);
	});

	it('answers 404 with a sentence on both routes when no client is configured', async () => {
		for (const path of ['/signin/huggingface?next=/', `${CALLBACK}?code=a&state=b`]) {
			const response = await fetch(`${unset.url}${path}`, { redirect: 'manual' });
			expect(response.status).toBe(404);
			expect(await response.text()).toContain(
				'Signing in with Hugging Face is not offered on this site'
			);
		}
	});

	it('answers 503 with Retry-After when the provider cannot be reached', async () => {
		const response = await fetch(`${unreachable.url}/signin/huggingface`, { redirect: 'manual' });
		expect(response.status).toBe(503);
		expect(response.headers.get('retry-after')).toBe('30');
		expect(await response.text()).toContain('sign-in service (http://127.0.0.1:');
		expect(response.headers.getSetCookie().join()).not.toContain(FLOW_COOKIE);
	});
});

/** The cookie calls `begin` makes, recorded (SvelteKit's Cookies, as far as the module uses it). */
function recordingCookies() {
	const set: { name: string; options: Record<string, unknown> }[] = [];
	const cookies = {
		get: () => undefined,
		getAll: () => [],
		set: (name: string, _value: string, options: Record<string, unknown>) =>
			set.push({ name, options }),
		delete: () => undefined,
		serialize: () => ''
	} as unknown as Cookies;
	return { cookies, set };
}

describe('the Hugging Face client in process', () => {
	const publicUrl = 'https://papers.example.org';
	const settings = { clientId: 'daily-papers-test', clientSecret: 'unused' };

	it('discovers the provider once, on the first sign-in, and marks the flow cookie Secure on https', async () => {
		const provider = await startTestProvider(`${publicUrl}${CALLBACK}`, {});
		try {
			const signIn = new HuggingFaceSignIn({ ...settings, issuer: provider.issuer }, publicUrl);
			expect(provider.requestPaths).toEqual([]);
			const first = recordingCookies();
			const url = await signIn.begin(first.cookies, '/papers/1');
			await signIn.begin(recordingCookies().cookies, null);
			expect(url.searchParams.get('redirect_uri')).toBe(`${publicUrl}${CALLBACK}`);
			expect(
				provider.requestPaths.filter((path) => path.includes('.well-known/openid-configuration'))
			).toHaveLength(1);
			expect(first.set).toEqual([
				{
					name: FLOW_COOKIE,
					options: expect.objectContaining({
						secure: true,
						httpOnly: true,
						sameSite: 'lax',
						maxAge: 600,
						path: '/signin/huggingface'
					})
				}
			]);
		} finally {
			await provider.close();
		}
	});

	it('does not keep a failed discovery: the next sign-in tries again', async () => {
		const port = await freePort();
		const issuer = `http://127.0.0.1:${port}`;
		const signIn = new HuggingFaceSignIn({ ...settings, issuer }, publicUrl);
		const failed = recordingCookies();
		await expect(signIn.begin(failed.cookies, null)).rejects.toThrow(ServiceUnavailableError);
		expect(failed.set).toEqual([]);
		const provider = await startTestProvider(`${publicUrl}${CALLBACK}`, {}, { port });
		try {
			const url = await signIn.begin(recordingCookies().cookies, null);
			expect(url.origin).toBe(issuer);
		} finally {
			await provider.close();
		}
	});
});
