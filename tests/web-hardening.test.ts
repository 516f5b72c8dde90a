/**
 * The built site against what clients get wrong or try on purpose, over real HTTP:
 * periods outside the feed's years, client errors kept out of the error log, and
 * the security headers and compression of every page.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type RunningServer } from './support/app-server';
import { writeFeedFixture } from './support/feed-fixture';

interface RawAnswer {
	status: number;
	headers: http.IncomingHttpHeaders;
	/** The bytes as sent, still compressed when the server compressed them. */
	body: Buffer;
}

/** One request with node:http, which (unlike fetch) neither asks for nor undoes compression by itself. */
function rawRequest(
	url: string,
	options: { method?: string; headers?: Record<string, string>; body?: string } = {}
): Promise<RawAnswer> {
	return new Promise((resolve, reject) => {
		const request = http.request(
			url,
			{ method: options.method ?? 'GET', headers: options.headers ?? {} },
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () =>
					resolve({
						status: response.statusCode ?? 0,
						headers: response.headers,
						body: Buffer.concat(chunks)
					})
				);
				response.on('error', reject);
			}
		);
		request.on('error', reject);
		request.end(options.body);
	});
}

/** A body as text, decompressed by its Content-Encoding. */
function decoded(answer: RawAnswer): string {
	const encoding = answer.headers['content-encoding'];
	if (encoding === 'br') return zlib.brotliDecompressSync(answer.body).toString('utf8');
	if (encoding === 'gzip') return zlib.gunzipSync(answer.body).toString('utf8');
	return answer.body.toString('utf8');
}

/** The feed links (`/papers?date=…`, `?week=…`, `?month=…`) a page hands out. */
function feedLinks(html: string): string[] {
	return [...html.matchAll(/href="(\/papers\?(?:date|week|month)=[^"&]*)[^"]*"/g)].map((m) => m[1]);
}

