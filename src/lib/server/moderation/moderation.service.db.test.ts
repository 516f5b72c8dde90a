import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '$support/databases';
import { addMembers, makePaper } from '$support/fixtures';
import type { Member } from '$lib/core/member';
import type { Db } from '../db/create-db';
import { listPickedPapers, countPickedPapers } from '../papers/daily-pick.repository';
import { findPaper } from '../papers/paper.repository';
import { getPaperDetails, getSimilarPapers } from '../papers/paper-page.service';
import { savePapers } from '../papers/paper.service';
import { SearchReplica } from '../search/search-replica';
import { startSession, resolveSession } from '../auth/session.service';
import { loadTrendingPage, refreshTrending } from '../trending/trending.service';
import { findMemberById } from '../members/member.repository';
import { submitPaper } from '../submissions/submission.service';
import { flagTarget } from './flag.service';
import {
	banMemberAs,
	dismissFlags,
	loadAuditLog,
	loadModerationQueue,
	setCommentHiddenAs,
	setPaperHidden,
	setThreadLocked,
	suspendMemberAs,
	unbanMemberAs,
	unsuspendMemberAs
} from './moderation.service';

const as = (id: string, role: Member['role'] = 'member'): Member => ({
	id,
	username: id,
	displayName: id,
	role
});
const mod = as('mod', 'moderator');
const admin = as('boss', 'admin');

async function addComment(db: Db, id: string, paperId: string, memberId: string): Promise<void> {
	await db
		.insertInto('comments')
		.values({
			id,
			paper_id: paperId,
			parent_id: null,
			member_id: memberId,
			body: `comment ${id}`,
			body_html: `<p>comment ${id}</p>`,
			created_at: '2030-01-01T00:00:00.000Z',
			edited_at: null,
			deleted_at: null,
			hidden_at: null
		})
		.execute();
	await db
		.updateTable('papers')
		.set((eb) => ({ comment_count: eb('comment_count', '+', 1) }))
		.where('id', '=', paperId)
		.execute();
}

const commentRow = (db: Db, id: string) =>
	db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const commentCount = async (db: Db, id: string) =>
	(
		await db
			.selectFrom('papers')
			.select('comment_count')
			.where('id', '=', id)
			.executeTakeFirstOrThrow()
	).comment_count;

describeEachDialect('flags', (get) => {
	const paper = makePaper();
	beforeAll(async () => {
		const { db } = get().store;
		await savePapers(db, [paper]);
		await addMembers(db, ['ada', 'bob', 'mod']);
		await addComment(db, 'f1', paper.id, 'bob');
	});

	it('stores one flag per member and target, and says so on a second', async () => {
		const { db } = get().store;
		await flagTarget(db, as('ada'), { kind: 'paper', id: paper.id, reason: '  spam  ' });
		await expect(
			flagTarget(db, as('ada'), { kind: 'paper', id: paper.id, reason: 'again' })
		).rejects.toMatchObject({ status: 409, message: expect.stringContaining('already flagged') });
		await flagTarget(db, as('bob'), { kind: 'paper', id: paper.id, reason: 'off topic' });
		const rows = await db
			.selectFrom('flags')
			.selectAll()
			.where('target_id', '=', paper.id)
			.execute();
		expect(rows.map((r) => r.reason).sort()).toEqual(['off topic', 'spam']);
	});

	it('refuses an empty or over-long reason and a forged target, storing nothing', async () => {
		const { db } = get().store;
		const before = (await db.selectFrom('flags').selectAll().execute()).length;
		await expect(
			flagTarget(db, as('ada'), { kind: 'comment', id: 'f1', reason: '   ' })
		).rejects.toMatchObject({ status: 400 });
		await expect(
			flagTarget(db, as('ada'), { kind: 'comment', id: 'f1', reason: 'x'.repeat(1001) })
		).rejects.toMatchObject({ status: 400, message: expect.stringContaining('1,000') });
		await expect(
			flagTarget(db, as('ada'), { kind: 'comment', id: 'forged', reason: 'spam' })
		).rejects.toMatchObject({ status: 404 });
		await expect(
			flagTarget(db, as('ada'), { kind: 'paper', id: '9999.99999', reason: 'spam' })
		).rejects.toMatchObject({ status: 404 });
		expect((await db.selectFrom('flags').selectAll().execute()).length).toBe(before);
	});

	it('groups open flags by target in the queue, most flagged first, with reporters', async () => {
		const { db } = get().store;
		await flagTarget(db, as('ada'), { kind: 'comment', id: 'f1', reason: 'rude' });
		const queue = await loadModerationQueue(db, 0);
		expect(queue.total).toBe(2);
		expect(queue.items[0]).toMatchObject({ kind: 'paper', targetId: paper.id, count: 2 });
		expect(queue.items[0].flags.map((f) => f.reporterUsername).sort()).toEqual(['ada', 'bob']);
		expect(queue.items[1]).toMatchObject({
			kind: 'comment',
			count: 1,
			comment: { authorUsername: 'bob', hidden: false },
			paper: { id: paper.id }
		});
	});

	it("dismissing closes a target's flags and logs it; nothing open is a 404", async () => {
		const { db } = get().store;
		await dismissFlags(db, mod, { kind: 'comment', targetId: 'f1' });
		expect((await loadModerationQueue(db, 0)).items.map((i) => i.kind)).toEqual(['paper']);
		await expect(dismissFlags(db, mod, { kind: 'comment', targetId: 'f1' })).rejects.toMatchObject({
			status: 404
		});
		const log = await loadAuditLog(db, 0);
		expect(log.entries[0]).toMatchObject({ actorUsername: 'mod', action: 'dismiss-flags' });
	});
});

