import { describe, expect, it } from 'vitest';
import * as errors from './errors';
import { SearchRequestError } from './search/search.service';

describe('typed errors', () => {
	it('carry their own class name and HTTP status', () => {
		const cases = [
			[new errors.NotFoundError('gone'), 'NotFoundError', 404],
			[new errors.BadRequestError('bad'), 'BadRequestError', 400],
			[new errors.UnauthorizedError(), 'UnauthorizedError', 401],
			[new errors.ForbiddenError(), 'ForbiddenError', 403],
			[new errors.ConflictError('taken'), 'ConflictError', 409],
			[new errors.TooManyRequestsError('slow down', 3), 'TooManyRequestsError', 429],
			[new errors.ServiceUnavailableError('away', 5), 'ServiceUnavailableError', 503],
			[new SearchRequestError('too deep'), 'SearchRequestError', 400]
		] as const;
		for (const [error, name, status] of cases) {
			expect(error.name).toBe(name);
			expect(error.status).toBe(status);
			expect(error).toBeInstanceOf(Error);
		}
	});

	it('keep the message and cause they were given, with defaults for sign-in errors', () => {
		const cause = new Error('driver said no');
		const error = new errors.ConflictError('That username is taken.', { cause });
		expect(error.message).toBe('That username is taken.');
		expect(error.cause).toBe(cause);
		expect(new errors.UnauthorizedError().message).toBe('Sign in to do this.');
		expect(new errors.ForbiddenError().message).toBe('You may not do this.');
	});

	it('round Retry-After up to whole, non-negative seconds', () => {
		expect(new errors.TooManyRequestsError('wait', 1.2).retryAfterSeconds).toBe(2);
		expect(new errors.TooManyRequestsError('wait', -5).retryAfterSeconds).toBe(0);
		expect(new errors.ServiceUnavailableError('away', 0.5).retryAfterSeconds).toBe(1);
	});
});
