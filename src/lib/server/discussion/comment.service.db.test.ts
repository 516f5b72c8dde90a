import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '$support/databases';
import { addMembers, makePaper } from '$support/fixtures';
import type { Db } from '../db/create-db';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { savePapers } from '../papers/paper.service';
import { findPaper } from '../papers/paper.repository';
import {
	memberNotifications,
	markRead,
	unreadNotificationCount
} from '../notifications/notification.service';
import { countReadableCommentRows, findCommentCount } from './comment.repository';
import { setCommentHidden } from './comment-visibility';
import {
	deleteComment,
	editComment,
	findComment,
	paperComments,
	paperDiscussion,
	postComment
} from './comment.service';

const T0 = new Date('2030-03-01T10:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

/** The whole comments table and the paper's count, to prove a refusal changed nothing. */
async function snapshot(db: Db, paperId: string) {
	const rows = await db.selectFrom('comments').selectAll().orderBy('id').execute();
	const notes = await db.selectFrom('notifications').select('id').orderBy('id').execute();
	return { rows, notes, count: await findCommentCount(db, paperId) };
}

async function expectCountTrue(db: Db, paperId: string) {
	expect(await findCommentCount(db, paperId)).toBe(await countReadableCommentRows(db, paperId));
}

describeEachDialect('comments', (get) => {
	const paper = makePaper();
	const other = makePaper();
	const locked = makePaper();
	const hidden = makePaper();

	beforeAll(async () => {
		const { db } = get().store;
		await savePapers(db, [paper, other, locked, hidden]);
		await addMembers(db, ['ada', 'bob', 'sub']);
		await db
			.insertInto('daily_picks')
			.values({
				day: '2030-03-01',
				paper_id: paper.id,
				source: 'member',
				submitted_by: 'sub',
				submitted_at: T0.toISOString(),
				submitter_id: 'sub'
			})
			.execute();
		await db
			.updateTable('papers')
			.set({ thread_locked_at: T0.toISOString() })
			.where('id', '=', locked.id)
			.execute();
		await db
			.updateTable('papers')
			.set({ hidden_at: T0.toISOString() })
			.where('id', '=', hidden.id)
			.execute();
	});

	it('posts a comment and replies at any depth, counting each and keeping order', async () => {
		const { db } = get().store;
		const root = await postComment(
			db,
			{ paperId: paper.id, memberId: 'ada', body: ' First! ' },
			T0
		);
		let parent = root.id;
		for (let depth = 1; depth <= 6; depth++) {
			const reply = await postComment(
				db,
				{
					paperId: paper.id,
					memberId: depth % 2 ? 'bob' : 'ada',
					body: `depth ${depth}`,
					parentId: parent
				},
				minutes(depth)
			);
			parent = reply.id;
		}
		const comments = await paperComments(db, paper.id);
		expect(comments).toHaveLength(7);
		expect(comments[0]).toMatchObject({
			parentId: null,
			body: 'First!',
			bodyHtml: '<p>First!</p>\n'
		});
		expect(comments[6].parentId).toBe(comments[5].id);
		expect((await findPaper(db, paper.id))?.comments).toBe(7);
		const { thread } = await paperDiscussion(db, paper.id, undefined, T0);
		expect(thread).toHaveLength(1);
		let node = thread[0];
		for (let depth = 1; depth <= 6; depth++) node = node.replies[0];
		expect(node).toMatchObject({ depth: 6, comment: { bodyHtml: '<p>depth 6</p>\n' } });
		await expectCountTrue(db, paper.id);
	});

	it('gives random, opaque ids', async () => {
		const { db } = get().store;
		const a = await postComment(db, { paperId: other.id, memberId: 'ada', body: 'a' }, T0);
		const b = await postComment(db, { paperId: other.id, memberId: 'ada', body: 'b' }, T0);
		expect(a.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
		expect(a.id).not.toBe(b.id);
	});

	it('refuses an empty, a blank and an over-long comment, changing nothing', async () => {
		const { db } = get().store;
		const before = await snapshot(db, paper.id);
		for (const body of ['', '  \n\n ', 'x'.repeat(20_001), undefined, 42]) {
			await expect(
				postComment(db, { paperId: paper.id, memberId: 'ada', body }, T0)
			).rejects.toThrow(BadRequestError);
		}
		await expect(
			postComment(db, { paperId: paper.id, memberId: 'ada', body: 'x'.repeat(20_001) })
		).rejects.toThrow(/at most 20,000 characters/);
		expect(await snapshot(db, paper.id)).toEqual(before);
		// Exactly the limit is fine.
		await postComment(db, { paperId: other.id, memberId: 'ada', body: 'y'.repeat(20_000) }, T0);
	});

	it('refuses replies to deleted, hidden, unknown and other papers\u2019 comments', async () => {
		const { db } = get().store;
		const gone = await postComment(
			db,
			{ paperId: paper.id, memberId: 'ada', body: 'to delete' },
			T0
		);
		await deleteComment(db, { commentId: gone.id, memberId: 'ada' }, T0);
		const hiddenOne = await postComment(
			db,
			{ paperId: paper.id, memberId: 'ada', body: 'to hide' },
			T0
		);
		await db
			.transaction()
			.execute((trx) =>
				setCommentHidden(trx, { commentId: hiddenOne.id, hidden: true, now: T0.toISOString() })
			);
		const elsewhere = await postComment(
			db,
			{ paperId: other.id, memberId: 'ada', body: 'there' },
			T0
		);
		const before = await snapshot(db, paper.id);
		const reply = (parentId: string) =>
			postComment(db, { paperId: paper.id, memberId: 'bob', body: 'reply', parentId }, T0);
		await expect(reply(gone.id)).rejects.toThrow(
			new ConflictError('You cannot reply to a deleted comment.')
		);
		await expect(reply(hiddenOne.id)).rejects.toThrow(/hidden by a moderator/);
		await expect(reply('forged-id')).rejects.toThrow(NotFoundError);
		await expect(reply(elsewhere.id)).rejects.toThrow(/another paper/);
		expect(await snapshot(db, paper.id)).toEqual(before);
		await expectCountTrue(db, paper.id);
	});

	it('refuses comments on a locked thread, a hidden paper and an unknown paper', async () => {
		const { db } = get().store;
		await expect(
			postComment(db, { paperId: locked.id, memberId: 'ada', body: 'hi' }, T0)
		).rejects.toThrow(/locked/);
		await expect(
			postComment(db, { paperId: locked.id, memberId: 'ada', body: 'hi' }, T0)
		).rejects.toThrow(ForbiddenError);
		await expect(
			postComment(db, { paperId: hidden.id, memberId: 'ada', body: 'hi' }, T0)
		).rejects.toThrow(/hidden by a moderator/);
		await expect(
			postComment(db, { paperId: '9999.99999', memberId: 'ada', body: 'hi' }, T0)
		).rejects.toThrow(NotFoundError);
		expect(await findCommentCount(db, locked.id)).toBe(0);
		expect(await countReadableCommentRows(db, locked.id)).toBe(0);
		await expect(paperComments(db, hidden.id)).rejects.toThrow(NotFoundError);
	});

	it('edits within 15 minutes, marks it edited and renders again; not after', async () => {
		const { db } = get().store;
		const c = await postComment(db, { paperId: other.id, memberId: 'ada', body: 'v1' }, T0);
		await editComment(db, { commentId: c.id, memberId: 'ada', body: 'v2 *now*' }, minutes(15));
		expect(await findComment(db, c.id)).toMatchObject({
			body: 'v2 *now*',
			editedAt: minutes(15).toISOString()
		});
		const before = await snapshot(db, other.id);
		await expect(
			editComment(db, { commentId: c.id, memberId: 'ada', body: 'v3' }, minutes(15.1))
		).rejects.toThrow(/15 minutes after posting/);
		expect(await snapshot(db, other.id)).toEqual(before);
	});

	it('refuses editing and deleting another member\u2019s comment, and forged ids', async () => {
		const { db } = get().store;
		const c = await postComment(db, { paperId: other.id, memberId: 'ada', body: 'mine' }, T0);
		const before = await snapshot(db, other.id);
		await expect(
			editComment(db, { commentId: c.id, memberId: 'bob', body: 'yours now' }, T0)
		).rejects.toThrow(new ForbiddenError('You can only edit your own comments.'));
		await expect(deleteComment(db, { commentId: c.id, memberId: 'bob' }, T0)).rejects.toThrow(
			new ForbiddenError('You can only delete your own comments.')
		);
		await expect(
			editComment(db, { commentId: 'forged', memberId: 'ada', body: 'x' }, T0)
		).rejects.toThrow(NotFoundError);
		await expect(deleteComment(db, { commentId: 'forged', memberId: 'ada' }, T0)).rejects.toThrow(
			NotFoundError
		);
		expect(await snapshot(db, other.id)).toEqual(before);
	});

	it('deletes softly: replies stay, the place says deleted, the count drops once', async () => {
		const { db } = get().store;
		const fresh = makePaper();
		await savePapers(db, [fresh]);
		const parent = await postComment(
			db,
			{ paperId: fresh.id, memberId: 'ada', body: 'parent' },
			T0
		);
		const child = await postComment(
			db,
			{ paperId: fresh.id, memberId: 'bob', body: 'child', parentId: parent.id },
			T0
		);
		expect(await findCommentCount(db, fresh.id)).toBe(2);
		await deleteComment(db, { commentId: parent.id, memberId: 'ada' }, minutes(1));
		await expect(
			deleteComment(db, { commentId: parent.id, memberId: 'ada' }, minutes(2))
		).rejects.toThrow(/already deleted/);
		await expect(
			editComment(db, { commentId: parent.id, memberId: 'ada', body: 'back' }, minutes(2))
		).rejects.toThrow(/already deleted/);
		expect(await findCommentCount(db, fresh.id)).toBe(1);
		const { thread } = await paperDiscussion(db, fresh.id);
		expect(thread[0].comment).toMatchObject({ deleted: true, body: null, bodyHtml: null });
		expect(thread[0].replies[0].comment).toMatchObject({
			id: child.id,
			bodyHtml: '<p>child</p>\n'
		});
		// A hidden comment its author then deletes: counted off once, not twice.
		await setCommentHidden(db, { commentId: child.id, hidden: true, now: T0.toISOString() });
		await deleteComment(db, { commentId: child.id, memberId: 'bob' }, minutes(3));
		expect(await findCommentCount(db, fresh.id)).toBe(0);
		await expectCountTrue(db, fresh.id);
	});

	it('keeps the count true under concurrent posts and deletes', async () => {
		const { db } = get().store;
		const busy = makePaper();
		await savePapers(db, [busy]);
		const posted = await Promise.all(
			Array.from({ length: 12 }, (_, i) =>
				postComment(db, { paperId: busy.id, memberId: i % 2 ? 'ada' : 'bob', body: `c${i}` })
			)
		);
		const own = posted.filter((_, i) => i % 2 === 1);
		await Promise.allSettled([
			...own.map((c) => deleteComment(db, { commentId: c.id, memberId: 'ada' })),
			...own.map((c) => deleteComment(db, { commentId: c.id, memberId: 'ada' }))
		]);
		expect(await findCommentCount(db, busy.id)).toBe(6);
		await expectCountTrue(db, busy.id);
	});

	it('notifies the parent\u2019s author and the submitter, never the writer, once each', async () => {
		const { db } = get().store;
		await markRead(db, 'ada');
		await markRead(db, 'sub');
		const before = await unreadNotificationCount(db, 'ada');
		const top = await postComment(
			db,
			{ paperId: paper.id, memberId: 'ada', body: 'top' },
			minutes(30)
		);
		// The submitter hears of a comment on their paper; ada does not hear of her own.
		expect(await unreadNotificationCount(db, 'ada')).toBe(before);
		const subNotes = await memberNotifications(db, 'sub');
		expect(subNotes[0]).toMatchObject({
			kind: 'comment-on-submission',
			commentId: top.id,
			actor: { username: 'ada' }
		});
		const reply = await postComment(
			db,
			{ paperId: paper.id, memberId: 'sub', body: 'thanks', parentId: top.id },
			minutes(31)
		);
		const adaNotes = await memberNotifications(db, 'ada');
		expect(adaNotes[0]).toMatchObject({ kind: 'reply', commentId: reply.id, readAt: null });
		// The submitter replying on their own paper is not told of it.
		expect((await memberNotifications(db, 'sub')).map((n) => n.commentId)).not.toContain(reply.id);
		// A reply to the submitter's comment by someone else: one notification, as a reply.
		const third = await postComment(
			db,
			{ paperId: paper.id, memberId: 'bob', body: 'me too', parentId: reply.id },
			minutes(32)
		);
		const forThird = (await memberNotifications(db, 'sub')).filter((n) => n.commentId === third.id);
		expect(forThird).toEqual([expect.objectContaining({ kind: 'reply' })]);
		expect(await unreadNotificationCount(db, 'ada')).toBe(before + 1);
		await markRead(db, 'ada');
		expect(await unreadNotificationCount(db, 'ada')).toBe(0);
	});

	it('pages a long discussion by top-level threads and opens the page holding a comment', async () => {
		const { db } = get().store;
		const long = makePaper();
		await savePapers(db, [long]);
		const ids: string[] = [];
		for (let i = 0; i < 60; i++) {
			const { id } = await postComment(
				db,
				{ paperId: long.id, memberId: 'ada', body: `top ${i}` },
				minutes(i)
			);
			ids.push(id);
		}
		const first = await paperDiscussion(db, long.id, undefined, minutes(60));
		expect(first).toMatchObject({ page: 0, pages: 2, readable: 60 });
		expect(first.thread).toHaveLength(50);
		// The page carries the rendered HTML only, no Markdown.
		expect(first.thread.every((n) => n.comment.body === null)).toBe(true);
		const focused = await paperDiscussion(db, long.id, {
			page: 0,
			focus: ids[55],
			open: { kind: 'edit', commentId: ids[55] }
		});
		expect(focused.page).toBe(1);
		const edited = focused.thread.find((n) => n.comment.id === ids[55]);
		expect(edited?.comment.body).toBe('top 55');
		expect(focused.thread.filter((n) => n.comment.body !== null)).toHaveLength(1);
	});
});
