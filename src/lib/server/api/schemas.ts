/**
 * The API's query schemas in one reviewable place, and the one error body
 * every endpoint answers with.
 */
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { parseDay } from '$lib/core/period';

const day = z.string().refine((s) => parseDay(s) !== null, 'must be a calendar day YYYY-MM-DD');

/** `GET /api/daily_papers` */
export const dailyPapersQuery = z.strictObject({
	date: day.optional(),
	limit: z.coerce.number().int().min(1).max(100).default(50),
	p: z.coerce.number().int().min(0).max(1000).default(0)
});

/** `GET /api/papers/search` */
export const searchPapersQuery = z.strictObject({
	q: z.string().max(10_000, 'q: at most 10,000 characters'),
	limit: z.coerce.number().int().min(1).max(100).default(20),
	offset: z.coerce
		.number()
		.int()
		.min(0)
		.max(1000, 'offset: results stop at 1000; narrow the query instead')
		.default(0)
});

/** `GET /api/papers/{id}/similar` */
export const similarQuery = z.strictObject({
	limit: z.coerce.number().int().min(1).max(50).default(10)
});

/** Parses URL search parameters with a schema; a failure becomes a 400 JSON response. */
export function parseQuery<T extends z.ZodType>(
	schema: T,
	params: URLSearchParams
): { ok: true; value: z.infer<T> } | { ok: false; response: Response } {
	const raw: Record<string, string> = {};
	for (const [key, value] of params) {
		if (key in raw)
			return { ok: false, response: apiError(400, `parameter "${key}" is given more than once`) };
		raw[key] = value;
	}
	const parsed = schema.safeParse(raw);
	if (parsed.success) return { ok: true, value: parsed.data };
	const message = parsed.error.issues
		.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
		.join('; ');
	return { ok: false, response: apiError(400, message) };
}

/** The error body of every API endpoint: `{ "error": "..." }` with the status. */
export function apiError(status: number, message: string): Response {
	return json({ error: message }, { status });
}
