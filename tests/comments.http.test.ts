/**
 * The discussion over real HTTP against the built app, on both dialects: the forms that
 * work without JavaScript (`POST /papers/{id}/comments?/post|edit|delete`, 303 back to the
 * comment), the JSON API (`/api/papers/{id}/comments`, `/api/comments/{id}`, by cookie or
 * bearer token), the counts on cards and in the API, and notifications. Every refusal
 * answers its sentence and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../src/lib/server/auth/api-token.service';
import { SESSION_COOKIE } from '../src/lib/server/auth/identify';
import { startSession } from '../src/lib/server/auth/session.service';
import {
	countReadableCommentRows,
	findCommentCount
} from '../src/lib/server/discussion/comment.repository';
import { RATE_LIMITS } from '../src/lib/server/http/rate-limit';
import { banMember } from '../src/lib/server/members/member.service';
import { startAppServer, type RunningServer } from './support/app-server';
import { describeEachDialect } from './support/databases';
import { writeFeedFixture } from './support/feed-fixture';
import { addMembers } from './support/fixtures';

const PAPER = '2406.00003'; // on the day 2024-06-03
const OTHER = '2406.00001';
const LOCKED = '2406.00002';
const FEED = '/papers?date=2024-06-03';

interface ApiComment {
	id: string;
	parentId: string | null;
	author: { user: string; fullname: string; avatarUrl: string };
	createdAt: string;
	editedAt: string | null;
	deleted: boolean;
	hidden: boolean;
	body: string | null;
	bodyHtml: string | null;
}

describeEachDialect('comments over HTTP', (database) => {
	let server: RunningServer;
	const cookies: Record<string, string> = {};
	let bearer = '';
	const db = () => database().store.db;
	const ownOrigin = () => `http://localhost:${new URL(server.url).port}`;
	const as = (member: string) => ({ cookie: `${SESSION_COOKIE}=${cookies[member]}` });

	/** A form POST as a browser without JavaScript sends it. */
	const form = (
		member: string | null,
		paperId: string,
		action: 'post' | 'edit' | 'delete',
		fields: Record<string, string>
	) =>
		fetch(`${server.url}/papers/${paperId}/comments?/${action}`, {
			method: 'POST',
			headers: {
				...(member ? as(member) : {}),
				origin: ownOrigin(),
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams(fields).toString(),
			redirect: 'manual'
		});

	const api = (path: string, method: string, headers: Record<string, string>, body?: unknown) =>
		fetch(`${server.url}${path}`, {
			method,
			headers: { ...headers, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
	const thread = async (paperId: string) =>
		(await (await fetch(`${server.url}/api/papers/${paperId}/comments`)).json()) as {
			numComments: number;
			comments: ApiComment[];
		};
	const page = async (path: string, member?: string) =>
		(await fetch(`${server.url}${path}`, { headers: member ? as(member) : {} })).text();
	/** The count kept next to the paper equals the readable rows. */
	const counted = async (paperId: string) => {
		const count = await findCommentCount(db(), paperId);
		expect(count).toBe(await countReadableCommentRows(db(), paperId));
		return count;
	};
	/** A fresh rate-limit window: the tests before used up some members' comment limit. */
	const freshLimits = () => db().deleteFrom('rate_limits').execute();
	const snapshot = async () => ({
		rows: await db().selectFrom('comments').selectAll().orderBy('id').execute(),
		notes: await db().selectFrom('notifications').select('id').orderBy('id').execute()
	});

	beforeAll(async () => {
		server = await startAppServer([writeFeedFixture()], { database: database().env });
		const members = ['ada', 'bob', 'cat', 'eve', 'hasty', 'banned', 'resting', 'sub'];
		await addMembers(db(), members);
		for (const member of members) cookies[member] = (await startSession(db(), member)).token;
		bearer = (await createApiToken(db(), 'eve', 'comment bot')).token;
		await db()
			.updateTable('daily_picks')
			.set({ submitter_id: 'sub' })
			.where('paper_id', '=', PAPER)
			.execute();
		await db()
			.updateTable('papers')
			.set({ thread_locked_at: '2030-01-01T00:00:00.000Z' })
			.where('id', '=', LOCKED)
			.execute();
	});

	afterAll(async () => {
		await server?.stop();
	});

	describe('without JavaScript', () => {
		let first = '';

		it('shows signed-out readers a sign-in link back to the paper, and no form', async () => {
			const html = await page(`/papers/${PAPER}`);
			expect(html).toContain('Sign in to comment');
			expect(html).toContain(`href="/signin?next=${encodeURIComponent(`/papers/${PAPER}`)}"`);
			expect(html).not.toContain('name="body"');
			const post = await form(null, PAPER, 'post', { body: 'hello' });
			expect(post.status).toBe(303);
			expect(post.headers.get('location')).toContain('/signin?next=');
			expect(await counted(PAPER)).toBe(0);
		});

		it('posts a comment: 303 to it, shown in the thread and counted on the card and in the API', async () => {
			const html = await page(`/papers/${PAPER}`, 'ada');
			expect(html).toContain(`action="/papers/${PAPER}/comments?/post"`);
			expect(html).toMatch(/<textarea[^>]*name="body"/);
			expect(html).toContain('data-comment-preview');
			const post = await form('ada', PAPER, 'post', {
				body: 'First *thoughts* <script>x</script>'
			});
			expect(post.status).toBe(303);
			const location = post.headers.get('location') ?? '';
			expect(location).toMatch(
				new RegExp(`^/papers/${PAPER}\\?comment=([A-Za-z0-9_-]{16})#comment-\\1$`)
			);
			first = location.split('#comment-')[1];
			const after = await page(`/papers/${PAPER}`, 'bob');
			expect(after).toContain(`id="comment-${first}"`);
			expect(after).toContain('First <em>thoughts</em> &lt;script&gt;x&lt;/script&gt;');
			expect(after).not.toContain('<script>x</script>');
			expect(after).toContain('1 comment');
			const feed = await page(FEED);
			const card = feed.slice(feed.indexOf(`data-paper-id="${PAPER}"`));
			expect(card).toMatch(/^[^]*?1 comment</);
			const entry = (
				(await (await fetch(`${server.url}/api/daily_papers?date=2024-06-03`)).json()) as {
					paper: { id: string; numComments: number };
					numComments: number;
				}[]
			).find((e) => e.paper.id === PAPER);
			expect(entry).toMatchObject({ numComments: 1, paper: { numComments: 1 } });
			const paper = (await (await fetch(`${server.url}/api/papers/${PAPER}`)).json()) as {
				numComments: number;
			};
			expect(paper.numComments).toBe(1);
			expect(await counted(PAPER)).toBe(1);
		});

		it('replies, edits (marked edited) and deletes (the place stays, the reply too)', async () => {
			// Reply is a link that opens the one reply form under the comment.
			const thread = await page(`/papers/${PAPER}`, 'bob');
			expect(thread).toContain(`href="/papers/${PAPER}?reply=${first}#comment-${first}"`);
			expect(thread).not.toContain(`name="parentId"`);
			const opened = await page(`/papers/${PAPER}?reply=${first}`, 'bob');
			expect(opened).toContain(`name="parentId" value="${first}"`);
			const reply = await form('bob', PAPER, 'post', { body: 'A reply', parentId: first });
			expect(reply.status).toBe(303);
			const replyId = (reply.headers.get('location') ?? '').split('#comment-')[1];
			const bobView = await page(`/papers/${PAPER}`, 'bob');
			// Bob may edit and delete his reply, not ada's comment.
			const own = bobView.slice(bobView.indexOf(`id="comment-${replyId}"`));
			expect(own).toContain(`name="commentId" value="${replyId}"`);
			expect(bobView).not.toContain(`name="commentId" value="${first}"`);
			expect(bobView).toContain(`/flag?kind=comment&amp;id=${first}`);

			expect(bobView).toContain(`href="/papers/${PAPER}?edit=${replyId}#comment-${replyId}"`);
			const editing = await page(`/papers/${PAPER}?edit=${replyId}`, 'bob');
			expect(editing).toMatch(/<textarea[^>]*name="body"[^>]*>A reply<\/textarea>/);
			// Nobody opens an edit form on another member's comment.
			expect(await page(`/papers/${PAPER}?edit=${replyId}`, 'ada')).not.toContain(
				'>A reply</textarea>'
			);
			const edit = await form('bob', PAPER, 'edit', { commentId: replyId, body: 'A better reply' });
			expect(edit.status).toBe(303);
			expect(edit.headers.get('location')).toBe(
				`/papers/${PAPER}?comment=${replyId}#comment-${replyId}`
			);
			const edited = await page(`/papers/${PAPER}`);
			expect(edited).toContain('A better reply');
			expect(edited).toMatch(/class="edited[^"]*"[^>]*>edited</);

			const del = await form('ada', PAPER, 'delete', { commentId: first });
			expect(del.status).toBe(303);
			const after = await page(`/papers/${PAPER}`);
			expect(after).toContain('comment deleted');
			expect(after).not.toContain('First *thoughts*');
			expect(after).toContain('A better reply');
			expect(await counted(PAPER)).toBe(1);
		});

		it('answers each refused form with its sentence and changes nothing', async () => {
			const before = await snapshot();
			const cases: [Response, number, string][] = [
				[await form('ada', PAPER, 'post', { body: '   ' }), 400, 'A comment cannot be empty.'],
				[
					await form('ada', PAPER, 'post', { body: 'x'.repeat(20_001) }),
					400,
					'at most 20,000 characters'
				],
				[
					await form('ada', PAPER, 'post', { body: 'hi', parentId: first }),
					409,
					'You cannot reply to a deleted comment.'
				],
				[
					await form('ada', PAPER, 'post', { body: 'hi', parentId: 'forged' }),
					404,
					'There is no comment forged to reply to.'
				],
				[await form('ada', LOCKED, 'post', { body: 'hi' }), 403, 'This thread is locked'],
				[
					await form('ada', PAPER, 'edit', { commentId: 'forged', body: 'x' }),
					404,
					'There is no comment forged.'
				]
			];
			for (const [response, status, sentence] of cases) {
				expect(response.status).toBe(status);
				expect(await response.text()).toContain(sentence);
			}
			// Nothing typed is lost: the refusal page offers the text again, in a form that posts
			// where it was going (a reply to the same comment).
			const refusedReply = await (
				await form('ada', PAPER, 'post', { body: 'My <careful> reply', parentId: first })
			).text();
			expect(refusedReply).toContain('You cannot reply to a deleted comment.');
			expect(refusedReply).toMatch(/<textarea name="body"[^>]*>My &lt;careful> reply<\/textarea>/);
			expect(refusedReply).toContain(`name="parentId" value="${first}"`);
			expect(refusedReply).toContain(`action="/papers/${PAPER}/comments?/post"`);
			expect(await snapshot()).toEqual(before);
			const locked = await page(`/papers/${LOCKED}`, 'ada');
			expect(locked).toContain('This thread is locked by a moderator');
			expect(locked).not.toContain('name="body"');
		});
	});

	describe('the JSON API', () => {
		let top: ApiComment;

		it('creates with a bearer token, answers 201 with the comment, and lists the thread flat', async () => {
			const created = await api(
				`/api/papers/${OTHER}/comments`,
				'POST',
				{
					authorization: `Bearer ${bearer}`
				},
				{ body: 'Via the **API**' }
			);
			expect(created.status).toBe(201);
			top = (await created.json()) as ApiComment;
			expect(top).toMatchObject({
				parentId: null,
				author: { user: 'eve', fullname: expect.any(String) },
				body: 'Via the **API**',
				bodyHtml: expect.stringContaining('Via the'),
				deleted: false,
				hidden: false,
				editedAt: null
			});
			expect(top.author.avatarUrl).toMatch(/^http.*\/avatars\/eve\.svg$/);
			const reply = (await (
				await api(`/api/papers/${OTHER}/comments`, 'POST', as('bob'), {
					body: 'Reply by cookie',
					parentId: top.id
				})
			).json()) as ApiComment;
			expect(reply.parentId).toBe(top.id);
			const listed = await thread(OTHER);
			expect(listed.numComments).toBe(2);
			expect(listed.comments.map((c) => [c.id, c.parentId])).toEqual([
				[top.id, null],
				[reply.id, top.id]
			]);
		});

		it('edits with PATCH and deletes with DELETE; the deleted keeps its place without a body', async () => {
			const patched = await api(
				`/api/comments/${top.id}`,
				'PATCH',
				{
					authorization: `Bearer ${bearer}`
				},
				{ body: 'Edited via the API' }
			);
			expect(patched.status).toBe(200);
			expect(await patched.json()).toMatchObject({
				body: 'Edited via the API',
				editedAt: expect.any(String)
			});
			const removed = await api(`/api/comments/${top.id}`, 'DELETE', as('eve'));
			expect(removed.status).toBe(200);
			expect(await removed.json()).toMatchObject({ deleted: true, body: null, bodyHtml: null });
			const listed = await thread(OTHER);
			expect(listed.numComments).toBe(1);
			expect(listed.comments[0]).toMatchObject({ id: top.id, deleted: true, body: null });
			expect(await counted(OTHER)).toBe(1);
		});

		it('answers every rule with a JSON error and changes nothing', async () => {
			await freshLimits();
			const fresh = (await (
				await api(`/api/papers/${OTHER}/comments`, 'POST', as('ada'), { body: 'ada was here' })
			).json()) as ApiComment;
			const other = (await (
				await api(`/api/papers/${PAPER}/comments`, 'POST', as('ada'), { body: 'elsewhere' })
			).json()) as ApiComment;
			// Ada's comment on OTHER, posted 16 minutes ago.
			const old = (await (
				await api(`/api/papers/${OTHER}/comments`, 'POST', as('ada'), { body: 'old' })
			).json()) as ApiComment;
			await db()
				.updateTable('comments')
				.set({ created_at: new Date(Date.now() - 16 * 60_000).toISOString() })
				.where('id', '=', old.id)
				.execute();
			await db()
				.updateTable('members')
				.set({ suspended_until: '2999-01-01T00:00:00.000Z' })
				.where('id', '=', 'resting')
				.execute();
			const before = await snapshot();
			const post = (headers: Record<string, string>, body: unknown, paperId = OTHER) =>
				api(`/api/papers/${paperId}/comments`, 'POST', headers, body);
			const cases: [Promise<Response>, number, RegExp][] = [
				[post({}, { body: 'anon' }), 401, /Sign in/],
				[post(as('ada'), { body: '' }), 400, /cannot be empty/],
				[post(as('ada'), { body: 'x'.repeat(20_001) }), 400, /at most 20,000/],
				[post(as('ada'), { text: 'wrong field' }), 400, /body/],
				[post(as('ada'), { body: 'hi', parentId: 'forged' }), 404, /no comment forged/],
				[post(as('ada'), { body: 'hi', parentId: other.id }), 400, /another paper/],
				[post(as('ada'), { body: 'hi', parentId: top.id }), 409, /deleted comment/],
				[post(as('ada'), { body: 'hi' }, LOCKED), 403, /locked/],
				[post(as('ada'), { body: 'hi' }, '9912.99999'), 404, /no paper/],
				[post(as('resting'), { body: 'hi' }), 403, /suspended until 2999-01-01/],
				[
					fetch(`${server.url}/api/papers/${OTHER}/comments`, {
						method: 'POST',
						headers: { ...as('ada'), 'content-type': 'application/json' },
						body: '{not json'
					}),
					400,
					/must be JSON/
				],
				[
					fetch(`${server.url}/api/papers/${OTHER}/comments`, {
						method: 'POST',
						headers: { ...as('ada'), origin: 'https://evil.example', 'content-type': 'text/plain' },
						body: JSON.stringify({ body: 'csrf' })
					}),
					403,
					/refused/
				],
				[
					api(`/api/comments/${fresh.id}`, 'PATCH', as('bob'), { body: 'mine now' }),
					403,
					/your own/
				],
				[api(`/api/comments/${fresh.id}`, 'DELETE', as('bob')), 403, /your own/],
				[api(`/api/comments/forged`, 'PATCH', as('ada'), { body: 'x' }), 404, /no comment forged/],
				[api(`/api/comments/forged`, 'DELETE', as('ada')), 404, /no comment forged/],
				[api(`/api/comments/${old.id}`, 'PATCH', as('ada'), { body: 'late' }), 403, /15 minutes/],
				[api(`/api/comments/${top.id}`, 'DELETE', as('eve')), 409, /already deleted/],
				[api(`/api/comments/${fresh.id}`, 'PATCH', as('ada'), { body: ' ' }), 400, /empty/]
			];
			for (const [pending, status, sentence] of cases) {
				const response = await pending;
				expect(response.headers.get('content-type')).toContain('application/json');
				const { error } = (await response.json()) as { error: string };
				expect([response.status, error]).toEqual([status, expect.stringMatching(sentence)]);
			}
			expect(await snapshot()).toEqual(before);
		});

		it('ends a banned member\u2019s session: their next comment is refused', async () => {
			await banMember(db(), 'banned');
			const response = await api(`/api/papers/${OTHER}/comments`, 'POST', as('banned'), {
				body: 'still here?'
			});
			expect(response.status).toBe(401);
			expect(await response.json()).toHaveProperty('error');
			expect(
				await db().selectFrom('comments').select('id').where('member_id', '=', 'banned').execute()
			).toEqual([]);
		});

		it('answers 429 with Retry-After past the comment limit', async () => {
			for (let i = 0; i < RATE_LIMITS.comment.points; i++) {
				const response = await api(`/api/papers/${OTHER}/comments`, 'POST', as('hasty'), {
					body: `n${i}`
				});
				expect(response.status).toBe(201);
			}
			const refused = await api(`/api/papers/${OTHER}/comments`, 'POST', as('hasty'), {
				body: 'one more'
			});
			expect(refused.status).toBe(429);
			expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
			expect(((await refused.json()) as { error: string }).error).toMatch(/Too many comments/);
		});
	});

	describe('notifications', () => {
		it('tells the parent\u2019s author and the submitter; the header counts; viewing reads them', async () => {
			await freshLimits();
			const top = (await (
				await api(`/api/papers/${PAPER}/comments`, 'POST', as('bob'), { body: 'On your paper' })
			).json()) as ApiComment;
			// cat: a member who has not used up the comment limit in the tests above.
			await api(`/api/papers/${PAPER}/comments`, 'POST', as('cat'), {
				body: 'Answering bob',
				parentId: top.id
			});
			const header = await page('/', 'bob');
			expect(header).toContain('aria-label="Notifications, 1 unread"');
			expect(header).toMatch(/<span class="unread[^"]*">1<\/span>/);
			const list = await page('/me/notifications', 'bob');
			expect(list).toContain('replied to your comment');
			expect(list).toContain(`href="/papers/${PAPER}?comment=`);
			expect(list).toMatch(/class="new[^"]*">new</);
			// Read on view: the next page has no count and no "new".
			expect(await page('/', 'bob')).not.toMatch(/class="unread/);
			expect(await page('/me/notifications', 'bob')).not.toMatch(/class="new[^"]*">new</);

			const sub = await page('/me/notifications', 'sub');
			expect(sub).toContain('commented on your submission');
			// Nobody hears of their own comment.
			expect(await page('/me/notifications', 'cat')).not.toContain('Answering bob');

			await api(`/api/papers/${PAPER}/comments`, 'POST', as('eve'), { body: 'More for sub' });
			expect(await page('/', 'sub')).toMatch(/class="unread/);
			const readAll = await fetch(`${server.url}/me/notifications?/readAll`, {
				method: 'POST',
				headers: {
					...as('sub'),
					origin: ownOrigin(),
					accept: 'text/html',
					'content-type': 'application/x-www-form-urlencoded'
				},
				body: '',
				redirect: 'manual'
			});
			expect(readAll.status).toBe(303);
			expect(await page('/', 'sub')).not.toMatch(/class="unread/);
		});

		it('sends signed-out readers to sign in', async () => {
			const response = await fetch(`${server.url}/me/notifications`, { redirect: 'manual' });
			expect(response.status).toBe(303);
			expect(response.headers.get('location')).toContain('/signin?next=');
		});
	});
});
