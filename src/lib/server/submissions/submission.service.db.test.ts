import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '$support/databases';
import { addMembers, makePaper } from '$support/fixtures';
import {
	loadArxivRecordings,
	recordingKey,
	startReplayServer,
	type RecordedResponse,
	type ReplayServer
} from '$support/replay-server';
import { sharedData } from '$support/shared-data';
import { freePort } from '$support/app-server';
import {
	BadRequestError,
	NotFoundError,
	ServiceUnavailableError,
	TooManyRequestsError
} from '../errors';
import { createRateLimits } from '../http/rate-limit';
import { getFeed, getSubmitterPicks } from '../papers/feed.service';
import { picksOf } from '../papers/daily-pick.repository';
import { findPaper } from '../papers/paper.repository';
import { savePapers } from '../papers/paper.service';
import { countVoteRows, hasVoted } from '../votes/vote.repository';
import { parseDay } from '$lib/core/period';
import { PAPER_REFERENCE_HELP } from '$lib/core/paper-reference';
import { submitPaper, type SubmissionSettings } from './submission.service';

const dataDir = sharedData('arxiv-api-atom');
const recordings = dataDir ? loadArxivRecordings(dataDir) : new Map<string, RecordedResponse>();
const EMPTY_FEED = recordings.get(recordingKey(new URLSearchParams({ id_list: '0000.0000' })));

const member = (id: string) => ({ id, username: id, displayName: `${id} (display)` });

