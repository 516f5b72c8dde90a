/**
 * The API's query schemas in one reviewable place. Every message is a sentence a
 * client can read as it is: it names its parameter once and says what is allowed.
 */
import { z } from 'zod';
import { COMMENT_MAX_LENGTH } from '$lib/core/comment';
import { parseDay, parseMonth, parseWeek } from '$lib/core/period';
import { BadRequestError } from '../errors';

/** An integer query parameter from `min` to `max`, with one message for every way it can be wrong. */
function wholeNumber(name: string, min: number, max: number, hint = '') {
	const message = `${name} must be a whole number from ${min} to ${max}${hint}`;
	return z.coerce
		.number({ error: message })
		.int({ error: message })
		.min(min, { error: message })
		.max(max, { error: message });
}

const day = (name: string) =>
	z
		.string()
		.refine((s) => parseDay(s) !== null, `${name} must be a calendar day written YYYY-MM-DD`);

const week = (name: string) =>
	z.string().refine((s) => parseWeek(s) !== null, `${name} must be an ISO week written YYYY-Www`);

const month = (name: string) =>
	z.string().refine((s) => parseMonth(s) !== null, `${name} must be a month written YYYY-MM`);

/** `GET /api/daily_papers`, with the names `huggingface_hub`'s `HfApi.list_daily_papers` sends. */
export const dailyPapersQuery = z.strictObject({
	date: day('date').optional(),
	week: week('week').optional(),
	month: month('month').optional(),
	// Hugging Face's parameter: only the papers this user submitted (a member's username, or the
	// name an imported pick carries), case-insensitive; without a period, on every day.
	submitter: z
		.string()
		.trim()
		.min(1, { error: 'submitter must be a username of 1 to 100 characters' })
		.max(100, { error: 'submitter must be a username of 1 to 100 characters' })
		.optional(),
	// Hugging Face's parameter: `publishedAt` lists the period newest first, `trending` ranks the
	// week's trending window (jobs/trending.job.ts); without it, the most upvoted come first.
	sort: z
		.enum(['publishedAt', 'trending'], { error: 'sort must be publishedAt or trending' })
		.optional(),
	limit: wholeNumber('limit', 1, 100).default(50),
	p: wholeNumber('p', 0, 1000).default(0)
});

/** `GET /api/papers/search` */
export const searchPapersQuery = z.strictObject({
	q: z
		.string({ error: 'q is required: give the search text as q=…' })
		.max(10_000, { error: 'q must be at most 10,000 characters' }),
	limit: wholeNumber('limit', 1, 100).default(20),
	offset: wholeNumber(
		'offset',
		0,
		1000,
		'; results stop at 1000, so narrow the query instead'
	).default(0)
});

/** `GET /api/papers/{id}/similar` */
export const similarQuery = z.strictObject({
	limit: wholeNumber('limit', 1, 50).default(10)
});

/** `POST /api/papers/submit`: `{ "arxivId": "2406.01234" }` (an id or a link to the paper). */
export const submitPaperBody = z.strictObject(
	{
		arxivId: z
			.string({ error: 'arxivId is required: send {"arxivId": "2406.01234"}' })
			.max(1000, { error: 'arxivId must be at most 1,000 characters' })
	},
	{ error: 'send a JSON object such as {"arxivId": "2406.01234"}' }
);

/** `POST /api/papers/{id}/comments`: a comment, or a reply to `parentId`. Length rules: the service. */
export const newCommentBody = z.strictObject(
	{
		body: z.string({ error: 'body is required: send {"body": "Nice result."}' }),
		parentId: z.string({ error: 'parentId must be a comment id' }).nullish()
	},
	{ error: 'send a JSON object such as {"body": "Nice result."}' }
);

/** `PATCH /api/comments/{id}`: the new Markdown. */
export const editCommentBody = z.strictObject(
	{ body: z.string({ error: 'body is required: send {"body": "Nice result."}' }) },
	{ error: 'send a JSON object such as {"body": "Nice result."}' }
);

/**
 * Reads a request's JSON body with a schema, or throws BadRequestError with one
 * sentence: the body is not JSON, or which field is wrong.
 */
export async function readJsonBody<T extends z.ZodObject>(
	schema: T,
	request: Request,
	example = '{"arxivId": "2406.01234"}'
): Promise<z.infer<T>> {
	let body: unknown;
	try {
		body = JSON.parse(await request.text());
	} catch {
		throw new BadRequestError(`The body must be JSON, such as ${example}.`);
	}
	const parsed = schema.safeParse(body);
	if (parsed.success) return parsed.data;
	const known = Object.keys(schema.shape);
	throw new BadRequestError(parsed.error.issues.map((i) => describeIssue(i, known)).join('; '));
}

/** The sentence for one failed check; zod's own text only where a schema gave none. */
function describeIssue(issue: z.core.$ZodIssue, known: string[]): string {
	if (issue.code === 'unrecognized_keys') {
		const names = issue.keys.map((key) => `"${key}"`).join(', ');
		const allowed = known.length ? `; use ${known.join(', ')}` : '';
		return `${issue.keys.length > 1 ? 'parameters' : 'parameter'} ${names} ${issue.keys.length > 1 ? 'are' : 'is'} not known here${allowed}`;
	}
	return issue.message;
}

/**
 * Parses URL search parameters with a schema, or throws BadRequestError with
 * readable sentences joined by "; ", e.g. `?limit=ten&order=new` →
 * `limit must be a whole number from 1 to 100; parameter "order" is not known here; use date, week, month, sort, limit, p`.
 */
export function parseQuery<T extends z.ZodObject>(schema: T, params: URLSearchParams): z.infer<T> {
	const raw: Record<string, string> = {};
	for (const [key, value] of params) {
		if (key in raw) throw new BadRequestError(`parameter "${key}" is given more than once`);
		raw[key] = value;
	}
	const parsed = schema.safeParse(raw);
	if (parsed.success) return parsed.data;
	const known = Object.keys(schema.shape);
	throw new BadRequestError(parsed.error.issues.map((i) => describeIssue(i, known)).join('; '));
}

/** `POST /api/comments/preview`: the Markdown of a comment being written. */
export const commentPreviewBody = z.strictObject(
	{
		body: z
			.string({ error: 'body is required: send {"body": "Markdown text"}' })
			.max(COMMENT_MAX_LENGTH, {
				error: `A comment is at most ${COMMENT_MAX_LENGTH.toLocaleString('en')} characters`
			})
	},
	{ error: 'send a JSON object such as {"body": "Markdown text"}' }
);
