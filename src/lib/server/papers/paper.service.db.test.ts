import { expect, it } from 'vitest';
import { describeEachDialect } from '$support/databases';
import { makePaper } from '$support/fixtures';
import { listPickedPapers, latestPickDay, neighbourPickDays } from './daily-pick.repository';
import {
	AuthorIdCache,
	countRows,
	currentSeq,
	findPaper,
	listChangesSince
} from './paper.repository';
import { savePapers } from './paper.service';

describeEachDialect('savePapers', (get) => {
	it('stores a paper with its authors in byline order and bumps seq once', async () => {
		const { db } = get().store;
		const before = await currentSeq(db);
		const paper = makePaper({ authors: ['Zed Last', 'Amy First', 'Zed Last'] });
		const result = await savePapers(db, [paper]);
		expect(result).toMatchObject({ inserted: 1, updated: 0, unchanged: 0 });
		const stored = await findPaper(db, paper.id);
		expect(stored?.authors).toEqual(['Zed Last', 'Amy First', 'Zed Last']);
		expect(stored?.categories).toEqual(['cs.LG', 'stat.ML']);
		expect(stored?.seq).toBe(before + 1);
		expect(await currentSeq(db)).toBe(before + 1);
	});

	it('changes nothing and keeps seq when the same record is saved again', async () => {
		const { db } = get().store;
		const paper = makePaper();
		await savePapers(db, [paper]);
		const seq = await currentSeq(db);
		const counts = await countRows(db);
		const again = await savePapers(db, [paper]);
		expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
		expect(await currentSeq(db)).toBe(seq);
		expect(await countRows(db)).toEqual(counts);
	});

	it('lets a newer version replace an older one, never the reverse', async () => {
		const { db } = get().store;
		const v2 = makePaper({ version: 2, title: 'Second version' });
		await savePapers(db, [v2]);
		await savePapers(db, [{ ...v2, version: 1, title: 'First version' }]);
		expect((await findPaper(db, v2.id))?.title).toBe('Second version');
		await savePapers(db, [{ ...v2, version: 3, title: 'Third version', authors: ['New Author'] }]);
		const stored = await findPaper(db, v2.id);
		expect(stored?.title).toBe('Third version');
		expect(stored?.authors).toEqual(['New Author']);
	});

	it('keeps the versioned bibliography when an unversioned source adds enrichments', async () => {
		const { db } = get().store;
		const arxiv = makePaper({ version: 2, title: 'From arXiv', categories: ['cs.CL'] });
		await savePapers(db, [arxiv]);
		await savePapers(db, [
			{
				...arxiv,
				version: null,
				title: 'From HF',
				categories: [],
				codeUrl: 'https://github.com/a/b',
				sourceUpvotes: 7
			}
		]);
		const stored = await findPaper(db, arxiv.id);
		expect(stored).toMatchObject({
			title: 'From arXiv',
			categories: ['cs.CL'],
			codeUrl: 'https://github.com/a/b',
			upvotes: 7,
			sourceUpvotes: 7
		});
	});

	it('writes nothing of a batch whose transaction fails', async () => {
		const { db } = get().store;
		const good = makePaper();
		const counts = await countRows(db);
		// A pick for a paper that does not exist violates the foreign key and aborts the batch.
		await expect(
			savePapers(db, [good], {
				picks: [
					{
						paperId: good.id,
						date: '2024-01-16',
						submittedBy: 'x',
						submittedAt: '2024-01-16T00:00:00.000Z',
						source: 'hf'
					},
					{
						paperId: '9999.99999',
						date: '2024-01-16',
						submittedBy: 'x',
						submittedAt: '2024-01-16T00:00:00.000Z',
						source: 'hf'
					}
				]
			})
		).rejects.toThrow();
		expect(await countRows(db)).toEqual(counts);
		expect(await findPaper(db, good.id)).toBeUndefined();
	});
});

describeEachDialect('the author id cache of an import', (get) => {
	it('forgets ids learned in a rolled-back batch, so the next batch links real authors', async () => {
		const { db } = get().store;
		const cache = new AuthorIdCache();
		const first = makePaper({ authors: ['Rolled Back Author'] });
		const badPick = {
			paperId: '9999.99999',
			date: '2024-01-16',
			submittedBy: 'x',
			submittedAt: '2024-01-16T00:00:00.000Z',
			source: 'hf' as const
		};
		await expect(savePapers(db, [first], { picks: [badPick], authorIds: cache })).rejects.toThrow();
		expect(cache.get('Rolled Back Author')).toBeUndefined();
		await savePapers(db, [first], { authorIds: cache });
		const second = makePaper({ authors: ['Rolled Back Author'] });
		await savePapers(db, [second], { authorIds: cache });
		expect((await findPaper(db, second.id))?.authors).toEqual(['Rolled Back Author']);
		expect(cache.get('Rolled Back Author')).toBeTypeOf('number');
	});
});

describeEachDialect('the change feed', (get) => {
	it('lists papers written after a position in seq order, each change once', async () => {
		const { db } = get().store;
		const start = await currentSeq(db);
		const a = makePaper();
		const b = makePaper();
		await savePapers(db, [a, b]);
		await savePapers(db, [{ ...a, version: 2, title: 'A, revised' }]);
		const changes = await listChangesSince(db, start, 100);
		expect(changes.map((p) => [p.id, p.seq])).toEqual([
			[b.id, start + 2],
			[a.id, start + 3]
		]);
		expect(changes[1].title).toBe('A, revised');
		expect(await listChangesSince(db, start, 1)).toHaveLength(1);
		expect(await listChangesSince(db, start + 3, 100)).toEqual([]);
	});
});

describeEachDialect('daily picks', (get) => {
	it('lists a day by upvotes and finds the neighbouring days', async () => {
		const { db } = get().store;
		const low = makePaper({ sourceUpvotes: 3 });
		const high = makePaper({ sourceUpvotes: 30 });
		const other = makePaper({ sourceUpvotes: 100 });
		const pick = (paperId: string, date: string) => ({
			paperId,
			date,
			submittedBy: 'curator',
			submittedAt: `${date}T08:00:00.000Z`,
			source: 'hf' as const
		});
		await savePapers(db, [low, high, other], {
			picks: [pick(low.id, '2030-02-02'), pick(high.id, '2030-02-02'), pick(other.id, '2030-02-05')]
		});
		const day = await listPickedPapers(db, {
			from: '2030-02-02',
			to: '2030-02-02',
			limit: 10,
			offset: 0
		});
		expect(day.map((p) => p.id)).toEqual([high.id, low.id]);
		expect(await latestPickDay(db)).toBe('2030-02-05');
		expect(await latestPickDay(db, '2030-02-04')).toBe('2030-02-02');
		expect(await neighbourPickDays(db, { from: '2030-02-02', to: '2030-02-02' })).toMatchObject({
			next: '2030-02-05'
		});
	});
});
