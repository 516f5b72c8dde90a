/**
 * Hugging Face compatibility over real HTTP: HF's period paths redirect to our feed, and
 * `GET /api/daily_papers` takes the parameter names `huggingface_hub`'s `HfApi.list_daily_papers` sends.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type RunningServer } from './support/app-server';
import { describeEachDialect } from './support/databases';
import { makeHfEntry } from './support/fixtures';

// 2024-06-03 is the Monday of ISO week 2024-W23. Upvote order (A, B, C) is the reverse of
// publication order (C, B, A), so the two sorts are told apart.
function writeHfFixture(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-hf-compat-'));
	const monday = [
		makeHfEntry('2406.10001', { upvotes: 50, publishedAt: '2024-06-01T10:00:00.000Z' }),
		makeHfEntry('2406.10002', { upvotes: 5, publishedAt: '2024-06-02T10:00:00.000Z' })
	];
	const tuesday = [
		makeHfEntry('2406.10003', { upvotes: 1, publishedAt: '2024-06-03T10:00:00.000Z' })
	];
	fs.writeFileSync(path.join(dir, '2024-06-03.json'), JSON.stringify(monday));
	fs.writeFileSync(path.join(dir, '2024-06-04.json'), JSON.stringify(tuesday));
	return dir;
}

describeEachDialect("Hugging Face's URLs and parameters", (database) => {
	let server: RunningServer;

	beforeAll(async () => {
		server = await startAppServer([writeHfFixture()], { database: database().env });
	});

	afterAll(async () => {
		await server?.stop();
	});

	const get = (pathAndQuery: string) =>
		fetch(`${server.url}${pathAndQuery}`, { redirect: 'manual' });

	const ids = async (query: string) => {
		const response = await get(`/api/daily_papers?${query}`);
		expect(response.status, query).toBe(200);
		return ((await response.json()) as { paper: { id: string } }[]).map((e) => e.paper.id);
	};

	describe('period paths', () => {
		it.each([
			['/papers/date/2024-06-03', '/papers?date=2024-06-03'],
			['/papers/week/2024-W23', '/papers?week=2024-W23'],
			['/papers/month/2024-06', '/papers?month=2024-06']
		])('redirects %s permanently to %s', async (hfPath, ours) => {
			const response = await get(hfPath);
			expect(response.status).toBe(308);
			expect(response.headers.get('location')).toBe(ours);
			const feed = await get(ours);
			expect(feed.status).toBe(200);
			expect(await feed.text()).toContain('2406.10001');
		});

		it.each(['/papers/date/2024-02-30', '/papers/week/2024-W54', '/papers/month/2024-13'])(
			'answers %s with the same 400 the feed gives',
			async (hfPath) => {
				const response = await get(hfPath);
				expect(response.status).toBe(400);
				const feed = await get('/papers?date=2024-02-30');
				expect(feed.status).toBe(400);
				const message = 'Use date=YYYY-MM-DD, week=YYYY-Www or month=YYYY-MM';
				expect(await response.text()).toContain(message);
				expect(await feed.text()).toContain(message);
			}
		);

		it('leaves other two-segment paths to the paper page', async () => {
			// Old-style arXiv ids hold a slash; an unknown one is the paper page's 404, not a 400.
			expect((await get('/papers/hep-th/9901001')).status).toBe(404);
			expect((await get('/papers/2406.10001')).status).toBe(200);
		});
	});

	describe('GET /api/daily_papers with list_daily_papers parameters', () => {
		it('answers a day, a week and a month, most upvoted first', async () => {
			expect(await ids('date=2024-06-03')).toEqual(['2406.10001', '2406.10002']);
			expect(await ids('week=2024-W23')).toEqual(['2406.10001', '2406.10002', '2406.10003']);
			expect(await ids('month=2024-06')).toEqual(['2406.10001', '2406.10002', '2406.10003']);
			expect(await ids('month=2024-05')).toEqual([]);
		});

		it('orders by publication date, newest first, with sort=publishedAt', async () => {
			expect(await ids('week=2024-W23&sort=publishedAt')).toEqual([
				'2406.10003',
				'2406.10002',
				'2406.10001'
			]);
		});

		it('pages with p and limit', async () => {
			expect(await ids('week=2024-W23&limit=1&p=0')).toEqual(['2406.10001']);
			expect(await ids('week=2024-W23&limit=1&p=1')).toEqual(['2406.10002']);
			expect(await ids('week=2024-W23&limit=2&p=1&sort=publishedAt')).toEqual(['2406.10001']);
			expect(await ids('week=2024-W23&limit=1&p=999')).toEqual([]);
		});

		it.each([
			['week=2024-W54', 'week must be an ISO week written YYYY-Www'],
			['month=2024-13', 'month must be a month written YYYY-MM'],
			['sort=new', 'sort must be publishedAt'],
			['date=2024-06-03&week=2024-W23', 'Ask for one of date, week or month.']
		])('refuses %s with a 400 that says why', async (query, message) => {
			const response = await get(`/api/daily_papers?${query}`);
			expect(response.status).toBe(400);
			expect(JSON.stringify(await response.json())).toContain(message);
		});
	});

	describe('the feed page around it', () => {
		it('keeps the selected day across the Day, Week and Month tabs', async () => {
			const tabHref = (html: string, name: string) =>
				new RegExp(`href="([^"]*)"[^>]*>${name}</a`).exec(html)?.[1]?.replaceAll('&amp;', '&');
			// Tuesday 4 June: the Week and Month tabs carry it, and their Day tab comes back to it.
			const dayHtml = await (await get('/papers?date=2024-06-04')).text();
			const weekHref = tabHref(dayHtml, 'Week');
			const monthHref = tabHref(dayHtml, 'Month');
			expect(weekHref).toBe('/papers?week=2024-W23&day=2024-06-04');
			expect(monthHref).toBe('/papers?month=2024-06&day=2024-06-04');
			for (const href of [weekHref!, monthHref!]) {
				const response = await get(href);
				expect(response.status).toBe(200);
				const html = await response.text();
				expect(tabHref(html, 'Day')).toBe('/papers?date=2024-06-04');
			}
			// Without a selected day a week still opens its Monday, as before.
			expect(tabHref(await (await get('/papers?week=2024-W23')).text(), 'Day')).toBe(
				'/papers?date=2024-06-03'
			);
		});

		it.each([
			'week=2024-W23&day=2024-06-10',
			'month=2024-06&day=2024-07-01',
			'date=2024-06-04&day=2024-06-04',
			'day=2024-06-04',
			'week=2024-W23&day=2024-02-30'
		])('refuses %s (a selected day outside what is shown) with a 400', async (query) => {
			expect((await get(`/papers?${query}`)).status).toBe(400);
		});

		it('says what the pages are ordered by', async () => {
			const html = await (await get('/papers?week=2024-W23')).text();
			expect(html).toContain('3 papers, most upvoted first');
		});

		it('answers an out-of-range page with a clear message, never "page 1000 of 1"', async () => {
			const response = await get('/papers?week=2024-W23&p=999');
			expect(response.status).toBe(200);
			const html = await response.text();
			expect(html).toContain('There is no page 1000: this week has 1 page of papers.');
			expect(html).toContain('href="/papers?week=2024-W23"');
			expect(html).not.toMatch(/page 1000 of/);
			expect(html).not.toContain('No papers were picked in this week');
		});
	});
});
