import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../errors';
import { dailyPapersQuery, parseQuery, searchPapersQuery, similarQuery } from './schemas';

const messageOf = (run: () => unknown): string => {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(BadRequestError);
		return (error as Error).message;
	}
	throw new Error('expected a BadRequestError');
};

describe('parseQuery', () => {
	it('parses and defaults valid parameters', () => {
		expect(parseQuery(dailyPapersQuery, new URLSearchParams('limit=5'))).toEqual({
			limit: 5,
			p: 0
		});
	});

	it("takes Hugging Face's submitter, trimmed", () => {
		expect(parseQuery(dailyPapersQuery, new URLSearchParams('submitter=%20ada%20'))).toEqual({
			submitter: 'ada',
			limit: 50,
			p: 0
		});
	});

	it.each([
		[dailyPapersQuery, 'limit=ten', 'limit must be a whole number from 1 to 100'],
		[dailyPapersQuery, 'limit=0', 'limit must be a whole number from 1 to 100'],
		[dailyPapersQuery, 'limit=2.5', 'limit must be a whole number from 1 to 100'],
		[dailyPapersQuery, 'p=-1', 'p must be a whole number from 0 to 1000'],
		[dailyPapersQuery, 'date=2024-02-30', 'date must be a calendar day written YYYY-MM-DD'],
		[dailyPapersQuery, 'submitter=%20', 'submitter must be a username of 1 to 100 characters'],
		[
			dailyPapersQuery,
			`submitter=${'a'.repeat(101)}`,
			'submitter must be a username of 1 to 100 characters'
		],
		[similarQuery, 'limit=51', 'limit must be a whole number from 1 to 50'],
		[searchPapersQuery, '', 'q is required: give the search text as q=…'],
		[
			searchPapersQuery,
			'q=x&offset=5000',
			'offset must be a whole number from 0 to 1000; results stop at 1000, so narrow the query instead'
		],
		[
			dailyPapersQuery,
			'order=new',
			'parameter "order" is not known here; use date, week, month, submitter, sort, limit, p'
		],
		[dailyPapersQuery, 'sort=new', 'sort must be publishedAt or trending'],
		[dailyPapersQuery, 'week=2024-W54', 'week must be an ISO week written YYYY-Www'],
		[dailyPapersQuery, 'month=2024-13', 'month must be a month written YYYY-MM'],
		[dailyPapersQuery, 'limit=1&limit=2', 'parameter "limit" is given more than once']
	])('answers %#: %s with a sentence', (schema, query, message) => {
		expect(messageOf(() => parseQuery(schema, new URLSearchParams(query)))).toBe(message);
	});

	it('never passes on raw validator text or repeats a field name', () => {
		const message = messageOf(() =>
			parseQuery(dailyPapersQuery, new URLSearchParams('limit=ten&p=x'))
		);
		expect(message).toBe(
			'limit must be a whole number from 1 to 100; p must be a whole number from 0 to 1000'
		);
		expect(message).not.toMatch(/Invalid input|expected number|NaN|limit: limit/);
	});
});
