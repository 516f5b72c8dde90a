/** Wires the app into SvelteKit: build it once at start-up, hand it to every request. */
import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { createApp, type App } from '$lib/server/app';
import { loadConfig } from '$lib/server/config';
import {
	apiError,
	asApiError,
	httpMeaningOf,
	isApiPath,
	withMeaningStatus
} from '$lib/server/http/error-response';
import { createRequestContext } from '$lib/server/http/request-context';

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
	const response =
		isApi && event.route.id === null
			? apiError(404, `There is no API endpoint at ${event.url.pathname.slice(0, 200)}.`)
			: withMeaningStatus(await resolve(event), event.locals.errorMeaning);
	const answer = isApi
		? await asApiError(response, event.request.method, event.locals.errorId)
		: response;
	answer.headers.set('x-request-id', event.locals.requestId);
	answer.headers.set('x-content-type-options', 'nosniff');
	answer.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
	return answer;
};

export const handleError: HandleServerError = ({ error, event, status }) => {
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
	if (status !== 404)
		log?.error({ err: error, errorId, path: event.url.pathname }, 'request failed');
	return { message: status === 404 ? 'Not found' : 'Something went wrong on our side.', errorId };
};
