/**
 * The built site over real HTTP: every `/api/*` failure is the API's JSON error,
 * messages are readable sentences, and every answer carries a request id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type RunningServer } from './support/app-server';
import { writeFeedFixture } from './support/feed-fixture';

let server: RunningServer;

beforeAll(async () => {
	server = await startAppServer([writeFeedFixture()]);
});

afterAll(async () => {
	await server?.stop();
});

const get = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);

async function expectApiError(response: Response, status: number): Promise<string> {
	expect(response.status).toBe(status);
	expect(response.headers.get('content-type')).toContain('application/json');
	const body = (await response.json()) as Record<string, unknown>;
	expect(Object.keys(body)).toEqual(['error']);
	expect(typeof body.error).toBe('string');
	return body.error as string;
}

describe('unknown API paths and methods', () => {
	it.each(['/api/nope', '/api/papers/2406.00001/nope/deeper', '/api', '/api/'])(
		'answers %s with a JSON 404, whatever the Accept header',
		async (path) => {
			for (const accept of ['text/html', 'application/json', '*/*']) {
				const message = await expectApiError(await get(path, { headers: { accept } }), 404);
				expect(message.length).toBeGreaterThan(0);
			}
		}
	);

	it('answers a method an endpoint lacks with a JSON 405 naming the allowed ones', async () => {
		const response = await get('/api/daily_papers', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}'
		});
		expect(response.headers.get('allow')).toContain('GET');
		expect(await expectApiError(response, 405)).toBe('POST is not allowed here; use GET, HEAD.');
	});

	it('keeps HTML 404 pages outside the API', async () => {
		const response = await get('/no-such-page');
		expect(response.status).toBe(404);
		expect(response.headers.get('content-type')).toContain('text/html');
	});
});

describe('validation messages', () => {
	it.each([
		['/api/daily_papers?limit=ten', 'limit must be a whole number from 1 to 100'],
		['/api/daily_papers?limit=101', 'limit must be a whole number from 1 to 100'],
		['/api/daily_papers?p=-1', 'p must be a whole number from 0 to 1000'],
		['/api/daily_papers?date=yesterday', 'date must be a calendar day written YYYY-MM-DD'],
		// huggingface_hub sends sort=publishedAt|trending, so sort is known; another name is not.
		['/api/daily_papers?sort=random', 'sort must be publishedAt or trending'],
		[
			'/api/daily_papers?order=random',
			'parameter "order" is not known here; use date, week, month, submitter, sort, limit, p'
		],
		['/api/papers/search', 'q is required: give the search text as q=…'],
		['/api/papers/search?q=x&limit=NaN', 'limit must be a whole number from 1 to 100'],
		['/api/papers/2406.00001/similar?limit=0', 'limit must be a whole number from 1 to 50']
	])('answers %s with the sentence "%s"', async (path, sentence) => {
		const message = await expectApiError(await get(path), 400);
		expect(message).toBe(sentence);
		expect(message).not.toMatch(/Invalid input|expected|received|NaN/);
		expect(message).not.toMatch(/^(\w+): \1\b/);
	});

	it('answers an offset past the last ranked result before searching', async () => {
		const message = await expectApiError(await get('/api/papers/search?q=paper&offset=1001'), 400);
		expect(message).toContain('results stop at 1000');
	});
});

describe('typed errors from services', () => {
	it('answers an unknown paper with a JSON 404 on the paper and similar endpoints', async () => {
		for (const path of ['/api/papers/2406.99999', '/api/papers/2406.99999/similar']) {
			expect(await expectApiError(await get(path), 404)).toContain('2406.99999');
		}
	});

	it('shows an unknown paper page as an HTML 404 with the service message', async () => {
		const response = await get('/papers/2406.99999');
		expect(response.status).toBe(404);
		expect(await response.text()).toContain('No paper 2406.99999 here');
	});

	it('shows a search past the last result as an HTML 400 page', async () => {
		const response = await get('/search?q=paper&p=60');
		expect(response.status).toBe(400);
		expect(await response.text()).toContain('Results stop at 1000');
	});
});

describe('request ids', () => {
	it('echoes a sane incoming x-request-id', async () => {
		const response = await get('/api/daily_papers', { headers: { 'x-request-id': 'trace-42' } });
		expect(response.headers.get('x-request-id')).toBe('trace-42');
	});

	it('makes a fresh id for requests without one or with a hostile one, pages and errors alike', async () => {
		const ids = new Set<string>();
		for (const [path, init] of [
			['/', undefined],
			['/api/nope', undefined],
			['/api/daily_papers', { headers: { 'x-request-id': 'bad id\twith spaces' } }]
		] as [string, RequestInit | undefined][]) {
			const id = (await get(path, init)).headers.get('x-request-id');
			expect(id, path).toMatch(/^[0-9a-f-]{36}$/);
			ids.add(id!);
		}
		expect(ids.size).toBe(3);
	});
});
