/**
 * Submitting a paper over HTTP against the built server, on both dialects: the /submit
 * form (without JavaScript) and POST /api/papers/submit, signed in with a session made
 * in the same store; arXiv is a local replay of recorded responses.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiToken, revokeToken } from '../src/lib/server/auth/api-token.service';
import { startSession } from '../src/lib/server/auth/session.service';
import { savePapers } from '../src/lib/server/papers/paper.service';
import { dayOf } from '../src/lib/core/period';
import { PAPER_REFERENCE_HELP } from '../src/lib/core/paper-reference';
import { startAppServer, type RunningServer } from './support/app-server';
import { describeEachDialect } from './support/databases';
import { addMembers, makePaper } from './support/fixtures';
import { writeFeedFixture } from './support/feed-fixture';
import {
	loadArxivRecordings,
	recordingKey,
	startReplayServer,
	type RecordedResponse,
	type ReplayServer
} from './support/replay-server';
import { sharedData } from './support/shared-data';

const dataDir = sharedData('arxiv-api-atom');
const recordings = dataDir ? loadArxivRecordings(dataDir) : new Map<string, RecordedResponse>();
const EMPTY_FEED = recordings.get(recordingKey(new URLSearchParams({ id_list: '0000.0000' })));

interface HfEntry {
	paper: { id: string; upvotes: number; submittedOnDailyBy?: Record<string, unknown> };
	submittedBy?: Record<string, unknown>;
	result?: string;
	message?: string;
	error?: string;
}

describeEachDialect('submitting a paper over HTTP', (database) => {
	let server: RunningServer;
	let arxiv: ReplayServer;
	const cookies: Record<string, string> = {};
	const today = dayOf(new Date());
	const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
	const fresh = ['2611.00011', '2611.00012', '2611.00013', '2611.00014'];

	const api = (member: string | null, body: unknown, headers: Record<string, string> = {}) =>
		fetch(`${server.url}/api/papers/submit`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				...(member ? { cookie: `dp_session=${cookies[member]}` } : {}),
				...headers
			},
			body: typeof body === 'string' ? body : JSON.stringify(body)
		});
	// The site's own origin is its public one (DP_PUBLIC_URL, by default http://localhost:<PORT>).
	const ownOrigin = () => `http://localhost:${new URL(server.url).port}`;
	const form = (member: string | null, reference: string, origin = ownOrigin()) =>
		fetch(`${server.url}/submit`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				// As a browser sends it; with */* SvelteKit answers a form action in JSON.
				accept: 'text/html,application/xhtml+xml',
				origin,
				...(member ? { cookie: `dp_session=${cookies[member]}` } : {})
			},
			body: new URLSearchParams({ reference })
		});
	const page = (path: string, member: string | null = null) =>
		fetch(`${server.url}${path}`, {
			redirect: 'manual',
			headers: member ? { cookie: `dp_session=${cookies[member]}` } : {}
		});

	beforeAll(async () => {
		arxiv = await startReplayServer(
			(url) => recordings.get(recordingKey(url.searchParams)) ?? EMPTY_FEED
		);
		server = await startAppServer([writeFeedFixture()], {
			database: database().env,
			env: { DP_ARXIV_API_URL: `${arxiv.url}/api/query`, DP_SUBMIT_DAILY_LIMIT: '2' }
		});
		const { db } = database().store;
		await addMembers(db, ['alice', 'bob', 'carol']);
		for (const id of ['alice', 'bob', 'carol']) cookies[id] = (await startSession(db, id)).token;
		await savePapers(
			db,
			fresh.map((id, i) =>
				makePaper({ id, title: `Fresh paper ${i + 1}`, publishedAt: hoursAgo(5 + i) })
			)
		);
	});

	afterAll(async () => {
		await server?.stop();
		await arxiv?.close();
	});

	it('asks who is submitting: 401 JSON from the API, the sign-in page (back to /submit) from the form', async () => {
		const response = await api(null, { arxivId: fresh[0] });
		expect(response.status).toBe(401);
		expect(((await response.json()) as HfEntry).error).toBe('Sign in to do this.');
		for (const response of [await page('/submit'), await form(null, fresh[0])]) {
			expect(response.status).toBe(303);
			expect(response.headers.get('location')).toBe('/signin?next=%2Fsubmit');
		}
	});

	it('shows the form and the rules to a member', async () => {
		const response = await page('/submit', 'alice');
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toContain('name="reference"');
		expect(html).toContain('within the last 14');
		expect(html).toContain('up to 2 papers per day');
	});

	it('refuses what is not an arXiv id, keeping the input next to the reason', async () => {
		const response = await api('alice', { arxivId: 'javascript:alert(1)' });
		expect(response.status).toBe(400);
		expect(((await response.json()) as HfEntry).error).toBe(PAPER_REFERENCE_HELP);

		const hostile = '"><script>alert(1)</script>';
		const refused = await form('alice', hostile);
		expect(refused.status).toBe(400);
		const html = await refused.text();
		expect(html).toContain('value="&quot;>&lt;script>alert(1)&lt;/script>"');
		expect(html).not.toContain('<script>alert(1)</script>');
		expect(html).toContain('role="alert"');

		for (const [body, message] of [
			['not json', 'The body must be JSON, such as {"arxivId": "2406.01234"}.'],
			[{}, 'arxivId is required: send {"arxivId": "2406.01234"}'],
			[{ arxivId: 'x'.repeat(1001) }, 'arxivId must be at most 1,000 characters']
		] as const) {
			const bad = await api('alice', body);
			expect(bad.status).toBe(400);
			expect(((await bad.json()) as HfEntry).error).toBe(message);
		}
	});

	it('says arXiv has no such paper for an unknown id', async () => {
		const response = await api('alice', { arxivId: 'https://arxiv.org/abs/2611.99999' });
		expect(response.status).toBe(404);
		expect(((await response.json()) as HfEntry).error).toBe(
			'arXiv has no paper 2611.99999; check the id.'
		);
	});

	it('refuses a paper published too long ago, fetched from arXiv but not stored', async () => {
		const response = await api('alice', { arxivId: '1605.08386' });
		expect(response.status).toBe(400);
		expect(((await response.json()) as HfEntry).error).toMatch(
			/^1605\.08386 was first published on 2016-05-26, more than 14 days ago/
		);
		expect(arxiv.requests.some((u) => u.searchParams.get('id_list') === '1605.08386')).toBe(true);
		expect((await page('/api/papers/1605.08386')).status).toBe(404);
	});

	it('submits a paper: 201 with the entry in Hugging Face shape, the submitter as huggingface_hub reads it', async () => {
		const response = await api('alice', { arxivId: `arXiv:${fresh[0]}` });
		expect(response.status).toBe(201);
		const entry = (await response.json()) as HfEntry;
		expect(entry).toMatchObject({
			result: 'submitted',
			message: `Submitted ${fresh[0]} for ${today}.`,
			paper: { id: fresh[0], upvotes: 1 },
			submittedBy: { _id: 'alice', user: 'alice', fullname: 'alice', type: 'user' }
		});
		expect(entry.submittedBy?.avatarUrl).toMatch(/^http:\/\/localhost:\d+\/avatars\/alice\.svg$/);
		expect(entry.paper.submittedOnDailyBy).toEqual(entry.submittedBy);
	});

	it("merges a second member's submission into the first (200 from the API, the paper page says so after the form)", async () => {
		const viaForm = await form('bob', `https://huggingface.co/papers/${fresh[0]}`);
		expect(viaForm.status).toBe(303);
		expect(viaForm.headers.get('location')).toBe(`/papers/${fresh[0]}?submitted=upvoted`);
		const html = await (await page(`/papers/${fresh[0]}?submitted=upvoted`, 'bob')).text();
		expect(html).toContain(`Already submitted on ${today} by <bdi>alice</bdi>`);
		expect(html).toContain('your upvote was added.');

		const viaApi = await api('carol', { arxivId: fresh[0] });
		expect(viaApi.status).toBe(200);
		expect(await viaApi.json()).toMatchObject({
			result: 'merged',
			message: 'Already submitted today by alice — your upvote was added.',
			paper: { upvotes: 3 },
			submittedBy: { user: 'alice' }
		});
	});

	it('holds a member to the daily limit with 429 and Retry-After, writing nothing', async () => {
		expect((await api('alice', { arxivId: fresh[1] })).status).toBe(201);
		const refused = await api('alice', { arxivId: fresh[2] });
		expect(refused.status).toBe(429);
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(((await refused.json()) as HfEntry).error).toBe(
			'You have submitted 2 papers today, the daily limit; you can submit again after midnight UTC.'
		);
		const viaForm = await form('alice', fresh[2]);
		expect(viaForm.status).toBe(429);
		expect(viaForm.headers.get('retry-after')).not.toBeNull();
		expect(await viaForm.text()).toContain('the daily limit');
		const stored = (await (await page(`/api/papers/${fresh[2]}`)).json()) as HfEntry['paper'];
		expect(stored.submittedOnDailyBy).toBeUndefined();
	});

	it('takes a personal API token (Authorization: Bearer) and refuses a revoked one', async () => {
		const { db } = database().store;
		const token = await createApiToken(db, 'carol', 'script');
		const bearer = (arxivId: string) =>
			fetch(`${server.url}/api/papers/submit`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization: `Bearer ${token.token}` },
				body: JSON.stringify({ arxivId })
			});
		const submitted = await bearer(fresh[3]);
		expect(submitted.status).toBe(201);
		expect(await submitted.json()).toMatchObject({ submittedBy: { user: 'carol' } });
		await revokeToken(db, 'carol', token.id);
		const revoked = await bearer(fresh[2]);
		expect(revoked.status).toBe(401);
		expect(((await revoked.json()) as HfEntry).error).toBeTruthy();
		const stored = (await (await page(`/api/papers/${fresh[2]}`)).json()) as HfEntry['paper'];
		expect(stored.submittedOnDailyBy).toBeUndefined();
	});

	it('refuses a submission posted from a foreign origin (403), writing nothing', async () => {
		const foreign = await form('carol', fresh[2], 'https://evil.example');
		expect(foreign.status).toBe(403);
		const foreignApi = await api('carol', JSON.stringify({ arxivId: fresh[2] }), {
			origin: 'https://evil.example',
			'content-type': 'text/plain'
		});
		expect(foreignApi.status).toBe(403);
		expect(((await foreignApi.json()) as HfEntry).error).toBeTruthy();
		const stored = (await (await page(`/api/papers/${fresh[2]}`)).json()) as HfEntry['paper'];
		expect(stored.submittedOnDailyBy).toBeUndefined();
	});

	it("shows the submitter on the day's feed and the paper page: members linked with their avatar, imported names as they are", async () => {
		const feed = await (await page(`/papers?date=${today}`)).text();
		expect(feed).toContain('Fresh paper 1');
		// Svelte's hydration markers (<!--[0-->) may sit between the parts.
		expect(feed).toMatch(
			/Submitted by (?:<!--[^>]*-->)*<a class="member[^"]*" href="\/u\/alice"[^>]*><img class="avatar[^"]*" src="\/avatars\/alice\.svg"/
		);
		const paper = await (await page(`/papers/${fresh[0]}`)).text();
		expect(paper).toContain('href="/u/alice"');
		expect(paper).not.toContain('Already submitted');

		const imported = await (await page('/papers?date=2024-06-03')).text();
		expect(imported).toMatch(/Submitted by (?:<!--[^>]*-->)*<bdi[^>]*>Curator One<\/bdi>/);
		expect(imported).not.toContain('/u/Curator');
	});

	it('filters /api/daily_papers by submitter, case-insensitively, members and imported names', async () => {
		const all = (await (await page('/api/daily_papers?submitter=ALICE')).json()) as HfEntry[];
		expect(all.map((e) => e.paper.id).sort()).toEqual([fresh[0], fresh[1]]);
		const onDay = (await (
			await page(`/api/daily_papers?date=${today}&submitter=alice&sort=publishedAt`)
		).json()) as HfEntry[];
		expect(onDay.map((e) => e.paper.id)).toEqual([fresh[0], fresh[1]]);
		const curator = (await (
			await page('/api/daily_papers?submitter=curator%20one&limit=2')
		).json()) as HfEntry[];
		expect(curator).toHaveLength(2);
		expect(curator[0].submittedBy).toMatchObject({
			_id: null,
			user: 'Curator One',
			fullname: 'Curator One',
			avatarUrl: null,
			type: 'user'
		});
		expect(await (await page('/api/daily_papers?submitter=nobody')).json()).toEqual([]);
	});
});
