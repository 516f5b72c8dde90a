import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '$support/databases';
import { addMembers, makePaper } from '$support/fixtures';
import { BadRequestError, NotFoundError } from '../errors';
import { savePapers } from '../papers/paper.service';
import { follow, listFollowed, readerFollows, unfollow } from './follow.service';

describeEachDialect('follows', (get) => {
	beforeAll(async () => {
		await addMembers(get().store.db, ['fan', 'star', 'lonely']);
		await savePapers(get().store.db, [makePaper({ authors: ['Émilie du Châtelet', 'Hypatia'] })]);
	});

	it('follows an author as written, a category and a member, once each', async () => {
		const { db } = get().store;
		for (let round = 0; round < 2; round += 1) {
			await follow(db, { memberId: 'fan', kind: 'author', target: 'Émilie du Châtelet' });
			await follow(db, { memberId: 'fan', kind: 'category', target: 'cs.CL' });
			await follow(db, { memberId: 'fan', kind: 'member', target: 'star' });
		}
		const followed = await listFollowed(db, 'fan');
		expect(followed.map((f) => [f.kind, f.label])).toEqual([
			['author', 'Émilie du Châtelet'],
			['category', 'cs.CL'],
			['member', 'star']
		]);
		expect(await readerFollows(db, { id: 'fan' }, 'category', 'cs.CL')).toBe(true);
		expect(await readerFollows(db, null, 'category', 'cs.CL')).toBe(false);
		await unfollow(db, { memberId: 'fan', kind: 'category', target: 'cs.CL' });
		await unfollow(db, { memberId: 'fan', kind: 'category', target: 'cs.CL' });
		expect((await listFollowed(db, 'fan')).map((f) => f.kind)).toEqual(['author', 'member']);
	});

	it('refuses what cannot be followed, and writes nothing', async () => {
		const { db } = get().store;
		const cases = [
			[{ kind: 'category', target: 'not a category' }, BadRequestError],
			[{ kind: 'category', target: '' }, BadRequestError],
			// One page per written name: another spelling is another author, here unknown.
			[{ kind: 'author', target: 'Emilie du Chatelet' }, NotFoundError],
			[{ kind: 'member', target: 'lonely' }, BadRequestError],
			[{ kind: 'member', target: 'nobody-at-all' }, NotFoundError]
		] as const;
		for (const [change, error] of cases) {
			await expect(follow(db, { memberId: 'lonely', ...change })).rejects.toBeInstanceOf(error);
		}
		expect(await listFollowed(db, 'lonely')).toEqual([]);
	});
});
