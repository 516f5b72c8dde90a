/** Typed errors below the routes; only routes turn them into HTTP responses. */

export class NotFoundError extends Error {
	constructor(message: string, options?: ErrorOptions) {
		super(message, options);
		this.name = 'NotFoundError';
	}
}
