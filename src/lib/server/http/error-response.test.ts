import { isHttpError, type RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import {
	BadRequestError,
	ConflictError,
	ForbiddenError,
	NotFoundError,
	ServiceUnavailableError,
	TooManyRequestsError,
	UnauthorizedError
} from '../errors';
import { SearchRequestError } from '../search/search.service';
import {
	apiEndpoint,
	asApiError,
	formAction,
	httpMeaningOf,
	isApiPath,
	namesDefaultAction,
	pageLoad,
	throwAsPageError,
	toApiErrorResponse,
	withMeaningStatus
} from './error-response';

describe('httpMeaningOf', () => {
	it.each([
		[new BadRequestError('bad'), 400],
		[new SearchRequestError('too deep'), 400],
		[new UnauthorizedError(), 401],
		[new ForbiddenError(), 403],
		[new NotFoundError('gone'), 404],
		[new ConflictError('taken'), 409],
		[new TooManyRequestsError('slow down', 30), 429]
	])('maps %s to status %i', (error, status) => {
		expect(httpMeaningOf(error)?.status).toBe(status);
		expect(httpMeaningOf(error)?.message).toBe(error.message);
	});

	it('gives a 429 a Retry-After in whole seconds', () => {
		expect(httpMeaningOf(new TooManyRequestsError('slow down', 2.2))?.headers).toEqual({
			'retry-after': '3'
		});
	});

	it('gives a 503 (the database is away) a Retry-After too', () => {
		const meaning = httpMeaningOf(new ServiceUnavailableError('The database is away.', 5));
		expect(meaning).toEqual({
			status: 503,
			message: 'The database is away.',
			headers: { 'retry-after': '5' }
		});
	});

	it('leaves errors without an HTTP meaning to the 500 path', () => {
		expect(httpMeaningOf(new Error('bug'))).toBeNull();
		expect(httpMeaningOf('a string')).toBeNull();
		expect(toApiErrorResponse(new TypeError('bug'))).toBeNull();
	});
});

describe('toApiErrorResponse', () => {
	it('answers the API error body with the status and Retry-After', async () => {
		const response = toApiErrorResponse(new TooManyRequestsError('Too many searches.', 60))!;
		expect(response.status).toBe(429);
		expect(response.headers.get('retry-after')).toBe('60');
		expect(await response.json()).toEqual({ error: 'Too many searches.' });
	});
});

describe('withMeaningStatus', () => {
	it("re-sends a 500 that a typed error caused with that error's status and headers", async () => {
		const page = new Response('<h1>error page</h1>', {
			status: 500,
			headers: { 'content-type': 'text/html' }
		});
		const meaning = httpMeaningOf(new ServiceUnavailableError('away', 5))!;
		const response = withMeaningStatus(page, meaning);
		expect(response.status).toBe(503);
		expect(response.headers.get('retry-after')).toBe('5');
		expect(response.headers.get('content-type')).toBe('text/html');
		expect(await response.text()).toBe('<h1>error page</h1>');
	});

	it('leaves responses without a typed error, or that are not 500s, as they are', () => {
		const ok = new Response('fine');
		expect(withMeaningStatus(ok, undefined)).toBe(ok);
		const meaning = httpMeaningOf(new ServiceUnavailableError('away', 5))!;
		expect(withMeaningStatus(ok, meaning)).toBe(ok);
	});
});

describe('throwAsPageError', () => {
	it('turns a typed error into a SvelteKit page error with its status and message', () => {
		expect.assertions(3);
		let headers: Record<string, string> = {};
		try {
			throwAsPageError(new TooManyRequestsError('Wait a minute.', 60), (h) => (headers = h));
		} catch (thrown) {
			expect(isHttpError(thrown, 429)).toBe(true);
			expect(isHttpError(thrown) && thrown.body.message).toBe('Wait a minute.');
		}
		expect(headers).toEqual({ 'retry-after': '60' });
	});

	it('rethrows any other error unchanged', () => {
		const bug = new Error('bug');
		expect(() => throwAsPageError(bug)).toThrow(bug);
	});
});

describe('apiEndpoint and pageLoad', () => {
	const event = { setHeaders: () => {} } as unknown as RequestEvent;

	it('lets an endpoint throw a typed error and answers JSON', async () => {
		const handler = apiEndpoint(async () => {
			throw new NotFoundError('No paper 2406.99999 here');
		});
		const response = await handler(event);
		expect(response.status).toBe(404);
		expect(await response.json()).toEqual({ error: 'No paper 2406.99999 here' });
	});

	it('lets a load throw a typed error and raises the page error', async () => {
		const load = pageLoad(async () => {
			throw new ForbiddenError('Only a moderator may do this.');
		});
		await expect(load(event)).rejects.toSatisfy((thrown) => isHttpError(thrown, 403));
	});

	it('passes results and unexpected errors through', async () => {
		expect(await pageLoad(async () => ({ ok: true }))(event)).toEqual({ ok: true });
		const bug = new Error('bug');
		await expect(
			apiEndpoint(async () => {
				throw bug;
			})(event)
		).rejects.toBe(bug);
	});
});

describe('asApiError', () => {
	it('rewrites a plain-text 405 as JSON, keeping the Allow header', async () => {
		const response = await asApiError(
			new Response('POST method not allowed', {
				status: 405,
				headers: { allow: 'GET', 'content-type': 'text/plain' }
			}),
			'POST'
		);
		expect(response.status).toBe(405);
		expect(response.headers.get('allow')).toBe('GET');
		expect(await response.json()).toEqual({ error: 'POST is not allowed here; use GET.' });
	});

	it("rewrites SvelteKit's { message } and HTML 500s, naming the error id", async () => {
		for (const original of [
			Response.json({ message: 'Internal Error', errorId: 'e1' }, { status: 500 }),
			new Response('<html>', { status: 500, headers: { 'content-type': 'text/html' } })
		]) {
			const response = await asApiError(original, 'GET', 'e1');
			expect(response.status).toBe(500);
			expect(await response.json()).toEqual({
				error: 'Something went wrong on our side (error id e1).'
			});
		}
	});

	it('keeps API errors and successes as they are', async () => {
		const error = Response.json({ error: 'limit must be …' }, { status: 400 });
		expect(await asApiError(error, 'GET')).toBe(error);
		const ok = new Response('<html>', { status: 200 });
		expect(await asApiError(ok, 'GET')).toBe(ok);
	});

	it('knows which paths are the API', () => {
		expect(isApiPath('/api')).toBe(true);
		expect(isApiPath('/api/daily_papers')).toBe(true);
		expect(isApiPath('/apis')).toBe(false);
		expect(isApiPath('/papers/2406.00001')).toBe(false);
	});
});

describe('formAction', () => {
	const event = () => {
		const headers: Record<string, string> = {};
		return { headers, setHeaders: (h: Record<string, string>) => Object.assign(headers, h) };
	};

	it('turns a typed error into a failure naming the form, with its status and headers', async () => {
		const limited = event();
		const failure = await formAction('createToken', () => {
			throw new TooManyRequestsError('Too many new API tokens; try again in 5 minutes.', 300);
		})(limited);
		expect(failure).toMatchObject({
			status: 429,
			data: { action: 'createToken', error: 'Too many new API tokens; try again in 5 minutes.' }
		});
		expect(limited.headers).toEqual({ 'retry-after': '300' });
	});

	it('passes results and other errors through', async () => {
		expect(await formAction('x', () => ({ ok: 1 }))(event())).toEqual({ ok: 1 });
		await expect(
			formAction('x', () => {
				throw new Error('bug');
			})(event())
		).rejects.toThrow('bug');
	});
});

describe('namesDefaultAction', () => {
	it('spots a POST naming the reserved action "default", and nothing else', () => {
		expect(namesDefaultAction('POST', new URL('http://x/settings?/default'))).toBe(true);
		expect(namesDefaultAction('POST', new URL('http://x/settings?a=1&/default'))).toBe(true);
		expect(namesDefaultAction('POST', new URL('http://x/settings?/profile'))).toBe(false);
		expect(namesDefaultAction('GET', new URL('http://x/settings?/default'))).toBe(false);
	});
});
