import { expect, it } from 'vitest';
import { describeEachDialect } from '$support/databases';
import { addMembers, makePaper } from '$support/fixtures';
import { trendingScore } from '$lib/core/trending';
import { savePapers } from '../papers/paper.service';
import { postComment } from '../discussion/comment.service';
import { castVote } from '../votes/vote.service';
import { loadTrendingPage, refreshTrending } from './trending.service';

const now = new Date('2030-01-31T12:00:00.000Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();

describeEachDialect('the trending windows', (get) => {
	const papers = [
		// Fresh with few votes: first on the day.
		makePaper({ id: '3001.00001', sourceUpvotes: 5, numComments: 0, publishedAt: hoursAgo(3) }),
		// Many votes, three days old: out of the day, in the week. Hugging Face's 40 comments
		// cannot be read here and do not count; the 2 posted here do.
		makePaper({ id: '3001.00002', sourceUpvotes: 100, numComments: 40, publishedAt: hoursAgo(72) }),
		// Members' votes count: 1 + 3 beats 2 at the same age.
		makePaper({ id: '3001.00003', sourceUpvotes: 1, numComments: 0, publishedAt: hoursAgo(10) }),
		makePaper({ id: '3001.00004', sourceUpvotes: 2, numComments: 0, publishedAt: hoursAgo(10) }),
		// Twenty days old: month only.
		makePaper({ id: '3001.00005', sourceUpvotes: 500, numComments: 0, publishedAt: hoursAgo(480) }),
		// Older than a month: never scanned.
		makePaper({
			id: '3001.00006',
			sourceUpvotes: 9999,
			numComments: 0,
			publishedAt: hoursAgo(24 * 40)
		})
	];

	async function seed() {
		const { db } = get().store;
		await savePapers(db, papers);
		await addMembers(db, ['m1', 'm2', 'm3']);
		for (const member of ['m1', 'm2', 'm3'])
			await castVote(db, { paperId: '3001.00003', memberId: member });
		for (const body of ['First', 'Second'])
			await postComment(db, { paperId: '3001.00002', memberId: 'm1', body });
	}
	const readableComments = (id: string) => (id === '3001.00002' ? 2 : 0);

	it('says it has not run yet before the first run', async () => {
		const page = await loadTrendingPage(get().store.db, 'week', 0, 10);
		expect(page).toEqual({ papers: [], total: 0, computedAt: null });
	});

	it('ranks each window by the formula with a fixed now, and re-running stores the same rows', async () => {
		const { db } = get().store;
		await seed();
		const counts = await refreshTrending(db, { now });
		expect(counts).toEqual({ day: 3, week: 4, month: 5 });

		const expected = (ids: string[]) =>
			ids
				.map((id) => {
					const p = papers.find((x) => x.id === id)!;
					const upvotes = (p.sourceUpvotes ?? 0) + (id === '3001.00003' ? 3 : 0);
					return {
						id,
						score: trendingScore(
							{ upvotes, comments: readableComments(id), publishedAt: p.publishedAt },
							now
						)
					};
				})
				.sort((a, b) => b.score - a.score)
				.map((x) => x.id);

		const day = await loadTrendingPage(db, 'day', 0, 10);
		expect(day.papers.map((p) => p.id)).toEqual(['3001.00001', '3001.00003', '3001.00004']);
		expect(day.papers.map((p) => p.id)).toEqual(
			expected(['3001.00001', '3001.00003', '3001.00004'])
		);
		expect(day.computedAt).toBe(now.toISOString());
		expect(day.papers[1]).toMatchObject({ upvotes: 4, trendingRank: 2 });

		const month = await loadTrendingPage(db, 'month', 0, 10);
		const monthIds = ['3001.00001', '3001.00002', '3001.00003', '3001.00004', '3001.00005'];
		expect(month.papers.map((p) => p.id)).toEqual(expected(monthIds));
		expect(month.total).toBe(5);

		// The second page of size 2 continues where page 1 stopped.
		const week2 = await loadTrendingPage(db, 'week', 1, 2);
		const weekAll = await loadTrendingPage(db, 'week', 0, 10);
		expect(week2.papers.map((p) => p.id)).toEqual(weekAll.papers.slice(2, 4).map((p) => p.id));

		const rows = () =>
			db.selectFrom('trending_scores').selectAll().orderBy('window').orderBy('rank').execute();
		const before = await rows();
		await refreshTrending(db, { now });
		expect(await rows()).toEqual(before);
		expect(before).toHaveLength(3 + 4 + 5);
	});

	it('writes nothing on a dry run', async () => {
		const { db } = get().store;
		await seed();
		const rows = () =>
			db.selectFrom('trending_scores').selectAll().orderBy('window').orderBy('rank').execute();
		const before = await rows();
		// A later now would change every score.
		const later = new Date(now.getTime() + 5 * 3_600_000);
		expect(await refreshTrending(db, { now: later, dryRun: true })).toMatchObject({ week: 4 });
		expect(await rows()).toEqual(before);
	});
});