describe('the built site against hostile and mistaken requests', () => {
	let server: RunningServer;

	beforeAll(async () => {
		server = await startAppServer([writeFeedFixture()], { env: { DP_LOG_LEVEL: 'info' } });
	});

	afterAll(async () => {
		await server?.stop();
	});

	const get = (path: string, headers: Record<string, string> = {}) =>
		rawRequest(`${server.url}${path}`, { headers });

	describe('periods at the edges of the calendar', () => {
		it.each([
			['/papers?month=9999-12'],
			['/papers?date=9999-12-31'],
			['/papers?week=9999-W51'],
			['/papers?month=1991-01'],
			['/papers?date=1991-01-01'],
			['/papers?week=1991-W01']
		])('shows %s and links only to periods a feed can show', async (path) => {
			const answer = await get(path);
			expect(answer.status).toBe(200);
			const links = feedLinks(decoded(answer));
			expect(links.length).toBeGreaterThan(0);
			for (const link of links) {
				const year = Number(/=(\d{4})-/.exec(link)?.[1]);
				expect(year, link).toBeGreaterThanOrEqual(1991);
				expect(year, link).toBeLessThanOrEqual(9999);
				expect((await get(link)).status, link).toBe(200);
			}
		});

		it('answers the data of the last month (its __data.json) without an error', async () => {
			const answer = await get('/papers/__data.json?month=9999-12');
			expect(answer.status).toBe(200);
			expect(decoded(answer)).not.toContain('"type":"error"');
		});

		it.each([
			['/papers?month=0000-01', '0000-01'],
			['/papers?month=0099-12', '0099-12'],
			['/papers?month=1990-12', '1990-12'],
			['/papers?week=0000-W01', '0000-W01'],
			['/papers?week=9999-W52', '9999-W52'],
			['/papers?date=1899-12-31', '1899-12-31']
		])('refuses %s with a 400 that says which years the feed covers', async (path, key) => {
			const answer = await get(path);
			expect(answer.status).toBe(400);
			expect(decoded(answer)).toContain(`The feed covers 1991 to 9999; ${key} is outside it.`);
		});

		it('refuses a day before 1991 in the API with a JSON 400', async () => {
			const answer = await get('/api/daily_papers?date=0001-01-01');
			expect(answer.status).toBe(400);
			expect(JSON.parse(decoded(answer))).toEqual({
				error: 'The feed covers 1991 to 9999; 0001-01-01 is outside it.'
			});
		});
	});

	describe('cross-site forms', () => {
		it('refuses a cross-site form with a 403 (JSON under /api) and lets a same-origin one reach the 405', async () => {
			const form = { 'content-type': 'application/x-www-form-urlencoded' };
			const crossPage = await rawRequest(`${server.url}/`, {
				method: 'POST',
				headers: { ...form, origin: 'https://evil.example' },
				body: 'x=1'
			});
			expect(crossPage.status).toBe(403);
			expect(decoded(crossPage)).toBe('Cross-site form submissions are refused.');

			const crossApi = await rawRequest(`${server.url}/api/daily_papers`, {
				method: 'POST',
				headers: { ...form, origin: 'https://evil.example' },
				body: 'x=1'
			});
			expect(crossApi.status).toBe(403);
			expect(crossApi.headers['content-type']).toContain('application/json');
			expect(JSON.parse(decoded(crossApi))).toEqual({
				error: 'Cross-site form submissions are refused.'
			});

			// The site's public origin (DP_PUBLIC_URL, by default http://localhost:<PORT>) is its own.
			const publicOrigin = `http://localhost:${new URL(server.url).port}`;
			const samePage = await rawRequest(`${server.url}/`, {
				method: 'POST',
				headers: { ...form, origin: publicOrigin },
				body: 'x=1'
			});
			expect(samePage.status).toBe(405);
		});
	});

	describe('client errors', () => {
		it('answers a malformed %-escape with a 400 page, a POST or PUT to a page with a 405 naming GET, and logs none as an error', async () => {
			// Each request names itself, so a late log line of an earlier test cannot count here.
			const ids = [
				'hardening-400',
				'hardening-405-json',
				'hardening-405-page',
				'hardening-405-put'
			];
			const malformed = await get('/papers/%FF', { 'x-request-id': ids[0] });
			expect(malformed.status).toBe(400);
			expect(decoded(malformed)).toContain('This address could not be read');

			const postJson = await rawRequest(`${server.url}/papers`, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					accept: 'application/json',
					'x-request-id': ids[1]
				},
				body: '{}'
			});
			expect(postJson.status).toBe(405);
			expect(postJson.headers.allow).toBe('GET');
			expect(decoded(postJson)).toContain('POST is not allowed here; use GET.');

			const postPage = await rawRequest(`${server.url}/`, {
				method: 'POST',
				headers: {
					'content-type': 'application/octet-stream',
					accept: 'text/html',
					'x-request-id': ids[2]
				},
				body: 'x'
			});
			expect(postPage.status).toBe(405);
			expect(postPage.headers.allow).toBe('GET');
			const page = decoded(postPage);
			expect(page).toContain('POST is not allowed here; use GET.');
			expect(page).not.toContain('Something went wrong');

			const put = await rawRequest(`${server.url}/papers`, {
				method: 'PUT',
				headers: { 'x-request-id': ids[3] }
			});
			expect(put.status).toBe(405);
			expect(put.headers.allow).toBe('GET, OPTIONS, HEAD');
			expect(decoded(put)).toBe('PUT is not allowed here; use GET, OPTIONS, HEAD.');

			// Log lines are written as the requests are answered; give the pipe a moment.
			await new Promise((resolve) => setTimeout(resolve, 200));
			const logged = server
				.outputLines()
				.filter((line) => line.startsWith('{'))
				.map(
					(line) =>
						JSON.parse(line) as { level: number; msg: string; status?: number; requestId?: string }
				)
				.filter((entry) => entry.requestId !== undefined && ids.includes(entry.requestId));
			expect(logged.filter((entry) => entry.level >= 50)).toEqual([]);
			const clientErrors = logged.filter((entry) => entry.msg === 'client error');
			expect(clientErrors.map((entry) => [entry.level, entry.status])).toEqual([
				[30, 400],
				[30, 405],
				[30, 405]
			]);
			expect(JSON.stringify(clientErrors)).not.toMatch(/"stack"|"err"/);
		});
	});

	describe('security headers', () => {
		it.each([['/'], ['/papers?date=2024-06-03'], ['/papers/2406.00001'], ['/search?q=attention']])(
			'sends %s with a CSP that runs only its own scripts and forbids framing, and a Permissions-Policy',
			async (path) => {
				const answer = await get(path);
				expect(answer.status).toBe(200);
				const csp = String(answer.headers['content-security-policy']);
				expect(csp).toContain("default-src 'none'");
				expect(csp).toContain("frame-ancestors 'none'");
				expect(csp).toMatch(/script-src 'self'/);
				expect(csp).not.toMatch(/script-src[^;]*unsafe/);
				expect(answer.headers['x-frame-options']).toBe('DENY');
				expect(answer.headers['permissions-policy']).toContain('camera=()');
				// Pages without client JavaScript have no script at all; /search's carry the nonce.
				const html = decoded(answer);
				const scripts = html.match(/<script\b[^>]*>/g) ?? [];
				expect(scripts.length > 0).toBe(path.startsWith('/search'));
				const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];
				for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
			}
		);

		it('sends JSON and health answers with a CSP that allows nothing and no framing', async () => {
			for (const path of ['/api/daily_papers', '/healthz', '/api/nowhere']) {
				const answer = await get(path);
				expect(answer.headers['content-security-policy'], path).toBe(
					"default-src 'none'; frame-ancestors 'none'"
				);
				expect(answer.headers['x-frame-options'], path).toBe('DENY');
			}
		});
	});

	describe('compression', () => {
		const withoutNonces = (html: string) => html.replace(/nonce-?[="][^"']+["']/g, 'nonce');

		it.each([
			['gzip, deflate, br', 'br'],
			['gzip', 'gzip'],
			['br;q=0, gzip;q=0.5', 'gzip'],
			['*', 'br']
		])('compresses the feed page for Accept-Encoding %s with %s', async (accept, encoding) => {
			const plain = await get('/papers?month=2024-06');
			const compressed = await get('/papers?month=2024-06', { 'accept-encoding': accept });
			expect(plain.headers['content-encoding']).toBeUndefined();
			expect(compressed.headers['content-encoding']).toBe(encoding);
			expect(compressed.headers.vary).toMatch(/accept-encoding/i);
			expect(compressed.body.length).toBeLessThan(plain.body.length / 2);
			expect(Number(compressed.headers['content-length'])).toBe(compressed.body.length);
			expect(withoutNonces(decoded(compressed))).toBe(withoutNonces(decoded(plain)));
		});

		it('compresses JSON from the API and answers the same data', async () => {
			const plain = await get('/api/daily_papers?date=2024-06-03');
			const compressed = await get('/api/daily_papers?date=2024-06-03', {
				'accept-encoding': 'gzip, br'
			});
			expect(compressed.headers['content-encoding']).toBe('br');
			expect(JSON.parse(decoded(compressed))).toEqual(JSON.parse(decoded(plain)));
		});

		it('leaves small answers, refused encodings and HEAD requests uncompressed', async () => {
			const small = await get('/healthz', { 'accept-encoding': 'gzip, br' });
			expect(small.body.length).toBeLessThan(1024);
			expect(small.headers['content-encoding']).toBeUndefined();
			const refused = await get('/', { 'accept-encoding': 'identity, gzip;q=0' });
			expect(refused.headers['content-encoding']).toBeUndefined();
			const head = await rawRequest(`${server.url}/`, {
				method: 'HEAD',
				headers: { 'accept-encoding': 'gzip' }
			});
			expect(head.status).toBe(200);
			expect(head.headers['content-encoding']).toBeUndefined();
		});

		it('serves the built stylesheets precompressed', async () => {
			const html = decoded(await get('/'));
			const stylesheet = /href="\.?(\/_app\/immutable\/assets\/[^"]+\.css)"/.exec(html)?.[1];
			expect(stylesheet).toBeDefined();
			const compressed = await get(stylesheet!, { 'accept-encoding': 'br' });
			expect(compressed.status).toBe(200);
			expect(compressed.headers['content-encoding']).toBe('br');
		});

		it('gives a compressed page an ETag of its own encoding', async () => {
			const compressed = await get('/papers?month=2024-06', { 'accept-encoding': 'gzip' });
			expect(compressed.headers.etag).toMatch(/^"[^"]+-gzip"$/);
		});
	});
});
