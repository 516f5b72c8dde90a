import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createRequestContext, resolveRequestId } from './request-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('resolveRequestId', () => {
	it('keeps a sane incoming id', () => {
		expect(resolveRequestId('req-42.a:b_C')).toBe('req-42.a:b_C');
	});

	it.each([null, '', 'a b', 'line\nbreak', '<script>', 'x'.repeat(129)])(
		'makes a fresh UUID instead of %j',
		(incoming) => {
			expect(resolveRequestId(incoming)).toMatch(UUID);
		}
	);

	it('makes a different id for each request', () => {
		expect(resolveRequestId(null)).not.toBe(resolveRequestId(null));
	});
});

describe('createRequestContext', () => {
	it('starts with nobody signed in and a logger that stamps every line with the request id', () => {
		const lines: string[] = [];
		const sink = new Writable({
			write(chunk: Buffer, _encoding, done) {
				lines.push(chunk.toString());
				done();
			}
		});
		const context = createRequestContext(
			pino({ level: 'info' }, sink),
			new Headers({ 'x-request-id': 'trace-1' })
		);
		expect(context.member).toBeNull();
		expect(context.requestId).toBe('trace-1');
		context.log.info('first');
		context.log.warn({ extra: 1 }, 'second');
		expect(lines.map((line) => (JSON.parse(line) as { requestId: string }).requestId)).toEqual([
			'trace-1',
			'trace-1'
		]);
	});
});
