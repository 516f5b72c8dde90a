import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../errors';
import {
	asUnavailable,
	describeDatabaseUrl,
	isDatabaseUnreachable,
	reasonOf
} from './database-unavailable';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDatabaseUnreachable', () => {
	it.each([
		['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
		['a backend terminated by an administrator', withCode('terminating connection', '57P01')],
		['a server starting up', withCode('the database system is starting up', '57P03')],
		['a connection exception (class 08)', withCode('connection failure', '08006')],
		['a socket closed under a query', new Error('Connection terminated unexpectedly')],
		['a pool that could not connect in time', new Error('timeout exceeded when trying to connect')],
		[
			'a refused connection on every address',
			new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], '')
		],
		['a wrapped cause', new Error('query failed', { cause: withCode('x', 'ECONNRESET') })]
	])('recognises %s', (_name, error) => {
		expect(isDatabaseUnreachable(error)).toBe(true);
	});

	it.each([
		['a unique violation', withCode('duplicate key value', '23505')],
		['a syntax error', withCode('syntax error at or near "selec"', '42601')],
		['a bad password', withCode('password authentication failed', '28P01')],
		['a plain bug', new TypeError('x is undefined')],
		['a string', 'ECONNREFUSED']
	])('leaves %s alone', (_name, error) => {
		expect(isDatabaseUnreachable(error)).toBe(false);
	});
});

describe('asUnavailable', () => {
	it('wraps an unreachable database as a 503 with Retry-After, keeping the cause', () => {
		const cause = withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED');
		const wrapped = asUnavailable(cause);
		expect(wrapped).toBeInstanceOf(ServiceUnavailableError);
		expect((wrapped as ServiceUnavailableError).status).toBe(503);
		expect((wrapped as ServiceUnavailableError).retryAfterSeconds).toBeGreaterThan(0);
		expect((wrapped as Error).cause).toBe(cause);
		expect(reasonOf(wrapped)).toBe('connect ECONNREFUSED 127.0.0.1:5432');
	});

	it('returns other errors unchanged', () => {
		const error = withCode('duplicate key value', '23505');
		expect(asUnavailable(error)).toBe(error);
	});
});

describe('describeDatabaseUrl', () => {
	it('drops the password and the query for logs', () => {
		expect(
			describeDatabaseUrl('postgres://app:secret@db.example:5432/papers?sslmode=require')
		).toBe('postgres://app@db.example:5432/papers');
	});
});
