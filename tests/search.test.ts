/** Search over real HTTP against the built site: API shape, operators, limits, freshness, rebuild. */
import fs from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savePapers } from '../src/lib/server/papers/paper.service';
import { startAppServer, type RunningServer } from './support/app-server';
import { describeEachDialect } from './support/databases';
import { writeFeedFixture } from './support/feed-fixture';
import { makePaper } from './support/fixtures';

describeEachDialect('search over HTTP', (database) => {
	let server: RunningServer;

	beforeAll(async () => {
		server = await startAppServer([writeFeedFixture()], { database: database().env });
		await savePapers(database().store.db, [
			makePaper({
				id: '2407.00001',
				title: 'Retrieval-augmented generation versus fine-tuning for domain QA',
				abstract:
					'We compare retrieval augmented generation with fine-tuning on domain question answering.',
				authors: ['Yann LeCun', 'Ada Lovelace'],
				categories: ['cs.CL', 'cs.IR'],
				publishedAt: '2024-07-01T00:00:00.000Z',
				sourceUpvotes: 50
			}),
			makePaper({
				id: '2407.00002',
				title: 'A survey of fine-tuning',
				abstract: 'A survey of parameter-efficient fine-tuning such as LoRA adapters.',
				authors: ['Grace Hopper'],
				categories: ['cs.LG'],
				publishedAt: '2023-03-01T00:00:00.000Z',
				sourceUpvotes: 5
			}),
			makePaper({
				id: '2407.00003',
				title: 'Generation of tuning forks',
				abstract: 'Fine acoustic tuning of forks; retrieval of sound.',
				authors: ['Alan Turing'],
				categories: ['physics.class-ph'],
				publishedAt: '2024-08-01T00:00:00.000Z',
				sourceUpvotes: 1
			})
		]);
		await waitForSearchable('2407.00003', 'forks');
	});

	afterAll(async () => {
		await server?.stop();
	});

	type Entry = { paper: { id: string }; title: string; score: number };

	async function search(
		q: string,
		extra = ''
	): Promise<{ status: number; ids: string[]; body: unknown }> {
		const response = await fetch(
			`${server.url}/api/papers/search?q=${encodeURIComponent(q)}${extra}`
		);
		const body = (await response.json()) as unknown;
		const ids = Array.isArray(body) ? (body as Entry[]).map((e) => e.paper.id) : [];
		return { status: response.status, ids, body };
	}

	async function waitForSearchable(id: string, q: string, deadlineMs = 2000): Promise<number> {
		const started = Date.now();
		for (;;) {
			if ((await search(q)).ids.includes(id)) return Date.now() - started;
			if (Date.now() - started > deadlineMs)
				throw new Error(`${id} not searchable for "${q}" after ${deadlineMs} ms`);
			await new Promise((r) => setTimeout(r, 50));
		}
	}

	describe('GET /api/papers/search', () => {
		it('ranks by relevance and answers in the HF entry shape', async () => {
			const { status, ids, body } = await search('retrieval augmented generation fine-tuning');
			expect(status).toBe(200);
			expect(ids[0]).toBe('2407.00001');
			expect((body as Entry[])[0]).toMatchObject({
				paper: {
					id: '2407.00001',
					authors: [
						{ name: 'Yann LeCun', hidden: false },
						{ name: 'Ada Lovelace', hidden: false }
					]
				},
				title: 'Retrieval-augmented generation versus fine-tuning for domain QA'
			});
		});

		it('understands phrases, exclusions, authors, categories, years and sort', async () => {
			expect((await search('"fine-tuning for domain"')).ids).toEqual(['2407.00001']);
			expect((await search('fine-tuning -survey')).ids).not.toContain('2407.00002');
			expect((await search('fine-tuning author:"Yann LeCun"')).ids).toEqual(['2407.00001']);
			expect((await search('author:lecun')).ids).toEqual(['2407.00001']);
			expect((await search('tuning cat:cs')).ids.sort()).toEqual(['2407.00001', '2407.00002']);
			expect((await search('tuning cat:physics.class-ph')).ids).toEqual(['2407.00003']);
			expect((await search('tuning year:2023')).ids).toEqual(['2407.00002']);
			expect((await search('tuning after:2024-07-15')).ids).toEqual(['2407.00003']);
			expect((await search('tuning sort:date')).ids.slice(0, 2)).toEqual([
				'2407.00003',
				'2407.00001'
			]);
			expect((await search('tuning sort:upvotes')).ids[0]).toBe('2407.00001');
		});

		it('puts the paper first for a pasted id or URL', async () => {
			for (const q of [
				'2407.00002',
				'2407.00002v3',
				'https://arxiv.org/abs/2407.00002',
				'https://huggingface.co/papers/2407.00002'
			]) {
				expect((await search(q)).ids[0], q).toBe('2407.00002');
			}
		});

		it('suggests a respelling when a misspelled word finds little', async () => {
			const response = await fetch(
				`${server.url}/api/papers/search?q=${encodeURIComponent('retreival forkss')}`
			);
			expect(decodeURIComponent(response.headers.get('x-suggestion') ?? '')).toBe(
				'retrieval forks'
			);
			const html = await (await fetch(`${server.url}/search?q=quasicrystalline`)).text();
			expect(html).not.toContain('Did you mean');
			const page = await (
				await fetch(`${server.url}/search?q=${encodeURIComponent('tunnig forkss')}`)
			).text();
			expect(page).toContain('Did you mean');
		});

		it.each([
			['limit=0', 'limit'],
			['limit=101', 'limit'],
			['offset=1001', 'offset'],
			['offset=-1', 'offset'],
			['page=2', 'page']
		])('rejects %s with a 400 JSON error', async (extra, name) => {
			const { status, body } = await search('tuning', `&${extra}`);
			expect(status).toBe(400);
			expect((body as { error: string }).error).toContain(name);
		});

		it('answers any query string with results or an empty list, never a 500', async () => {
			const hostile = [
				'"unbalanced',
				'*',
				'NEAR(a b',
				"'; DROP TABLE papers; --",
				'\u0000\u0007',
				'🚀 ∑',
				'مرحبا',
				'x'.repeat(9000)
			];
			for (const q of hostile) expect((await search(q)).status, q).toBe(200);
			await fc.assert(
				fc.asyncProperty(fc.string({ maxLength: 200 }), async (q) => {
					expect((await search(q)).status).toBe(200);
				}),
				{ numRuns: 60 }
			);
		});
	});

	describe('freshness and rebuild', () => {
		it('makes a paper written to the store searchable within 2 seconds', async () => {
			await savePapers(database().store.db, [
				makePaper({ id: '2407.00009', title: 'Quasicrystalline zebrafish', abstract: 'Zebrafish.' })
			]);
			expect(await waitForSearchable('2407.00009', 'quasicrystalline')).toBeLessThanOrEqual(2000);
		});

		it('rebuilds a deleted index folder on restart', async () => {
			const dir = server.dir;
			await server.stop({ keepFiles: true });
			expect(fs.existsSync(`${server.indexDir}/state.json`)).toBe(true);
			fs.rmSync(server.indexDir, { recursive: true, force: true });
			server = await startAppServer([], { dir, database: database().env });
			expect((await search('quasicrystalline')).ids).toEqual(['2407.00009']);
			expect(fs.existsSync(`${server.indexDir}/state.json`)).toBe(true);
		});
	});

	describe('similar papers', () => {
		it('lists neighbours without the paper itself, and 404 for unknown ids', async () => {
			const response = await fetch(`${server.url}/api/papers/2407.00001/similar?limit=5`);
			expect(response.status).toBe(200);
			const ids = ((await response.json()) as { id: string }[]).map((p) => p.id);
			expect(ids).not.toContain('2407.00001');
			// The tuning-forks paper shares four stems (retrieval, generation, fine, tuning), the survey two.
			expect(ids.slice(0, 2)).toEqual(['2407.00003', '2407.00002']);
			expect((await fetch(`${server.url}/api/papers/2499.99999/similar`)).status).toBe(404);
			expect((await fetch(`${server.url}/api/papers/2407.00001/similar?limit=99`)).status).toBe(
				400
			);
		});

		it('shows them on the paper page', async () => {
			const html = await (await fetch(`${server.url}/papers/2407.00001`)).text();
			expect(html).toContain('Similar papers');
			expect(html).toContain('/papers/2407.00002');
		});

		// Regression: names in <bdi> lost the space after their commas ("Yann LeCun,Ada Lovelace").
		it('separates author names with a comma and a space on the search and paper pages', async () => {
			const text = (html: string) => html.replace(/<[^>]*>/g, '').replace(/<!--.*?-->/g, '');
			const searchPage = await (
				await fetch(`${server.url}/search?q=${encodeURIComponent('retrieval augmented')}`)
			).text();
			expect(text(searchPage)).toContain('Yann LeCun, Ada Lovelace');
			const paperPage = await (await fetch(`${server.url}/papers/2407.00002`)).text();
			expect(text(paperPage)).toContain('Yann LeCun, Ada Lovelace');
		});
	});
});
