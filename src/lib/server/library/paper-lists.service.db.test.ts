import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '$support/databases';
import { addMembers, makePaper } from '$support/fixtures';
import { BadRequestError, NotFoundError } from '../errors';
import { savePapers } from '../papers/paper.service';
import { castVote } from '../votes/vote.service';
import { loadAuthorPage, loadCategoryPage } from './paper-lists.service';

describeEachDialect('author and category pages', (get) => {
	const day = (d: number) => `2025-03-${String(d).padStart(2, '0')}T12:00:00.000Z`;
	const papers = [
		makePaper({
			authors: ['Kurt Gödel', 'Alonzo Church'],
			categories: ['math.LO', 'cs.LO'],
			publishedAt: day(1),
			sourceUpvotes: 4
		}),
		makePaper({
			authors: ['Kurt Gödel', 'Alonzo Church', 'Alan M. Turing'],
			categories: ['cs.LO'],
			publishedAt: day(2),
			sourceUpvotes: 1
		}),
		makePaper({
			authors: ['Kurt Gödel'],
			categories: ['math.LO'],
			publishedAt: day(3),
			sourceUpvotes: 0
		}),
		// Another spelling: another page; a paper that is hidden counts nowhere.
		makePaper({ authors: ['K. Gödel'], categories: ['math.LO'], publishedAt: day(4) }),
		makePaper({
			authors: ['Kurt Gödel', 'Hidden Coauthor'],
			categories: ['math.LO'],
			publishedAt: day(5),
			sourceUpvotes: 100
		})
	];

	beforeAll(async () => {
		const { db } = get().store;
		await addMembers(db, ['voter']);
		await savePapers(db, papers);
		await castVote(db, { paperId: papers[1].id, memberId: 'voter' });
		await db
			.updateTable('papers')
			.set({ hidden_at: day(6) })
			.where('id', '=', papers[4].id)
			.execute();
	});

	it("lists an author's papers newest first with co-authors and upvotes, hidden papers left out", async () => {
		const { db } = get().store;
		const page = await loadAuthorPage(db, 'Kurt Gödel', { page: 0, pageSize: 2 });
		expect(page.papers.map((p) => p.id)).toEqual([papers[2].id, papers[1].id]);
		expect(page.total).toBe(3);
		// 4 + (1 + one member's vote) + 0; the hidden paper's 100 do not count.
		expect(page.upvotes).toBe(6);
		expect(page.coauthors).toEqual([
			{ name: 'Alonzo Church', papers: 2 },
			{ name: 'Alan M. Turing', papers: 1 }
		]);
		const next = await loadAuthorPage(db, 'Kurt Gödel', { page: 1, pageSize: 2 });
		expect(next.papers.map((p) => p.id)).toEqual([papers[0].id]);
		expect((await loadAuthorPage(db, 'Kurt Gödel', { page: 9, pageSize: 2 })).papers).toEqual([]);
		expect((await loadAuthorPage(db, 'K. Gödel', { page: 0, pageSize: 2 })).total).toBe(1);
	});

	it('answers 404 for a name no visible paper carries', async () => {
		const { db } = get().store;
		for (const name of ['kurt gödel', 'Hidden Coauthor', 'Nobody', 'x'.repeat(400)]) {
			await expect(loadAuthorPage(db, name, { page: 0, pageSize: 2 })).rejects.toBeInstanceOf(
				NotFoundError
			);
		}
	});

	it('lists a category newest first, says whether more follow, and refuses bad or empty ones', async () => {
		const { db } = get().store;
		const first = await loadCategoryPage(db, 'math.LO', { page: 0, pageSize: 2 });
		expect(first.papers.map((p) => p.id)).toEqual([papers[3].id, papers[2].id]);
		expect(first.hasMore).toBe(true);
		const second = await loadCategoryPage(db, 'math.LO', { page: 1, pageSize: 2 });
		expect(second).toMatchObject({ hasMore: false });
		expect(second.papers.map((p) => p.id)).toEqual([papers[0].id]);
		expect((await loadCategoryPage(db, 'math.LO', { page: 7, pageSize: 2 })).papers).toEqual([]);
		// `math.L` is a prefix of math.LO, not the category; categories are case-sensitive.
		await expect(loadCategoryPage(db, 'math.lo', { page: 0, pageSize: 2 })).rejects.toBeInstanceOf(
			NotFoundError
		);
		await expect(loadCategoryPage(db, 'math.L', { page: 0, pageSize: 2 })).rejects.toBeInstanceOf(
			NotFoundError
		);
		await expect(loadCategoryPage(db, 'cs CL"', { page: 0, pageSize: 2 })).rejects.toBeInstanceOf(
			BadRequestError
		);
	});
});
