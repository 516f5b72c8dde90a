import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { COMPRESS_MIN_BYTES, compressResponse, preferredEncoding } from './compression';

describe('preferredEncoding', () => {
	it.each([
		[null, null],
		['', null],
		['identity', null],
		['gzip', 'gzip'],
		['gzip, deflate, br', 'br'],
		['br;q=0, gzip', 'gzip'],
		['gzip;q=1, br;q=0.5', 'gzip'],
		['*', 'br'],
		['*;q=0', null],
		['gzip;q=0, *', 'br'],
		['deflate', null],
		['GZIP ; Q=0.8', 'gzip']
	])('answers %j with %j', (header, expected) => {
		expect(preferredEncoding(header)).toBe(expected);
	});
});

describe('compressResponse', () => {
	const page = '<p>paper</p>'.repeat(500);
	const request = (acceptEncoding?: string, method = 'GET') =>
		new Request('http://localhost/', {
			method,
			headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}
		});
	const html = (body: string, headers: Record<string, string> = {}) =>
		new Response(body, { headers: { 'content-type': 'text/html', ...headers } });

	it('brotli-compresses a large page and says so', async () => {
		const answer = await compressResponse(request('gzip, br'), html(page, { etag: '"abc"' }));
		expect(answer.headers.get('content-encoding')).toBe('br');
		expect(answer.headers.get('vary')).toBe('Accept-Encoding');
		expect(answer.headers.get('etag')).toBe('"abc-br"');
		const bytes = Buffer.from(await answer.arrayBuffer());
		expect(Number(answer.headers.get('content-length'))).toBe(bytes.length);
		expect(zlib.brotliDecompressSync(bytes).toString()).toBe(page);
	});

	it('gzips JSON for a client that takes only gzip', async () => {
		const body = JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ id: i, title: 'x' })));
		const answer = await compressResponse(
			request('gzip'),
			new Response(body, { headers: { 'content-type': 'application/json' } })
		);
		expect(answer.headers.get('content-encoding')).toBe('gzip');
		expect(zlib.gunzipSync(Buffer.from(await answer.arrayBuffer())).toString()).toBe(body);
	});

	it('leaves alone small bodies, HEAD, no-transform, binary types and clients that ask for nothing', async () => {
		const small = 'x'.repeat(COMPRESS_MIN_BYTES - 1);
		const cases: [Request, Response][] = [
			[request('gzip'), html(small)],
			[request('gzip', 'HEAD'), html(page)],
			[request('gzip'), html(page, { 'cache-control': 'no-transform' })],
			[request('gzip'), new Response(page, { headers: { 'content-type': 'image/png' } })],
			[request(), html(page)],
			[request('gzip'), html(page, { 'content-encoding': 'br' })]
		];
		for (const [req, res] of cases) {
			const answer = await compressResponse(req, res);
			expect(answer.headers.get('content-encoding') ?? 'none').not.toBe('gzip');
		}
		const unchanged = await compressResponse(request('gzip'), html(small));
		expect(await unchanged.text()).toBe(small);
	});
});
