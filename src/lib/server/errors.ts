/**
 * Typed errors below the routes, each carrying its HTTP meaning. Services throw
 * them; only `http/error-response.ts` turns them into a page or JSON error.
 */

/** An error a client caused or may retry, with the HTTP status it means. */
export abstract class HttpMeaningError extends Error {
	abstract readonly status: 400 | 401 | 403 | 404 | 409 | 429 | 503;
	constructor(message: string, options?: ErrorOptions) {
		super(message, options);
		// The subclass's own name (NotFoundError, …) in logs and stack traces.
		this.name = new.target.name;
	}
}

/** The thing asked for does not exist (404). */
export class NotFoundError extends HttpMeaningError {
	readonly status = 404;
}

/** The request itself is malformed or asks for something we refuse to compute (400). */
export class BadRequestError extends HttpMeaningError {
	readonly status = 400;
}

/** Nobody is signed in, and this needs a member (401). */
export class UnauthorizedError extends HttpMeaningError {
	readonly status = 401;
	constructor(message = 'Sign in to do this.', options?: ErrorOptions) {
		super(message, options);
	}
}

/** The member is signed in but may not do this (403). */
export class ForbiddenError extends HttpMeaningError {
	readonly status = 403;
	constructor(message = 'You may not do this.', options?: ErrorOptions) {
		super(message, options);
	}
}

/** The request clashes with the current state, e.g. a name already taken (409). */
export class ConflictError extends HttpMeaningError {
	readonly status = 409;
}

/** An error the client may retry after `retryAfterSeconds` (sent as Retry-After). */
export abstract class RetryLaterError extends HttpMeaningError {
	readonly retryAfterSeconds: number;
	constructor(message: string, retryAfterSeconds: number, options?: ErrorOptions) {
		super(message, options);
		// Retry-After takes whole, non-negative seconds.
		this.retryAfterSeconds = Math.max(0, Math.ceil(retryAfterSeconds));
	}
}

/** Too many requests; the client may try again after `retryAfterSeconds` (429 + Retry-After). */
export class TooManyRequestsError extends RetryLaterError {
	readonly status = 429;
}

/**
 * Something the request needs (the database) is away for now; the client may
 * try again after `retryAfterSeconds` (503 + Retry-After). Not a bug: nothing
 * about the request is wrong, and the site recovers by itself.
 */
export class ServiceUnavailableError extends RetryLaterError {
	readonly status = 503;
}
