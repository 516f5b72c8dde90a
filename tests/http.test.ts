/** The built site over real HTTP: the JSON API's shapes and errors, and the feed views. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savePapers } from '../src/lib/server/papers/paper.service';
import { startAppServer, type RunningServer } from './support/app-server';
import { describeEachDialect } from './support/databases';
import { makePaper } from './support/fixtures';
import { HOSTILE_TITLE, writeFeedFixture } from './support/feed-fixture';

describeEachDialect('the built site over HTTP', (database) => {
	let server: RunningServer;

	beforeAll(async () => {
		server = await startAppServer([writeFeedFixture()], { database: database().env });
	});

	afterAll(async () => {
		await server?.stop();
	});

	const get = (path: string) => fetch(`${server.url}${path}`);

	describe('GET /api/daily_papers', () => {
		it('answers the latest day in the Hugging Face shape, most upvoted first', async () => {
			const response = await get('/api/daily_papers');
			expect(response.status).toBe(200);
			expect(response.headers.get('x-feed-date')).toBe('2024-06-04');
			const body = (await response.json()) as { paper: { id: string; upvotes: number } }[];
			expect(body.map((e) => e.paper.id)).toEqual(['2406.00004', '2406.00005']);
			expect(body[0]).toMatchObject({
				paper: {
					id: '2406.00004',
					title: 'Newest day, most upvoted',
					upvotes: 99,
					authors: [
						{ name: 'Grace Hopper', hidden: false },
						{ name: 'Edsger Dijkstra', hidden: false }
					],
					githubRepo: 'https://github.com/example/repo',
					githubStars: 12,
					ai_summary: 'A summary.',
					ai_keywords: ['things', 'stuff'],
					submittedOnDailyBy: { fullname: 'Curator One' }
				},
				// Hugging Face's 2 comments cannot be read here: the count is of comments posted here.
				numComments: 0,
				submittedBy: { fullname: 'Curator One' }
			});
		});

		it('pages through a day with limit and p', async () => {
			const first = (await (
				await get('/api/daily_papers?date=2024-06-03&limit=2&p=0')
			).json()) as unknown[];
			const second = (await (
				await get('/api/daily_papers?date=2024-06-03&limit=2&p=1')
			).json()) as unknown[];
			expect(first).toHaveLength(2);
			expect(second).toHaveLength(1);
		});

		it.each([
			['date=2024-02-30', 'date'],
			['date=yesterday', 'date'],
			['limit=0', 'limit'],
			['limit=101', 'limit'],
			['p=-1', 'p'],
			['limit=ten', 'limit'],
			['sort=random', 'sort'],
			['limit=1&limit=2', 'limit']
		])('rejects %s with a 400 JSON error naming %s', async (query, name) => {
			const response = await get(`/api/daily_papers?${query}`);
			expect(response.status).toBe(400);
			expect(response.headers.get('content-type')).toContain('application/json');
			const body = (await response.json()) as { error: string };
			expect(body.error).toContain(name);
		});
	});

	describe('GET /api/papers/{id}', () => {
		it('finds a paper with or without a version', async () => {
			for (const id of ['2406.00002', '2406.00002v3']) {
				const response = await get(`/api/papers/${id}`);
				expect(response.status).toBe(200);
				expect(await response.json()).toMatchObject({ id: '2406.00002', title: HOSTILE_TITLE });
			}
		});

		it('answers 404 with a JSON error for unknown and malformed ids', async () => {
			for (const id of ['2406.99999', 'hep-th/9901001', 'not-an-id', '%3Cscript%3E']) {
				const response = await get(`/api/papers/${id}`);
				expect(response.status, id).toBe(404);
				expect(((await response.json()) as { error: string }).error.length).toBeGreaterThan(0);
			}
		});
	});

	describe('feed pages', () => {
		it('shows a week and a month with the papers of all their days', async () => {
			for (const query of ['week=2024-W23', 'month=2024-06']) {
				const html = await (await get(`/papers?${query}`)).text();
				expect(html).toContain('5 papers');
				// The most upvoted paper of the span comes first.
				expect(html.indexOf('2406.00004')).toBeLessThan(html.indexOf('2406.00001'));
			}
		});

		it('escapes hostile titles in the HTML', async () => {
			const html = await (await get('/papers?date=2024-06-03')).text();
			expect(html).not.toContain('<script>alert(1)</script>');
			expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp;');
		});

		it.each([
			'date=2024-13-01',
			'week=2024-W60',
			'month=2024-1',
			'date=2024-06-03&week=2024-W23',
			'p=x'
		])('answers %s with a 400 page', async (query) => {
			expect((await get(`/papers?${query}`)).status).toBe(400);
		});

		it('serves old-style and versioned paper URLs, and 404 for unknown ones', async () => {
			expect((await get('/papers/2406.00001v2')).status).toBe(200);
			expect((await get('/papers/hep-th/9901001')).status).toBe(404);
			// A second writer (as the CLI would be) adds an old-style paper to the same database.
			await savePapers(database().store.db, [
				makePaper({ id: 'hep-th/9901001', version: 2, title: 'Old style' })
			]);
			for (const path of ['/papers/hep-th/9901001', '/papers/hep-th/9901001v1']) {
				const html = await (await get(path)).text();
				expect(html).toContain('arXiv:hep-th/9901001v2');
				expect(html).toContain('href="https://arxiv.org/abs/hep-th/9901001"');
			}
			expect((await get('/api/papers/hep-th/9901001')).status).toBe(200);
		});

		it('shows the arXiv bibliography: accents as letters, report number, license by name', async () => {
			await savePapers(database().store.db, [
				makePaper({
					id: '0704.0002',
					title: 'Sparsity-certifying graph decompositions of Erd{\\H{o}}s type',
					reportNo: 'ANL-HEP-PR-07-12',
					license: 'https://creativecommons.org/licenses/by-nc-sa/4.0/'
				})
			]);
			const html = await (await get('/papers/0704.0002')).text();
			expect(html).toContain(
				'<title>Sparsity-certifying graph decompositions of Erdős type — Daily Papers</title>'
			);
			expect(html).toMatch(/Report number<\/dt> <dd[^>]*>ANL-HEP-PR-07-12<\/dd>/);
			expect(html).toContain('href="https://creativecommons.org/licenses/by-nc-sa/4.0/"');
			expect(html).toContain('>CC BY-NC-SA 4.0</a>');
		});
	});
});