describeEachDialect('hiding papers and comments', (get) => {
	const shown = makePaper({ title: 'Shown zebra attention' });
	const hidden = makePaper({ title: 'Hidden zebra attention' });
	let dir: string;
	beforeAll(async () => {
		const { db } = get().store;
		await savePapers(db, [shown, hidden], {
			picks: [shown, hidden].map((p) => ({
				paperId: p.id,
				date: '2024-01-16',
				submittedBy: 'hf',
				submittedAt: '2024-01-16T00:00:00.000Z',
				source: 'hf' as const
			}))
		});
		await addMembers(db, ['mod', 'ada']);
		await addComment(db, 'c1', shown.id, 'ada');
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-mod-'));
	});

	it('a hidden paper leaves the feed, trending, the replica, the page and similar papers; showing brings it back', async () => {
		const { db } = get().store;
		const replica = await SearchReplica.build(db, dir);
		const now = new Date('2024-01-20T00:00:00.000Z');
		await refreshTrending(db, { now });
		const range = { from: '2024-01-16', to: '2024-01-16', limit: 10, offset: 0 };
		expect((await listPickedPapers(db, range)).length).toBe(2);

		await flagTarget(db, as('ada'), { kind: 'paper', id: hidden.id, reason: 'spam' });
		await setPaperHidden(db, mod, { paperId: hidden.id, hidden: true, reason: 'spam' }, now);
		await replica.sync(db);

		expect((await listPickedPapers(db, range)).map((p) => p.id)).toEqual([shown.id]);
		expect(await countPickedPapers(db, range)).toBe(1);
		expect((await loadTrendingPage(db, 'month', 0, 10)).papers.map((p) => p.id)).toEqual([
			shown.id
		]);
		expect(replica.engine.searchText('zebra').map((h) => h.id)).toEqual([shown.id]);
		await expect(getPaperDetails(db, hidden.id)).rejects.toMatchObject({ status: 404 });
		expect((await getPaperDetails(db, hidden.id, { showHidden: true })).paper.hiddenAt).toBe(
			now.toISOString()
		);
		await expect(getSimilarPapers(db, replica, hidden.id, 5)).rejects.toMatchObject({
			status: 404
		});
		expect((await getSimilarPapers(db, replica, shown.id, 5)).map((p) => p.id)).not.toContain(
			hidden.id
		);
		// The flag is resolved with what was done.
		const flag = await db
			.selectFrom('flags')
			.selectAll()
			.where('target_id', '=', hidden.id)
			.executeTakeFirstOrThrow();
		expect(flag).toMatchObject({ resolution: 'hidden', resolved_by: 'mod' });

		await expect(
			setPaperHidden(db, mod, { paperId: hidden.id, hidden: true })
		).rejects.toMatchObject({ status: 409 });
		await setPaperHidden(db, mod, { paperId: hidden.id, hidden: false });
		await replica.sync(db);
		expect((await listPickedPapers(db, range)).length).toBe(2);
		expect(
			replica.engine
				.searchText('zebra')
				.map((h) => h.id)
				.sort()
		).toEqual([shown.id, hidden.id].sort());
		await refreshTrending(db, { now });
		expect((await loadTrendingPage(db, 'month', 0, 10)).papers.length).toBe(2);
		const actions = (await loadAuditLog(db, 0)).entries.map((e) => e.action);
		expect(actions.slice(0, 2)).toEqual(['unhide', 'hide']);
	});

	it('a hidden paper cannot be submitted', async () => {
		const { db } = get().store;
		await setPaperHidden(db, mod, { paperId: hidden.id, hidden: true });
		await expect(
			submitPaper(
				db,
				{ reference: hidden.id, member: as('ada') },
				{
					rules: { maxAgeDays: 100_000, dailyLimit: 10 },
					arxiv: { baseUrl: 'http://127.0.0.1:9/unused' }
				}
			)
		).rejects.toMatchObject({ status: 403, message: expect.stringContaining('hidden') });
		await setPaperHidden(db, mod, { paperId: hidden.id, hidden: false });
	});

	it('a rebuilt replica leaves hidden papers out', async () => {
		const { db } = get().store;
		await setPaperHidden(db, mod, { paperId: hidden.id, hidden: true });
		const rebuilt = await SearchReplica.build(db, dir);
		expect(rebuilt.engine.searchText('zebra').map((h) => h.id)).toEqual([shown.id]);
		await setPaperHidden(db, mod, { paperId: hidden.id, hidden: false });
	});

	it('hiding a comment moves the readable count; a forged id is a 404 and a second hide a 409', async () => {
		const { db } = get().store;
		await setCommentHiddenAs(db, mod, { commentId: 'c1', hidden: true, reason: 'rude' });
		expect((await commentRow(db, 'c1')).hidden_at).not.toBeNull();
		expect(await commentCount(db, shown.id)).toBe(0);
		await expect(
			setCommentHiddenAs(db, mod, { commentId: 'c1', hidden: true })
		).rejects.toMatchObject({ status: 409 });
		await expect(
			setCommentHiddenAs(db, mod, { commentId: 'forged', hidden: true })
		).rejects.toMatchObject({ status: 404 });
		await setCommentHiddenAs(db, mod, { commentId: 'c1', hidden: false });
		expect(await commentCount(db, shown.id)).toBe(1);
		expect((await loadAuditLog(db, 0)).entries[0]).toMatchObject({
			action: 'unhide',
			targetKind: 'comment',
			targetId: 'c1'
		});
	});

	it('locks and unlocks a thread, once each', async () => {
		const { db } = get().store;
		await setThreadLocked(db, mod, { paperId: shown.id, locked: true });
		expect((await findPaper(db, shown.id))?.threadLockedAt).toBeDefined();
		await expect(
			setThreadLocked(db, mod, { paperId: shown.id, locked: true })
		).rejects.toMatchObject({ status: 409 });
		await expect(
			setThreadLocked(db, mod, { paperId: '9999.99999', locked: true })
		).rejects.toMatchObject({ status: 404 });
		await setThreadLocked(db, mod, { paperId: shown.id, locked: false });
		expect((await findPaper(db, shown.id))?.threadLockedAt).toBeUndefined();
	});
});

