/**
 * The one mapper from typed errors (`errors.ts`) to HTTP: a JSON body for the API,
 * a SvelteKit page error for pages. SvelteKit's `handleError` cannot change a
 * status (anything it sees is a 500), so endpoints and loads that may meet a
 * typed error are wrapped once, with `apiEndpoint` or `pageLoad`, instead of each
 * route catching by hand.
 */
import {
	error as pageError,
	fail,
	json,
	type ActionFailure,
	type RequestEvent
} from '@sveltejs/kit';
import { HttpMeaningError, RetryLaterError } from '../errors';

/** What a typed error means over HTTP. */
export interface HttpErrorMeaning {
	status: number;
	message: string;
	headers: Record<string, string>;
}

/** The status, message and headers a typed error stands for; null for any other error (a bug: 500). */
export function httpMeaningOf(caught: unknown): HttpErrorMeaning | null {
	if (!(caught instanceof HttpMeaningError)) return null;
	const headers: Record<string, string> =
		caught instanceof RetryLaterError ? { 'retry-after': String(caught.retryAfterSeconds) } : {};
	return { status: caught.status, message: caught.message, headers };
}

/** The error body of every API endpoint: `{ "error": "..." }` with the status and any headers. */
export function apiError(
	status: number,
	message: string,
	headers: Record<string, string> = {}
): Response {
	return json({ error: message }, { status, headers });
}

/** A typed error as the API's JSON error response; null for any other error. */
export function toApiErrorResponse(caught: unknown): Response | null {
	const meaning = httpMeaningOf(caught);
	return meaning && apiError(meaning.status, meaning.message, meaning.headers);
}

/** Rethrows a typed error as SvelteKit's page error (status + message for +error.svelte); others as they are. */
export function throwAsPageError(
	caught: unknown,
	setHeaders?: (headers: Record<string, string>) => void
): never {
	const meaning = httpMeaningOf(caught);
	if (!meaning) throw caught;
	if (setHeaders && Object.keys(meaning.headers).length > 0) setHeaders(meaning.headers);
	pageError(meaning.status, meaning.message);
}

/**
 * Wraps a `+server.ts` handler so a typed error becomes the API's JSON error,
 * e.g. `export const GET = apiEndpoint(async ({ params, locals }: RequestEvent) => …)`.
 */
export function apiEndpoint<Event extends RequestEvent>(
	handler: (event: Event) => Response | Promise<Response>
): (event: Event) => Promise<Response> {
	return async (event) => {
		try {
			return await handler(event);
		} catch (caught) {
			const response = toApiErrorResponse(caught);
			if (response) return response;
			throw caught;
		}
	};
}

/**
 * Wraps a server `load` so a typed error becomes a page error with its status,
 * e.g. `export const load = pageLoad(async ({ params, locals }: PageServerLoadEvent) => …)`.
 */
export function pageLoad<Event extends Pick<RequestEvent, 'setHeaders'>, Output>(
	load: (event: Event) => Output | Promise<Output>
): (event: Event) => Promise<Output> {
	return async (event) => {
		try {
			return await load(event);
		} catch (caught) {
			throwAsPageError(caught, (headers) => event.setHeaders(headers));
		}
	};
}

/**
 * The response of a request whose typed error reached `handleError` (a load or
 * endpoint not wrapped by `pageLoad`/`apiEndpoint`), which SvelteKit sent as a
 * 500: re-sent with the error's own status and headers (e.g. 503 + Retry-After
 * while the database is away), its body (the rendered error page) unchanged.
 */
export function withMeaningStatus(
	response: Response,
	meaning: HttpErrorMeaning | undefined
): Response {
	if (!meaning || response.status !== 500) return response;
	const headers = new Headers(response.headers);
	for (const [name, value] of Object.entries(meaning.headers)) headers.set(name, value);
	return new Response(response.body, { status: meaning.status, headers });
}

/** Whether a path belongs to the JSON API, whose every answer (errors included) is JSON. */
export function isApiPath(pathname: string): boolean {
	return pathname === '/api' || pathname.startsWith('/api/');
}

/**
 * An API response whose failure SvelteKit answered itself (a 405 in plain text,
 * an unexpected error as an HTML page or `{ message }`) rewritten as the API's
 * JSON error with the same status and headers; any other response as it is.
 * `errorId` is the id `handleError` logged an unexpected error under.
 */
export async function asApiError(
	response: Response,
	method: string,
	errorId?: string
): Promise<Response> {
	if (response.status < 400) return response;
	if (response.headers.get('content-type')?.includes('application/json')) {
		const body: unknown = await response
			.clone()
			.json()
			.catch(() => null);
		if (body && typeof body === 'object' && 'error' in body) return response;
	}
	const allow = response.headers.get('allow');
	const message =
		response.status === 405
			? `${method} is not allowed here${allow ? `; use ${allow}` : ''}.`
			: response.status === 404
				? 'Not found.'
				: response.status >= 500
					? `Something went wrong on our side${errorId ? ` (error id ${errorId})` : ''}.`
					: `The request failed with status ${response.status}.`;
	await response.body?.cancel();
	const headers = new Headers(response.headers);
	headers.delete('content-type');
	headers.delete('content-length');
	return apiError(response.status, message, Object.fromEntries(headers));
}

/**
 * Wraps a SvelteKit form action so a typed error becomes `fail(status, { action, error })`:
 * the page renders again with the sentence next to the form named `action`, and a 429's
 * Retry-After is sent. Redirects and other errors pass through.
 */
export function formAction<Event extends Pick<RequestEvent, 'setHeaders'>, Output>(
	action: string,
	handler: (event: Event) => Output | Promise<Output>
): (event: Event) => Promise<Output | ActionFailure<{ action: string; error: string }>> {
	return async (event) => {
		try {
			return await handler(event);
		} catch (caught) {
			const meaning = httpMeaningOf(caught);
			if (!meaning) throw caught;
			if (Object.keys(meaning.headers).length > 0) event.setHeaders(meaning.headers);
			return fail(meaning.status, { action, error: meaning.message });
		}
	};
}

/**
 * Whether a POST names the form action "default" (`?/default`), which SvelteKit answers
 * with a plain Error, a 500, on every page with named actions: the client's mistake, so
 * `handle` answers it with a 404 before SvelteKit sees it.
 */
export function namesDefaultAction(method: string, url: URL): boolean {
	return method === 'POST' && [...url.searchParams.keys()].some((key) => key === '/default');
}