describe.skipIf(!dataDir)('submitting papers', () => {
	let arxiv: ReplayServer;

	beforeAll(async () => {
		// The recorded arXiv API: ids it has; anything else gets arXiv's recorded empty feed.
		arxiv = await startReplayServer(
			(url) => recordings.get(recordingKey(url.searchParams)) ?? EMPTY_FEED
		);
	});
	afterAll(async () => {
		await arxiv?.close();
	});

	const settings = (rules: Partial<SubmissionSettings['rules']> = {}): SubmissionSettings => ({
		rules: { maxAgeDays: 14, dailyLimit: 5, ...rules },
		arxiv: { baseUrl: `${arxiv.url}/api/query`, minDelayMs: 0, timeoutMs: 5000 }
	});

	describeEachDialect('the rules', (get) => {
		beforeAll(async () => {
			await addMembers(get().store.db, [
				'alice',
				'bob',
				'carol',
				'dave',
				'erin',
				'frank',
				'grace',
				'heidi',
				'ivan',
				'judy'
			]);
		});

		it("fetches a paper new here from arXiv, records the member's pick and counts their upvote", async () => {
			const { db } = get().store;
			const now = new Date('2016-05-30T09:00:00.000Z');
			const outcome = await submitPaper(
				db,
				{ reference: 'https://arxiv.org/abs/1605.08386v1', member: member('alice'), now },
				settings()
			);
			expect(outcome).toMatchObject({
				result: 'submitted',
				message: 'Submitted 1605.08386 for 2016-05-30.',
				vote: { voted: true, changed: true, memberUpvotes: 1 },
				paper: {
					id: '1605.08386',
					title: 'Heat-bath random walks with Markov bases',
					pickDay: '2016-05-30',
					submittedBy: 'alice',
					submittedAt: now.toISOString(),
					pickSubmitter: { memberId: 'alice', name: 'alice', displayName: 'alice (display)' }
				}
			});
			expect(await picksOf(db, '1605.08386')).toEqual([
				{
					paperId: '1605.08386',
					date: '2016-05-30',
					submittedBy: 'alice',
					submittedAt: now.toISOString(),
					source: 'member'
				}
			]);
			expect(await findPaper(db, '1605.08386')).toMatchObject({ memberUpvotes: 1, upvotes: 1 });
			expect(await hasVoted(db, { paperId: '1605.08386', memberId: 'alice' })).toBe(true);
		});

		it('merges a second submission of the paper into the first: the first submitter stays, the second member upvotes', async () => {
			const { db } = get().store;
			const later = new Date('2016-05-30T15:00:00.000Z');
			const merged = await submitPaper(
				db,
				{ reference: '1605.08386', member: member('bob'), now: later },
				settings()
			);
			expect(merged).toMatchObject({
				result: 'merged',
				message: 'Already submitted today by alice — your upvote was added.',
				vote: { changed: true, memberUpvotes: 2 },
				paper: { pickDay: '2016-05-30', submittedBy: 'alice' }
			});
			const again = await submitPaper(
				db,
				{ reference: 'arXiv:1605.08386', member: member('bob'), now: later },
				settings()
			);
			expect(again.message).toBe(
				'Already submitted today by alice — you had already upvoted it, so nothing changed.'
			);
			const own = await submitPaper(
				db,
				{ reference: 'hf.co/papers/1605.08386', member: member('alice'), now: later },
				settings()
			);
			expect(own).toMatchObject({
				result: 'merged',
				message: 'You already submitted this paper today.'
			});
			// Another day: still merged into the first pick, never listed twice.
			const nextDay = await submitPaper(
				db,
				{
					reference: '1605.08386',
					member: member('carol'),
					now: new Date('2016-05-31T08:00:00.000Z')
				},
				settings()
			);
			expect(nextDay.message).toBe(
				'Already submitted on 2016-05-30 by alice — your upvote was added.'
			);
			expect((await picksOf(db, '1605.08386')).map((p) => p.submittedBy)).toEqual(['alice']);
			expect(await countVoteRows(db, '1605.08386')).toBe(3);
			expect(await findPaper(db, '1605.08386')).toMatchObject({ memberUpvotes: 3 });
		});

		it('refuses a paper first published more than maxAgeDays ago, writing nothing', async () => {
			const { db } = get().store;
			const failure = submitPaper(
				db,
				{
					reference: 'https://arxiv.org/pdf/1707.08567.pdf',
					member: member('dave'),
					now: new Date('2017-12-01T00:00:00.000Z')
				},
				settings()
			);
			await expect(failure).rejects.toThrow(BadRequestError);
			await expect(failure).rejects.toThrow(
				/^1707\.08567 was first published on 2017-07-\d\d, more than 14 days ago; only papers from the last 14 days can be submitted\.$/
			);
			expect(await findPaper(db, '1707.08567')).toBeUndefined();
			expect(await picksOf(db, '1707.08567')).toEqual([]);
		});

		it('says arXiv has no such paper for an unknown id, writing nothing', async () => {
			const { db } = get().store;
			const failure = submitPaper(
				db,
				{ reference: '2611.99999', member: member('dave'), now: new Date() },
				settings()
			);
			await expect(failure).rejects.toThrow(NotFoundError);
			await expect(failure).rejects.toThrow('arXiv has no paper 2611.99999; check the id.');
			expect(await findPaper(db, '2611.99999')).toBeUndefined();
		});

		it('refuses what is not an arXiv id before asking arXiv', async () => {
			const { db } = get().store;
			const asked = arxiv.requests.length;
			for (const reference of [
				'javascript:alert(1)',
				'x'.repeat(1024),
				'２４０６.０１２３４',
				''
			]) {
				const failure = submitPaper(db, { reference, member: member('dave') }, settings());
				await expect(failure).rejects.toThrow(BadRequestError);
				await expect(failure).rejects.toThrow(PAPER_REFERENCE_HELP);
			}
			expect(arxiv.requests.length).toBe(asked);
		});

		it('answers 503 with a sentence when arXiv cannot be reached', async () => {
			const { db } = get().store;
			const closed = await freePort();
			const failure = submitPaper(
				db,
				{ reference: '2611.00042', member: member('dave'), now: new Date() },
				{
					...settings(),
					arxiv: { baseUrl: `http://127.0.0.1:${closed}/api/query`, retries: 0, minDelayMs: 0 }
				}
			);
			await expect(failure).rejects.toThrow(ServiceUnavailableError);
			await expect(failure).rejects.toThrow(
				'arXiv could not be reached to look up 2611.00042 (no answer); try again in a minute.'
			);
			await expect(failure).rejects.toMatchObject({ retryAfterSeconds: 60 });
		});

		it('holds each member to the daily limit per UTC day, and the refused one writes nothing', async () => {
			const { db } = get().store;
			const now = new Date('2026-11-20T22:00:00.000Z');
			const fresh = [1, 2, 3].map((n) =>
				makePaper({ id: `2611.0010${n}`, publishedAt: '2026-11-19T18:00:00.000Z' })
			);
			await savePapers(db, fresh);
			const limited = settings({ dailyLimit: 2 });
			for (const paper of fresh.slice(0, 2)) {
				await submitPaper(db, { reference: paper.id, member: member('erin'), now }, limited);
			}
			const failure = submitPaper(
				db,
				{ reference: fresh[2].id, member: member('erin'), now },
				limited
			);
			await expect(failure).rejects.toThrow(TooManyRequestsError);
			await expect(failure).rejects.toThrow(
				'You have submitted 2 papers today, the daily limit; you can submit again after midnight UTC.'
			);
			// Two hours to midnight UTC.
			await expect(failure).rejects.toMatchObject({ retryAfterSeconds: 7200 });
			expect(await picksOf(db, fresh[2].id)).toEqual([]);
			expect(await hasVoted(db, { paperId: fresh[2].id, memberId: 'erin' })).toBe(false);
			// Merging is an upvote, not a submission: it is not limited.
			await submitPaper(db, { reference: fresh[0].id, member: member('frank'), now }, limited);
			// The next UTC day the member may submit again.
			const tomorrow = await submitPaper(
				db,
				{ reference: fresh[2].id, member: member('erin'), now: new Date('2026-11-21T00:00:01Z') },
				limited
			);
			expect(tomorrow.result).toBe('submitted');
		});

		it('writes neither pick nor paper when a later step fails (a member who does not exist)', async () => {
			const { db } = get().store;
			const ghost = { id: 'ghost', username: 'ghost', displayName: 'Ghost' };
			const failure = submitPaper(
				db,
				{ reference: '1605.08386', member: ghost, now: new Date('2016-06-01T00:00:00Z') },
				settings()
			);
			await expect(failure).rejects.toThrow();
			// A paper fetched from arXiv for it is not stored either.
			const fetched = submitPaper(
				db,
				{ reference: '1707.08567', member: ghost, now: new Date('2017-08-01T00:00:00Z') },
				settings()
			);
			await expect(fetched).rejects.toThrow();
			expect(await findPaper(db, '1707.08567')).toBeUndefined();
			expect(await picksOf(db, '1707.08567')).toEqual([]);
		});

		it('lets concurrent submissions of one paper make one pick, the rest merging', async () => {
			const { db } = get().store;
			const paper = makePaper({ id: '2611.00200', publishedAt: '2026-11-19T18:00:00.000Z' });
			await savePapers(db, [paper]);
			const now = new Date('2026-11-20T10:00:00.000Z');
			const members = ['grace', 'heidi', 'ivan', 'judy'];
			const outcomes = await Promise.all(
				members.map((id) =>
					submitPaper(db, { reference: paper.id, member: member(id), now }, settings())
				)
			);
			expect(outcomes.filter((o) => o.result === 'submitted')).toHaveLength(1);
			expect(outcomes.filter((o) => o.result === 'merged')).toHaveLength(3);
			expect(await picksOf(db, paper.id)).toHaveLength(1);
			expect(await countVoteRows(db, paper.id)).toBe(4);
			expect(await findPaper(db, paper.id)).toMatchObject({ memberUpvotes: 4 });
		});

		it('rate-limits submissions per member in the store', async () => {
			const { db } = get().store;
			const paper = makePaper({ id: '2611.00300', publishedAt: '2026-11-19T18:00:00.000Z' });
			await savePapers(db, [paper]);
			const limited = { ...settings(), rateLimits: createRateLimits(get().store) };
			const now = new Date('2026-11-20T10:00:00.000Z');
			for (let i = 0; i < 10; i++) {
				await submitPaper(db, { reference: paper.id, member: member('judy'), now }, limited);
			}
			const failure = submitPaper(
				db,
				{ reference: paper.id, member: member('judy'), now },
				limited
			);
			await expect(failure).rejects.toThrow(TooManyRequestsError);
			await expect(failure).rejects.toThrow(/^Too many submissions; try again in \d+ minutes?\.$/);
		});

		it('lists the papers of a submitter, case-insensitively, members and imported names alike', async () => {
			const { db } = get().store;
			const imported = makePaper({ id: '2611.00400', publishedAt: '2026-11-19T18:00:00.000Z' });
			await savePapers(db, [imported], {
				picks: [
					{
						paperId: imported.id,
						date: '2026-11-20',
						submittedBy: 'Curator One',
						submittedAt: '2026-11-20T00:30:00.000Z',
						source: 'hf'
					}
				]
			});
			const day = await getFeed(db, { period: parseDay('2026-11-20')!, submitter: 'ERIN' });
			expect(day.papers.map((p) => p.id).sort()).toEqual(['2611.00101', '2611.00102']);
			expect(day.papers[0].pickSubmitter).toEqual({
				memberId: 'erin',
				name: 'erin',
				displayName: 'erin'
			});
			const everyDay = await getSubmitterPicks(db, { submitter: 'erin' });
			expect(everyDay.total).toBe(3);
			const curator = await getSubmitterPicks(db, { submitter: 'curator one' });
			expect(curator.papers.map((p) => [p.id, p.pickSubmitter])).toEqual([
				['2611.00400', { memberId: null, name: 'Curator One', displayName: 'Curator One' }]
			]);
			expect((await getSubmitterPicks(db, { submitter: 'nobody' })).total).toBe(0);
		});
	});
});
