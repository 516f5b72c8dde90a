/** /trending and `GET /api/daily_papers?sort=trending` over real HTTP, on both dialects. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { savePapers } from '../src/lib/server/papers/paper.service';
import { refreshTrending } from '../src/lib/server/trending/trending.service';
import { startAppServer, type RunningServer } from './support/app-server';
import { describeEachDialect } from './support/databases';
import { makePaper } from './support/fixtures';
import { writeFeedFixture } from './support/feed-fixture';

describeEachDialect('trending over HTTP', (database) => {
	let server: RunningServer;
	const get = (path: string) => fetch(`${server.url}${path}`);
	// Relative to the real clock: the app's own scheduler may refresh the windows too,
	// and the scores below are far enough apart that it ranks them the same.
	const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

	beforeAll(async () => {
		server = await startAppServer([writeFeedFixture()], { database: database().env });
		await savePapers(database().store.db, [
			makePaper({
				id: '2611.00001',
				title: 'Fresh and liked',
				sourceUpvotes: 40,
				publishedAt: hoursAgo(2)
			}),
			makePaper({
				id: '2611.00002',
				title: 'Fresh, fewer votes',
				sourceUpvotes: 4,
				publishedAt: hoursAgo(3)
			}),
			makePaper({
				id: '2611.00003',
				title: 'Five days old',
				sourceUpvotes: 300,
				publishedAt: hoursAgo(120)
			})
		]);
		await refreshTrending(database().store.db, { now: new Date() });
	});

	afterAll(async () => {
		await server?.stop();
	});

	it('shows the day, week and month windows as tabs, ranked by score', async () => {
		const day = await get('/trending?window=day');
		expect(day.status).toBe(200);
		const dayHtml = await day.text();
		expect(dayHtml).toContain('href="/trending?window=week"');
		expect(dayHtml).toContain('href="/trending?window=month"');
		expect(dayHtml.indexOf('Fresh and liked')).toBeGreaterThan(-1);
		expect(dayHtml.indexOf('Fresh and liked')).toBeLessThan(dayHtml.indexOf('Fresh, fewer votes'));
		expect(dayHtml).not.toContain('Five days old');
		expect(dayHtml).toContain('ordered by trending score');

		const weekHtml = await (await get('/trending')).text();
		expect(weekHtml).toContain('Five days old');
		expect(weekHtml).toMatch(/3 papers published in the last 7 days/);
	});

	it("redirects Hugging Face's /papers/trending to /trending", async () => {
		const response = await fetch(`${server.url}/papers/trending`, { redirect: 'manual' });
		expect(response.status).toBe(308);
		expect(response.headers.get('location')).toBe('/trending?window=week');
	});

	it('says so for a page past the end, and refuses an unknown window', async () => {
		const past = await (await get('/trending?window=week&p=5')).text();
		expect(past).toContain('There is no page 6: trending has 1 page here.');
		expect((await get('/trending?window=year')).status).toBe(400);
	});

	it('answers ?sort=trending in the Hugging Face shape, paginated', async () => {
		const response = await get('/api/daily_papers?sort=trending');
		expect(response.status).toBe(200);
		expect(response.headers.get('x-total-count')).toBe('3');
		const body = (await response.json()) as { paper: { id: string; upvotes: number } }[];
		expect(body.map((e) => e.paper.id)).toEqual(['2611.00001', '2611.00002', '2611.00003']);
		expect(body[0]).toMatchObject({
			paper: { id: '2611.00001', upvotes: 40 },
			title: 'Fresh and liked'
		});

		const second = (await (await get('/api/daily_papers?sort=trending&limit=2&p=1')).json()) as {
			paper: { id: string };
		}[];
		expect(second.map((e) => e.paper.id)).toEqual(['2611.00003']);

		const latest = await get('/api/daily_papers?sort=publishedAt');
		expect(latest.status).toBe(200);
		expect(latest.headers.get('x-feed-date')).toBe('2024-06-04');

		const mixed = await get('/api/daily_papers?sort=trending&date=2024-06-03');
		expect(mixed.status).toBe(400);
		expect(((await mixed.json()) as { error: string }).error).toContain('sort=trending');
	});
});
