/**
 * A real OpenID Connect provider for tests (`oidc-provider`, the certified
 * server by openid-client's author), standing in for Hugging Face: one static
 * client, accounts given by the test, PKCE required, and its development
 * login and consent pages, which `signInAtProvider` drives with plain HTTP
 * requests and a cookie jar — nothing about the protocol is stubbed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** What the provider knows about a person (their OpenID claims, `sub` aside). */
export interface TestAccount {
	email?: string;
	email_verified?: boolean;
	preferred_username?: string;
	name?: string;
}

export interface TestProvider {
	issuer: string;
	clientId: string;
	clientSecret: string;
	/** The path of every request the provider received, in order. */
	requestPaths: string[];
	close(): Promise<void>;
}

/**
 * Starts the provider on 127.0.0.1 (on `port`, a free one by default), its one client
 * allowed to return to `redirectUri`.
 */
export async function startTestProvider(
	redirectUri: string,
	accounts: Record<string, TestAccount>,
	options: { port?: number } = {}
): Promise<TestProvider> {
	const server = http.createServer();
	const requestPaths: string[] = [];
	server.on('request', (request: http.IncomingMessage) =>
		requestPaths.push(new URL(request.url ?? '/', 'http://provider').pathname)
	);
	await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const issuer = `http://127.0.0.1:${port}`;
	const clientId = 'daily-papers-test';
	const clientSecret = 'a-test-secret-that-is-long-enough-for-hs256-0123456789';
	const provider = new Provider(issuer, {
		clients: [
			{
				client_id: clientId,
				client_secret: clientSecret,
				redirect_uris: [redirectUri],
				response_types: ['code'],
				grant_types: ['authorization_code'],
				token_endpoint_auth_method: 'client_secret_basic'
			}
		],
		async findAccount(_ctx, sub) {
			const account = accounts[sub];
			return account && { accountId: sub, claims: async () => ({ sub, ...account }) };
		},
		claims: {
			openid: ['sub'],
			profile: ['name', 'preferred_username'],
			email: ['email', 'email_verified']
		},
		features: { devInteractions: { enabled: true } },
		pkce: { required: () => true },
		cookies: { keys: ['test-cookie-signing-key'] },
		// Set, so the provider does not print a notice per default it falls back to.
		ttl: {
			AccessToken: 600,
			AuthorizationCode: 60,
			Grant: 3600,
			IdToken: 600,
			Interaction: 600,
			Session: 3600
		}
	});
	// Refusals (a used code, a bad request) are answers, not server errors; a server_error is a
	// fault in this setup, printed so that a failing test says why.
	provider.on('server_error', (_ctx, error) => console.error('oidc-provider server_error', error));
	server.on('request', provider.callback());
	return {
		issuer,
		clientId,
		clientSecret,
		requestPaths,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}

/** Cookies for one origin, as a browser would keep them (paths ignored: the tests do not need them). */
export class CookieJar {
	readonly #cookies = new Map<string, string>();

	/** Takes the Set-Cookie headers of a response; an expired cookie is removed. */
	take(response: Response): void {
		for (const line of response.headers.getSetCookie()) {
			const [pair, ...attributes] = line.split(';');
			const at = pair.indexOf('=');
			const name = pair.slice(0, at).trim();
			const value = pair.slice(at + 1).trim();
			const expired = attributes.some((attribute) => {
				const [key, val = ''] = attribute.trim().split('=');
				if (key.toLowerCase() === 'max-age') return Number(val) <= 0;
				if (key.toLowerCase() === 'expires') return new Date(val).getTime() <= Date.now();
				return false;
			});
			if (expired || value === '') this.#cookies.delete(name);
			else this.#cookies.set(name, value);
		}
	}

	get(name: string): string | undefined {
		return this.#cookies.get(name);
	}

	set(name: string, value: string): void {
		this.#cookies.set(name, value);
	}

	header(): string {
		return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
	}
}

/** A request as a browser sends it, redirects not followed; cookies read from and written to `jar`. */
export async function browse(
	url: string,
	jar: CookieJar,
	init: { method?: string; form?: Record<string, string> } = {}
): Promise<Response> {
	const headers: Record<string, string> = { cookie: jar.header() };
	let body: string | undefined;
	if (init.form) {
		headers['content-type'] = 'application/x-www-form-urlencoded';
		headers.origin = new URL(url).origin;
		body = new URLSearchParams(init.form).toString();
	}
	const response = await fetch(url, {
		method: init.method ?? (init.form ? 'POST' : 'GET'),
		headers,
		body,
		redirect: 'manual'
	});
	jar.take(response);
	return response;
}

/**
 * Follows the browser from the provider's authorization URL through its login
 * and consent pages (signing in as `accountId`, or declining when `decline`)
 * until it is sent back to `callbackPrefix`; returns that callback URL.
 */
export async function signInAtProvider(
	authorizationUrl: string,
	jar: CookieJar,
	options: { accountId: string; decline?: boolean; callbackPrefix: string }
): Promise<string> {
	let url = authorizationUrl;
	for (let step = 0; step < 20; step++) {
		if (url.startsWith(options.callbackPrefix)) return url;
		const response = await browse(url, jar);
		const location = response.headers.get('location');
		if (location) {
			await response.arrayBuffer();
			url = new URL(location, url).href;
			continue;
		}
		const page = await response.text();
		if (response.status !== 200) throw new Error(`provider answered ${response.status}: ${page}`);
		const prompt = /name="prompt" value="(login|consent)"/.exec(page)?.[1];
		if (!prompt) throw new Error(`no login or consent form at ${url}:\n${page.slice(0, 2000)}`);
		const answer =
			options.decline && prompt === 'consent'
				? await browse(`${url}/abort`, jar)
				: await browse(url, jar, {
						form:
							prompt === 'login'
								? { prompt, login: options.accountId, password: 'any' }
								: { prompt }
					});
		const next = answer.headers.get('location');
		await answer.arrayBuffer();
		if (!next) throw new Error(`the provider's ${prompt} page did not redirect (${answer.status})`);
		url = new URL(next, url).href;
	}
	throw new Error('the provider never sent the browser back');
}
