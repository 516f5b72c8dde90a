/**
 * The comment preview over real HTTP against the built app, on both dialects:
 * `POST /api/comments/preview` `{ "body": "…" }` → `{ "html": "…" }`, signed in by
 * session cookie or bearer token, same-site only, 20,000 characters at most, rate-limited.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { COMMENT_MAX_LENGTH } from '../src/lib/core/comment';
import { createApiToken } from '../src/lib/server/auth/api-token.service';
import { SESSION_COOKIE } from '../src/lib/server/auth/identify';
import { startSession } from '../src/lib/server/auth/session.service';
import { renderCommentMarkdown } from '../src/lib/server/discussion/markdown';
import { RATE_LIMITS } from '../src/lib/server/http/rate-limit';
import { startAppServer, type RunningServer } from './support/app-server';
import { describeEachDialect } from './support/databases';
import { writeFeedFixture } from './support/feed-fixture';
import { addMembers } from './support/fixtures';

describeEachDialect('comment preview over HTTP', (database) => {
	let server: RunningServer;
	const cookies: Record<string, string> = {};
	const db = () => database().store.db;
	const ownOrigin = () => `http://localhost:${new URL(server.url).port}`;

	const preview = (body: unknown, headers: Record<string, string> = {}) =>
		fetch(`${server.url}/api/comments/preview`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...headers },
			body: typeof body === 'string' ? body : JSON.stringify(body)
		});
	const as = (member: string) => ({ cookie: `${SESSION_COOKIE}=${cookies[member]}` });
	const errorOf = async (response: Response) => {
		expect(response.headers.get('content-type')).toContain('application/json');
		return ((await response.json()) as { error: string }).error;
	};

	beforeAll(async () => {
		server = await startAppServer([writeFeedFixture()], { database: database().env });
		const members = ['writer', 'chatty', 'bearer'];
		await addMembers(db(), members);
		for (const member of members) cookies[member] = (await startSession(db(), member)).token;
	});

	afterAll(async () => {
		await server?.stop();
	});

	it('answers the HTML the comment would be stored with', async () => {
		const body =
			'# Idea\n\nSee $x^2$ and [the paper](https://arxiv.org/abs/2406.00001).\n\n<script>alert(1)</script>';
		const response = await preview({ body }, { ...as('writer'), origin: ownOrigin() });
		expect(response.status).toBe(200);
		const { html } = (await response.json()) as { html: string };
		expect(html).toBe(renderCommentMarkdown(body));
		expect(html).toContain('<h4>Idea</h4>');
		expect(html).toContain('class="katex"');
		expect(html).toContain('rel="nofollow ugc noopener"');
		expect(html).toContain('&lt;script&gt;');
	});

	it('works with a bearer token and without an Origin (a script, not a browser)', async () => {
		const { token } = await createApiToken(db(), 'bearer', 'preview test');
		const response = await preview({ body: '*hi*' }, { authorization: `Bearer ${token}` });
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ html: '<p><em>hi</em></p>\n' });
	});

	it('refuses a reader who is not signed in, with JSON', async () => {
		const response = await preview({ body: 'hi' });
		expect(response.status).toBe(401);
		expect(await errorOf(response)).toMatch(/sign in/i);
	});

	it('refuses a preview sent from another site', async () => {
		const response = await preview(
			{ body: 'hi' },
			{ ...as('writer'), origin: 'https://evil.example' }
		);
		expect(response.status).toBe(403);
		expect(await errorOf(response)).toBe('Previews from another site are refused.');
	});

	it.each([
		['not JSON', '{"body": ', /must be JSON, such as \{"body": "Markdown text"\}/],
		['no body', {}, /body is required/],
		['a body that is not text', { body: 42 }, /body is required/],
		['an unknown field', { body: 'x', html: '<b>' }, /"html" is not known here/],
		['an array', [], /send a JSON object/],
		[
			'a body over the limit',
			{ body: 'x'.repeat(COMMENT_MAX_LENGTH + 1) },
			/at most 20,000 characters/
		]
	])('answers 400 with a sentence for %s', async (_name, body, message) => {
		const response = await preview(body, as('writer'));
		expect(response.status).toBe(400);
		expect(await errorOf(response)).toMatch(message);
	});

	it('takes a body of exactly the limit', async () => {
		const response = await preview({ body: 'x'.repeat(COMMENT_MAX_LENGTH) }, as('writer'));
		expect(response.status).toBe(200);
	});

	it('answers 429 with Retry-After past the rate limit, for that member only', async () => {
		const { points } = RATE_LIMITS['comment-preview'];
		for (let i = 0; i < points; i += 1) {
			expect((await preview({ body: `${i}` }, as('chatty'))).status).toBe(200);
		}
		const refused = await preview({ body: 'one more' }, as('chatty'));
		expect(refused.status).toBe(429);
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(await errorOf(refused)).toMatch(/Too many comment previews/);
		expect((await preview({ body: 'mine' }, as('writer'))).status).toBe(200);
	});
});
