import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '$support/databases';
import { addMembers, makePaper } from '$support/fixtures';
import { savePapers } from '../papers/paper.service';
import type { Db } from '../db/create-db';
import { setCommentHidden } from './comment-visibility';

const commentCount = async (db: Db, id: string) =>
	(
		await db
			.selectFrom('papers')
			.select('comment_count')
			.where('id', '=', id)
			.executeTakeFirstOrThrow()
	).comment_count;

describeEachDialect('hiding a comment', (get) => {
	const paper = makePaper();

	beforeAll(async () => {
		const { db } = get().store;
		await savePapers(db, [paper]);
		await addMembers(db, ['ada']);
		for (const [id, deleted] of [
			['c1', null],
			['c2', null],
			['gone', '2030-01-01T00:00:00.000Z']
		] as const) {
			await db
				.insertInto('comments')
				.values({
					id,
					paper_id: paper.id,
					parent_id: null,
					member_id: 'ada',
					body: 'x',
					body_html: '<p>x</p>',
					created_at: '2030-01-01T00:00:00.000Z',
					edited_at: null,
					deleted_at: deleted,
					hidden_at: null
				})
				.execute();
		}
		await db.updateTable('papers').set({ comment_count: 2 }).where('id', '=', paper.id).execute();
	});

	it('moves the readable count with it, once', async () => {
		const { db } = get().store;
		const now = '2030-01-02T00:00:00.000Z';
		expect(await setCommentHidden(db, { commentId: 'c1', hidden: true, now })).toBe(true);
		expect(await setCommentHidden(db, { commentId: 'c1', hidden: true, now })).toBe(false);
		expect(await commentCount(db, paper.id)).toBe(1);
		expect(await setCommentHidden(db, { commentId: 'c1', hidden: false, now })).toBe(true);
		expect(await commentCount(db, paper.id)).toBe(2);
	});

	it('leaves the count alone for a deleted comment and an unknown id', async () => {
		const { db } = get().store;
		const now = '2030-01-02T00:00:00.000Z';
		expect(await setCommentHidden(db, { commentId: 'gone', hidden: true, now })).toBe(true);
		expect(await setCommentHidden(db, { commentId: 'forged', hidden: true, now })).toBe(false);
		expect(await commentCount(db, paper.id)).toBe(2);
	});
});
