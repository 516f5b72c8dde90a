/**
 * Compression of dynamic responses (HTML pages, JSON) in `handle`. adapter-node's
 * `precompress` covers only the static assets built ahead of time, and a middleware
 * such as `compression` would need a custom server entry in place of adapter-node's
 * own; node:zlib is enough, and its async calls run on libuv's thread pool, so a
 * large page does not hold up other requests while it compresses.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/** Bodies smaller than this go out as they are: the headers and CPU would cost more than they save. */
export const COMPRESS_MIN_BYTES = 1024;

/** Text a browser or API client reads whole; images, fonts and archives are compressed already. */
const COMPRESSIBLE_TYPE =
	/^(text\/(html|plain|css|xml|csv)|application\/(json|xml|atom\+xml|rss\+xml|javascript)|image\/svg\+xml)\b/i;

export type ContentEncoding = 'br' | 'gzip';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * The encoding to answer with for an `Accept-Encoding` header: brotli before gzip
 * when both are equally welcome, neither when refused with `q=0`, e.g.
 * `preferredEncoding('gzip, deflate, br')` → `'br'`, `preferredEncoding('br;q=0, gzip')` → `'gzip'`.
 */
export function preferredEncoding(acceptEncoding: string | null): ContentEncoding | null {
	if (!acceptEncoding) return null;
	const weights = new Map<string, number>();
	for (const part of acceptEncoding.split(',')) {
		const [rawName, ...params] = part.toLowerCase().split(';');
		const name = rawName.trim();
		if (!name) continue;
		const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p)).find(Boolean);
		const weight = q ? Number(q[1]) : 1;
		weights.set(name, Number.isFinite(weight) ? weight : 0);
	}
	const weightOf = (name: ContentEncoding) => weights.get(name) ?? weights.get('*') ?? 0;
	const [best] = (['br', 'gzip'] as const)
		.filter((name) => weightOf(name) > 0)
		.sort((a, b) => weightOf(b) - weightOf(a));
	return best ?? null;
}

/**
 * The response compressed with the encoding the client prefers, when its body is
 * text of at least {@link COMPRESS_MIN_BYTES}; otherwise the response as it is. Every
 * compressible response says `Vary: Accept-Encoding`, so caches keep the variants apart.
 */
export async function compressResponse(request: Request, response: Response): Promise<Response> {
	const type = response.headers.get('content-type') ?? '';
	if (
		!response.body ||
		request.method === 'HEAD' ||
		response.status === 204 ||
		response.status === 206 ||
		response.status === 304 ||
		response.headers.has('content-encoding') ||
		/\bno-transform\b/i.test(response.headers.get('cache-control') ?? '') ||
		!COMPRESSIBLE_TYPE.test(type)
	) {
		return response;
	}
	response.headers.append('vary', 'Accept-Encoding');
	const encoding = preferredEncoding(request.headers.get('accept-encoding'));
	const length = Number(response.headers.get('content-length') ?? NaN);
	if (!encoding || length < COMPRESS_MIN_BYTES) return response;
	// Pages and JSON are rendered whole in memory before they are sent, so reading the body costs no latency.
	const body = Buffer.from(await response.arrayBuffer());
	const headers = new Headers(response.headers);
	if (body.length < COMPRESS_MIN_BYTES) {
		return new Response(body, {
			status: response.status,
			statusText: response.statusText,
			headers
		});
	}
	const compressed =
		encoding === 'br'
			? await brotli(body, {
					// Quality 4 of 11: near gzip's speed with a smaller result; 11 takes tens of ms per page.
					params: {
						[zlib.constants.BROTLI_PARAM_QUALITY]: 4,
						[zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length
					}
				})
			: await gzip(body, { level: 6 });
	headers.set('content-encoding', encoding);
	// Each encoding is its own representation, so a strong ETag must tell them apart.
	const etag = headers.get('etag');
	if (etag?.endsWith('"')) headers.set('etag', `${etag.slice(0, -1)}-${encoding}"`);
	headers.set('content-length', String(compressed.length));
	return new Response(compressed, {
		status: response.status,
		statusText: response.statusText,
		headers
	});
}