describeEachDialect('bans and suspensions', (get) => {
	const paper = makePaper();
	beforeAll(async () => {
		const { db } = get().store;
		await savePapers(db, [paper]);
		await addMembers(db, ['mod', 'boss', 'troll', 'other']);
		await db.updateTable('members').set({ role: 'moderator' }).where('id', '=', 'mod').execute();
		await db.updateTable('members').set({ role: 'admin' }).where('id', '=', 'boss').execute();
		await addComment(db, 't1', paper.id, 'troll');
		await addComment(db, 't2', paper.id, 'troll');
		await addComment(db, 'o1', paper.id, 'other');
	});

	it("a ban ends sessions and hides the member's comments; an unban shows exactly those again", async () => {
		const { db } = get().store;
		// One comment a moderator hid before the ban stays hidden after the unban.
		await setCommentHiddenAs(
			db,
			mod,
			{ commentId: 't2', hidden: true },
			new Date('2030-01-01T00:00:00Z')
		);
		const session = await startSession(db, 'troll');
		await banMemberAs(
			db,
			mod,
			{ username: 'troll', reason: 'abuse' },
			new Date('2030-01-02T00:00:00Z')
		);
		expect(await resolveSession(db, session.token)).toBeUndefined();
		expect((await findMemberById(db, 'troll'))?.status).toBe('banned');
		expect((await commentRow(db, 't1')).hidden_at).toBe('2030-01-02T00:00:00.000Z');
		expect((await commentRow(db, 'o1')).hidden_at).toBeNull();
		expect(await commentCount(db, paper.id)).toBe(1);
		await expect(banMemberAs(db, mod, { username: 'troll' })).rejects.toMatchObject({
			status: 409
		});

		await unbanMemberAs(db, mod, { username: 'troll' }, new Date('2030-01-03T00:00:00Z'));
		expect((await findMemberById(db, 'troll'))?.status).toBe('active');
		expect((await commentRow(db, 't1')).hidden_at).toBeNull();
		expect((await commentRow(db, 't2')).hidden_at).not.toBeNull();
		expect(await commentCount(db, paper.id)).toBe(2);
	});

	it('a moderator cannot ban or suspend a moderator, an admin or themself; an admin can', async () => {
		const { db } = get().store;
		await expect(banMemberAs(db, mod, { username: 'boss' })).rejects.toMatchObject({ status: 403 });
		await expect(banMemberAs(db, mod, { username: 'mod' })).rejects.toMatchObject({ status: 403 });
		await expect(suspendMemberAs(db, mod, { username: 'boss', days: 3 })).rejects.toMatchObject({
			status: 403
		});
		await suspendMemberAs(db, admin, { username: 'mod', days: 1 });
		await unsuspendMemberAs(db, admin, { username: 'mod' });
		expect((await findMemberById(db, 'mod'))?.suspendedUntil).toBeUndefined();
	});

	it('suspends for whole days from 1 to 365, and refuses anything else', async () => {
		const { db } = get().store;
		const now = new Date('2030-02-01T12:00:00.000Z');
		const done = await suspendMemberAs(
			db,
			mod,
			{ username: 'other', days: '7', reason: 'heat' },
			now
		);
		expect(done.suspendedUntil).toBe('2030-02-08T12:00:00.000Z');
		for (const days of ['0', '366', '1.5', 'soon', '']) {
			await expect(
				suspendMemberAs(db, mod, { username: 'other', days }, now)
			).rejects.toMatchObject({ status: 400 });
		}
		expect((await findMemberById(db, 'other'))?.suspendedUntil).toBe('2030-02-08T12:00:00.000Z');
		const entry = (await loadAuditLog(db, 0)).entries.find((e) => e.action === 'suspend');
		expect(entry?.reason).toContain('7 days, until 2030-02-08: heat');
	});

	it('the CLI (no actor) acts without an audit line', async () => {
		const { db } = get().store;
		const before = (await loadAuditLog(db, 0)).total;
		await banMemberAs(db, null, { username: 'boss' });
		await unbanMemberAs(db, null, { username: 'boss' });
		expect((await loadAuditLog(db, 0)).total).toBe(before);
	});
});
