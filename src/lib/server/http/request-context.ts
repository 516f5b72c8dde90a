/**
 * Who is asking and how to trace it, worked out once per request by
 * `hooks.server.ts` into `event.locals`.
 */
import type { Member } from '$lib/core/member';
import type { Logger } from '../log';
import type { HttpErrorMeaning } from './error-response';

/** The request-scoped part of `event.locals`. */
export interface RequestContext {
	/** The signed-in member; null until sign-in exists. */
	member: Member | null;
	/** The caller's `x-request-id` when it is sane, else a fresh UUID; echoed in the response. */
	requestId: string;
	/** The app's logger with `requestId` on every line. */
	log: Logger;
	/** Set by `handleError`: the id an unexpected error of this request was logged under. */
	errorId?: string;
	/** Set by `handleError` when the error was a typed one (e.g. the database is away): its status replaces the 500. */
	errorMeaning?: HttpErrorMeaning;
}

// Printable, header-safe and short: anything else could forge log lines or bloat them.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The incoming `x-request-id` if it is a sane token, else a new UUID. */
export function resolveRequestId(incoming: string | null): string {
	return incoming && SANE_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
}

/** Builds a request's context: its id, its child logger, and (once sign-in exists) its member. */
export function createRequestContext(log: Logger, headers: Headers): RequestContext {
	const requestId = resolveRequestId(headers.get('x-request-id'));
	return { member: null, requestId, log: log.child({ requestId }) };
}
