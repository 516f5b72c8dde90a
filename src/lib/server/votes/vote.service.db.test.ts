import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '$support/databases';
import { addMembers, makePaper } from '$support/fixtures';
import { ForbiddenError, NotFoundError } from '../errors';
import { listPickedPapers } from '../papers/daily-pick.repository';
import { currentSeq, findPaper, listChangesSince } from '../papers/paper.repository';
import { savePapers } from '../papers/paper.service';
import { countVoteRows, hasVoted } from './vote.repository';
import { castVote, retractVote, votedPaperIds } from './vote.service';

describeEachDialect('votes', (get) => {
	beforeAll(async () => {
		const concurrent = Array.from({ length: 12 }, (_, i) => `member-${i}`);
		await addMembers(get().store.db, [
			'm1',
			'm2',
			'never-voted',
			...concurrent,
			...concurrent.map((id) => `${id}-late`)
		]);
	});

	it('counts a second upvote from the same member once', async () => {
		const { db } = get().store;
		const paper = makePaper({ sourceUpvotes: 5 });
		await savePapers(db, [paper]);
		const first = await castVote(db, { paperId: paper.id, memberId: 'm1' });
		const second = await castVote(db, { paperId: paper.id, memberId: 'm1' });
		expect(first).toMatchObject({ voted: true, changed: true, memberUpvotes: 1, upvotes: 6 });
		expect(second).toMatchObject({ voted: true, changed: false, memberUpvotes: 1, upvotes: 6 });
		expect(await countVoteRows(db, paper.id)).toBe(1);
		expect(await findPaper(db, paper.id)).toMatchObject({
			sourceUpvotes: 5,
			memberUpvotes: 1,
			upvotes: 6
		});
	});

	it('takes a vote back on retract, and retracting again changes nothing', async () => {
		const { db } = get().store;
		const paper = makePaper({ sourceUpvotes: 2 });
		await savePapers(db, [paper]);
		await castVote(db, { paperId: paper.id, memberId: 'm1' });
		await castVote(db, { paperId: paper.id, memberId: 'm2' });
		const retracted = await retractVote(db, { paperId: paper.id, memberId: 'm1' });
		expect(retracted).toMatchObject({ voted: false, changed: true, memberUpvotes: 1, upvotes: 3 });
		expect(await hasVoted(db, { paperId: paper.id, memberId: 'm1' })).toBe(false);
		expect(await hasVoted(db, { paperId: paper.id, memberId: 'm2' })).toBe(true);
		const again = await retractVote(db, { paperId: paper.id, memberId: 'm1' });
		expect(again).toMatchObject({ changed: false, memberUpvotes: 1 });
		const never = await retractVote(db, { paperId: paper.id, memberId: 'never-voted' });
		expect(never).toMatchObject({ changed: false, memberUpvotes: 1 });
		// The member may vote again after taking the vote back.
		expect(await castVote(db, { paperId: paper.id, memberId: 'm1' })).toMatchObject({
			changed: true,
			memberUpvotes: 2
		});
	});

	it('keeps the count equal to the votes under concurrent casts and retracts', async () => {
		const { db } = get().store;
		const paper = makePaper();
		await savePapers(db, [paper]);
		const members = Array.from({ length: 12 }, (_, i) => `member-${i}`);
		// Every member votes twice at once; then half of them retract, also at once.
		await Promise.all(
			members.flatMap((memberId) => [
				castVote(db, { paperId: paper.id, memberId }),
				castVote(db, { paperId: paper.id, memberId })
			])
		);
		expect((await findPaper(db, paper.id))?.memberUpvotes).toBe(12);
		expect(await countVoteRows(db, paper.id)).toBe(12);
		await Promise.all(
			members
				.slice(0, 6)
				.flatMap((memberId) => [
					retractVote(db, { paperId: paper.id, memberId }),
					castVote(db, { paperId: paper.id, memberId: `${memberId}-late` })
				])
		);
		expect((await findPaper(db, paper.id))?.memberUpvotes).toBe(12);
		expect(await countVoteRows(db, paper.id)).toBe(12);
	});

	it('moves the paper in the change feed on a vote, so replicas see the new total', async () => {
		const { db } = get().store;
		const paper = makePaper({ sourceUpvotes: 10 });
		await savePapers(db, [paper]);
		const before = await currentSeq(db);
		await castVote(db, { paperId: paper.id, memberId: 'm1' });
		expect(await currentSeq(db)).toBe(before + 1);
		const changes = await listChangesSince(db, before, 100);
		expect(changes.map((p) => [p.id, p.seq, p.upvotes])).toEqual([[paper.id, before + 1, 11]]);
		// A vote that changes nothing does not move it.
		await castVote(db, { paperId: paper.id, memberId: 'm1' });
		expect(await currentSeq(db)).toBe(before + 1);
		await retractVote(db, { paperId: paper.id, memberId: 'm1' });
		expect(await currentSeq(db)).toBe(before + 2);
		expect((await listChangesSince(db, before + 1, 100))[0]).toMatchObject({ upvotes: 10 });
	});

	it('never lets savePapers touch members votes', async () => {
		const { db } = get().store;
		const paper = makePaper({ sourceUpvotes: 3 });
		await savePapers(db, [paper]);
		await castVote(db, { paperId: paper.id, memberId: 'm1' });
		await castVote(db, { paperId: paper.id, memberId: 'm2' });
		// A re-import with a higher source count and a new version (the bulk path on SQLite)…
		await savePapers(db, [{ ...paper, version: 2, title: 'Revised', sourceUpvotes: 8 }]);
		expect(await findPaper(db, paper.id)).toMatchObject({
			title: 'Revised',
			sourceUpvotes: 8,
			memberUpvotes: 2,
			upvotes: 10
		});
		// …and one with a pick (the Kysely path on both dialects), with a lower source count.
		await savePapers(db, [{ ...paper, version: 3, title: 'Third', sourceUpvotes: 1 }], {
			picks: [
				{
					paperId: paper.id,
					date: '2024-01-16',
					submittedBy: 'hf-import',
					submittedAt: '2024-01-16T00:00:00.000Z',
					source: 'hf'
				}
			]
		});
		expect(await findPaper(db, paper.id)).toMatchObject({
			title: 'Third',
			sourceUpvotes: 8,
			memberUpvotes: 2,
			upvotes: 10
		});
		expect(await countVoteRows(db, paper.id)).toBe(2);
	});

	it('orders the feed by source count plus members votes', async () => {
		const { db } = get().store;
		const sourceFavourite = makePaper({ sourceUpvotes: 3 });
		const memberFavourite = makePaper({ sourceUpvotes: 2 });
		const day = '2031-07-01';
		await savePapers(db, [sourceFavourite, memberFavourite], {
			picks: [sourceFavourite, memberFavourite].map((p) => ({
				paperId: p.id,
				date: day,
				submittedBy: 'hf-import',
				submittedAt: `${day}T00:00:00.000Z`,
				source: 'hf' as const
			}))
		});
		const order = async () =>
			(await listPickedPapers(db, { from: day, to: day, limit: 10, offset: 0 })).map((r) => r.id);
		expect(await order()).toEqual([sourceFavourite.id, memberFavourite.id]);
		await castVote(db, { paperId: memberFavourite.id, memberId: 'm1' });
		await castVote(db, { paperId: memberFavourite.id, memberId: 'm2' });
		expect(await order()).toEqual([memberFavourite.id, sourceFavourite.id]);
	});

	it('refuses a vote for a paper that does not exist', async () => {
		const { db } = get().store;
		const before = await currentSeq(db);
		await expect(castVote(db, { paperId: '9912.99999', memberId: 'm1' })).rejects.toThrow(
			NotFoundError
		);
		await expect(retractVote(db, { paperId: '9912.99999', memberId: 'm1' })).rejects.toThrow(
			NotFoundError
		);
		expect(await currentSeq(db)).toBe(before);
	});

	it('refuses a vote by a member who does not exist with a clear error, changing nothing', async () => {
		const { db } = get().store;
		const paper = makePaper({ sourceUpvotes: 4 });
		await savePapers(db, [paper]);
		const before = await currentSeq(db);
		const attempt = castVote(db, { paperId: paper.id, memberId: 'nobody-here' });
		await expect(attempt).rejects.toThrow(ForbiddenError);
		await expect(attempt).rejects.toThrow('there is no member nobody-here');
		expect(await countVoteRows(db, paper.id)).toBe(0);
		expect(await findPaper(db, paper.id)).toMatchObject({ memberUpvotes: 0, upvotes: 4 });
		expect(await currentSeq(db)).toBe(before);
	});

	it('tells which papers of a page the member votes for, in one query', async () => {
		const { db } = get().store;
		const [a, b, c] = [makePaper(), makePaper(), makePaper()];
		await savePapers(db, [a, b, c]);
		await castVote(db, { paperId: a.id, memberId: 'm1' });
		await castVote(db, { paperId: c.id, memberId: 'm1' });
		await castVote(db, { paperId: b.id, memberId: 'm2' });
		expect(await votedPaperIds(db, 'm1', [a.id, b.id, c.id, a.id])).toEqual(new Set([a.id, c.id]));
		expect(await votedPaperIds(db, 'm2', [a.id, b.id])).toEqual(new Set([b.id]));
		expect(await votedPaperIds(db, undefined, [a.id])).toEqual(new Set());
		expect(await votedPaperIds(db, 'm1', [])).toEqual(new Set());
	});

	it('takes no vote for a hidden paper, either way, and changes nothing', async () => {
		const { db } = get().store;
		const paper = makePaper({ sourceUpvotes: 4 });
		await savePapers(db, [paper]);
		await castVote(db, { paperId: paper.id, memberId: 'm1' });
		await db
			.updateTable('papers')
			.set({ hidden_at: '2030-01-01T00:00:00.000Z' })
			.where('id', '=', paper.id)
			.execute();
		await expect(castVote(db, { paperId: paper.id, memberId: 'm2' })).rejects.toBeInstanceOf(
			NotFoundError
		);
		await expect(retractVote(db, { paperId: paper.id, memberId: 'm1' })).rejects.toBeInstanceOf(
			NotFoundError
		);
		expect(await countVoteRows(db, paper.id)).toBe(1);
		expect((await findPaper(db, paper.id))?.memberUpvotes).toBe(1);
	});
});
