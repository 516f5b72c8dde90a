import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '$support/databases';
import { addMembers, makePaper } from '$support/fixtures';
import { addSubmission } from '$support/member-fixtures';
import { savePapers } from '../papers/paper.service';
import { castVote } from '../votes/vote.service';
import { follow } from './follow.service';
import { loadMePage, markMeSeen } from './me-feed.service';

describeEachDialect('/me', (get) => {
	const now = new Date('2026-12-05T12:00:00.000Z');
	const ago = (hours: number) => new Date(now.getTime() - hours * 3_600_000).toISOString();
	const byAuthor = makePaper({
		authors: ['Sofia Kovalevskaya'],
		categories: ['math.AP'],
		publishedAt: ago(50)
	});
	const inCategory = makePaper({
		authors: ['Someone Else'],
		categories: ['astro-ph.GA'],
		publishedAt: ago(40)
	});
	const tooOld = makePaper({
		authors: ['Sofia Kovalevskaya'],
		categories: ['math.AP'],
		publishedAt: ago(24 * 45)
	});
	const submitted = makePaper({
		authors: ['Third Person'],
		categories: ['q-bio.NC'],
		publishedAt: ago(24 * 100)
	});
	const upvoted = makePaper({
		authors: ['Fourth Person'],
		categories: ['q-bio.NC'],
		publishedAt: ago(24 * 200)
	});
	const unrelated = makePaper({
		authors: ['Nobody Followed'],
		categories: ['hep-th'],
		publishedAt: ago(1)
	});

	beforeAll(async () => {
		const { db } = get().store;
		await addMembers(db, ['me-reader', 'me-followed', 'me-empty']);
		await savePapers(db, [byAuthor, inCategory, tooOld, submitted, upvoted, unrelated]);
		await follow(db, { memberId: 'me-reader', kind: 'author', target: 'Sofia Kovalevskaya' });
		await follow(db, { memberId: 'me-reader', kind: 'category', target: 'astro-ph.GA' });
		await follow(db, { memberId: 'me-reader', kind: 'member', target: 'me-followed' });
		await addSubmission(db, {
			paperId: submitted.id,
			day: ago(30).slice(0, 10),
			memberId: 'me-followed',
			username: 'me-followed',
			at: ago(30)
		});
		await castVote(db, { paperId: upvoted.id, memberId: 'me-followed' }, new Date(ago(20)));
	});

	it('shows papers by followed authors, in followed categories and submitted or upvoted by followed members, newest first', async () => {
		const { db } = get().store;
		const me = await loadMePage(db, 'me-reader', { page: 0, pageSize: 10 }, now);
		expect(me.papers.map((p) => p.id)).toEqual([
			upvoted.id,
			submitted.id,
			inCategory.id,
			byAuthor.id
		]);
		expect(me.papers.map((p) => p.reasons.map((r) => `${r.how} ${r.label}`))).toEqual([
			['upvoted me-followed'],
			['submitted me-followed'],
			['in astro-ph.GA'],
			['by Sofia Kovalevskaya']
		]);
		// The first visit: everything is new.
		expect(me.papers.every((p) => p.isNew)).toBe(true);
		const paged = await loadMePage(db, 'me-reader', { page: 1, pageSize: 3 }, now);
		expect(paged.papers.map((p) => p.id)).toEqual([byAuthor.id]);
		expect(paged.hasMore).toBe(false);
	});

	it('marks as new only what came after the previous visit', async () => {
		const { db } = get().store;
		await markMeSeen(db, 'me-reader', new Date(ago(35)));
		const me = await loadMePage(db, 'me-reader', { page: 0, pageSize: 10 }, now);
		expect(me.papers.map((p) => [p.id, p.isNew])).toEqual([
			[upvoted.id, true],
			[submitted.id, true],
			[inCategory.id, false],
			[byAuthor.id, false]
		]);
		await markMeSeen(db, 'me-reader', now);
		const again = await loadMePage(db, 'me-reader', { page: 0, pageSize: 10 }, now);
		expect(again.papers.some((p) => p.isNew)).toBe(false);
		expect(again.seenAt).toBe(now.toISOString());
	});

	it('shows nothing to a member who follows nothing', async () => {
		const me = await loadMePage(get().store.db, 'me-empty', { page: 0, pageSize: 10 }, now);
		expect(me).toMatchObject({ follows: [], papers: [], hasMore: false });
	});
});
