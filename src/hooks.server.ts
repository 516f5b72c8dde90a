/** Wires the app into SvelteKit: build it once at start-up, hand it to every request. */
import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { createApp, type App } from '$lib/server/app';
import { identify } from '$lib/server/auth/identify';
import { loadConfig } from '$lib/server/config';
import { compressResponse } from '$lib/server/http/compression';
import {
	apiError,
	asApiError,
	httpMeaningOf,
	isApiPath,
	namesDefaultAction,
	withMeaningStatus
} from '$lib/server/http/error-response';
import { CROSS_SITE_MESSAGE, discardBody, isCrossSiteForm } from '$lib/server/http/cross-site';
import { createRequestContext } from '$lib/server/http/request-context';
import { applySecurityHeaders } from '$lib/server/http/security-headers';

let app: App | undefined;

export const init: ServerInit = async () => {
	const started = await createApp(loadConfig());
	app = started;
	// adapter-node emits this on SIGTERM/SIGINT once in-flight requests are done.
	process.once('sveltekit:shutdown', () => {
		void started
			.close()
			.catch((error: unknown) => started.log.error({ err: error }, 'shutdown failed'));
	});
	app.log.info(
		{
			database: app.store.kind,
			searchDocs: app.search.replica.index.size,
			semantic: app.search.replica.semantic
		},
		app.search.replica.semantic === 'off'
			? 'server ready; search is lexical only (semantic layer needs 500+ papers and an index build)'
			: 'server ready; hybrid search (BM25F + corpus-learned LSA)'
	);
};

export const handle: Handle = async ({ event, resolve }) => {
	if (!app) throw new Error('the app is not initialised');
	event.locals.app = app;
	Object.assign(event.locals, createRequestContext(app.log, event.request.headers));
	const isApi = isApiPath(event.url.pathname);
	let refused: Response | undefined;
	try {
		event.locals.member = await identify(app.store.db, app.rateLimits, {
			headers: event.request.headers,
			cookies: event.cookies,
			publicUrl: app.config.publicUrl
		});
	} catch (error) {
		refused = refusal(error, isApi);
	}
	const crossSite = isCrossSiteForm(event.request, event.url, app.config.publicUrl);
	if (crossSite) await discardBody(event.request);
	const response = refused
		? refused
		: crossSite
			? isApi
				? apiError(403, CROSS_SITE_MESSAGE)
				: new Response(CROSS_SITE_MESSAGE, { status: 403 })
			: isApi && event.route.id === null
				? apiError(404, `There is no API endpoint at ${event.url.pathname.slice(0, 200)}.`)
				: namesDefaultAction(event.request.method, event.url)
					? new Response('There is no form action called "default" here.', {
							status: 404,
							headers: { 'content-type': 'text/plain; charset=utf-8' }
						})
					: withMeaningStatus(await resolve(event), event.locals.errorMeaning);
	const answer = isApi
		? await asApiError(response, event.request.method, event.locals.errorId)
		: explainMethodNotAllowed(response, event.request.method);
	// An answer given without reading the body (a 405, a 415, a refusal): read it anyway, so the
	// connection ends cleanly instead of being reset while the client is still sending it.
	if (event.request.body && !event.request.bodyUsed) await discardBody(event.request);
	answer.headers.set('x-request-id', event.locals.requestId);
	applySecurityHeaders(answer.headers);
	return compressResponse(event.request, answer);
};

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status < 500) return answerClientError(error, event, status);
	const errorId = crypto.randomUUID();
	event.locals.errorId = errorId;
	const log = event.locals.log ?? app?.log;
	// A typed error in a load not wrapped by pageLoad (e.g. the database is away): not a bug.
	// `handle` gives the response its status; the page shows its message.
	const meaning = httpMeaningOf(error);
	if (meaning) {
		event.locals.errorMeaning = meaning;
		log?.warn({ status: meaning.status, path: event.url.pathname }, meaning.message);
		return { message: meaning.message, status: meaning.status };
	}
	log?.error({ err: error, errorId, path: event.url.pathname }, 'request failed');
	return { message: 'Something went wrong on our side.', errorId };
};

/**
 * The answer to a request whose credentials were refused (a revoked token, too
 * many requests with one): JSON under /api, a sentence elsewhere. Other errors
 * (the database is away) are thrown on to handleError.
 */
function refusal(error: unknown, isApi: boolean): Response {
	const meaning = httpMeaningOf(error);
	if (!meaning) throw error;
	if (isApi) return apiError(meaning.status, meaning.message, meaning.headers);
	return new Response(meaning.message, {
		status: meaning.status,
		headers: { 'content-type': 'text/plain; charset=utf-8', ...meaning.headers }
	});
}

// ---- client errors (4xx) -------------------------------------------------------------------

/**
 * A 4xx that SvelteKit raised itself (a malformed %-escape, a POST to a page without
 * form actions, a missing route): the client's mistake, not ours, so it is logged at
 * info without a stack and answered with a sentence saying what to do instead.
 */
function answerClientError(
	error: unknown,
	event: Parameters<HandleServerError>[0]['event'],
	status: number
): { message: string } {
	const method = event.request.method;
	const path = event.url.pathname.slice(0, 200);
	if (status !== 404) {
		const reason = error instanceof Error ? error.message.slice(0, 300) : String(error);
		(event.locals.log ?? app?.log)?.info({ status, method, path, reason }, 'client error');
	}
	if (status === 404) return { message: 'Not found' };
	if (status === 405) return { message: `${method} is not allowed here; use GET.` };
	if (status === 400) return { message: 'This address could not be read: it is malformed.' };
	return { message: `The request failed with status ${status}.` };
}

/**
 * SvelteKit answers a PUT, PATCH or DELETE to a page with a bare "PUT method not
 * allowed"; this says which methods are, from the Allow header it set. Other
 * responses pass as they are.
 */
function explainMethodNotAllowed(response: Response, method: string): Response {
	const allow = response.headers.get('allow');
	// SvelteKit's text() sends bytes, so its answer has no content-type at all.
	const type = response.headers.get('content-type');
	if (response.status !== 405 || !allow || (type !== null && !type.startsWith('text/plain'))) {
		return response;
	}
	void response.body?.cancel();
	const headers = new Headers(response.headers);
	headers.delete('content-length');
	headers.set('content-type', 'text/plain; charset=utf-8');
	return new Response(`${method} is not allowed here; use ${allow}.`, { status: 405, headers });
}
