/**
 * Hugging Face's own Python client against the built server: `HfApi(endpoint=…)
 * .list_daily_papers` with every parameter it has (date, week, month, submitter,
 * sort, p, limit), its PaperInfo/User fields checked against the stored data.
 * Skips visibly without python3 or the offline wheels, except in CI.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOf } from '../src/lib/core/period';
import { changeProfile } from '../src/lib/server/members/member.service';
import { savePapers } from '../src/lib/server/papers/paper.service';
import { submitPaper } from '../src/lib/server/submissions/submission.service';
import { refreshTrending } from '../src/lib/server/trending/trending.service';
import { startAppServer, type RunningServer } from './support/app-server';
import { createTestDatabase, type TestDatabase } from './support/databases';
import { addMembers, makePaper } from './support/fixtures';
import { writeFeedFixture } from './support/feed-fixture';
import { HF_HUB_VERSION, hfClientUnavailable, runHfClient } from './support/hf-client';

const unavailable = hfClientUnavailable();
if (unavailable) {
	if (process.env.CI === 'true') {
		throw new Error(`CI=true but huggingface_hub cannot be installed: ${unavailable}`);
	}
	console.warn(`[skip] huggingface_hub ${HF_HUB_VERSION} client tests: ${unavailable}`);
}

if (unavailable !== null) {
	describe(`huggingface_hub ${HF_HUB_VERSION} client`, () => {
		it.skip(`skipped: ${unavailable}`, () => undefined);
	});
}

/** What the script prints of each PaperInfo: the fields huggingface_hub parsed. */
interface ClientPaper {
	id: string;
	title: string | null;
	summary: string | null;
	upvotes: number | null;
	comments: number | null;
	published_at: string | null;
	submitted_at: string | null;
	authors: string[];
	submitted_by: {
		username: string;
		fullname: string;
		avatar_url: string | null;
		type: string | null;
		is_pro: boolean | null;
	} | null;
	ai_summary: string | null;
	github_repo: string | null;
	github_stars: number | null;
}

type ClientAnswer = ClientPaper[] | { error: string; status: number | null; message: string };

// Each call is `list_daily_papers(**kwargs)`; the answer is PaperInfo fields, or the error raised.
const SCRIPT = String.raw`
import json, sys
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError

api = HfApi(endpoint=sys.argv[1], token=False)
calls = json.loads(sys.argv[2])

def iso(value):
    return None if value is None else value.isoformat().replace("+00:00", "Z")

def user(u):
    if u is None:
        return None
    return {"username": u.username, "fullname": u.fullname, "avatar_url": u.avatar_url,
            "type": u.user_type, "is_pro": u.is_pro}

def paper(p):
    return {"id": p.id, "title": p.title, "summary": p.summary, "upvotes": p.upvotes,
            "comments": p.comments, "published_at": iso(p.published_at),
            "submitted_at": iso(p.submitted_at), "authors": [a.name for a in p.authors or []],
            "submitted_by": user(p.submitted_by), "ai_summary": p.ai_summary,
            "github_repo": p.github_repo, "github_stars": p.github_stars}

out = {}
for name, kwargs in calls.items():
    try:
        out[name] = [paper(p) for p in api.list_daily_papers(token=False, **kwargs)]
    except HfHubHTTPError as e:
        out[name] = {"error": type(e).__name__, "status": e.response.status_code if e.response is not None else None, "message": str(e)}
print(json.dumps(out))
`;

/** `2024-06-03T00:30:00.000Z` as Python's isoformat() writes it back. */
const pythonIso = (iso: string) => iso.replace('.000Z', 'Z');

describe.skipIf(unavailable !== null)(
	`huggingface_hub ${HF_HUB_VERSION} against the server`,
	() => {
		let database: TestDatabase & { drop(): Promise<void> };
		let server: RunningServer;
		let home: string;
		let answers: Record<string, ClientAnswer>;
		const today = dayOf(new Date());
		const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
		const fresh = ['2611.00021', '2611.00022', '2611.00023'];

		/** The server's own JSON for the same parameters, to compare the client's parse with. */
		const raw = async (query: string) =>
			(await (await fetch(`${server.url}/api/daily_papers?${query}`)).json()) as {
				paper: { id: string; title: string; upvotes: number; summary: string };
				submittedBy?: { user: string };
			}[];

		beforeAll(async () => {
			database = await createTestDatabase('sqlite');
			server = await startAppServer([writeFeedFixture()], { database: database.env });
			const { db } = database.store;
			await addMembers(db, ['alice', 'bob']);
			await changeProfile(db, 'alice', { username: 'alice', displayName: 'Alice Liddell' });
			await savePapers(
				db,
				fresh.map((id, i) =>
					makePaper({
						id,
						title: `Fresh paper ${i + 1}`,
						publishedAt: hoursAgo(2 + 10 * i),
						sourceUpvotes: 0
					})
				)
			);
			const settings = {
				rules: { maxAgeDays: 14, dailyLimit: 5 },
				// Every paper is stored already: arXiv is never asked.
				arxiv: { baseUrl: 'http://127.0.0.1:9/api/query' }
			};
			const alice = { id: 'alice', username: 'alice', displayName: 'Alice Liddell' };
			const bob = { id: 'bob', username: 'bob', displayName: 'bob' };
			await submitPaper(db, { reference: fresh[0], member: alice }, settings);
			await submitPaper(db, { reference: fresh[1], member: alice }, settings);
			await submitPaper(db, { reference: fresh[2], member: bob }, settings);
			await submitPaper(db, { reference: fresh[2], member: alice }, settings);
			await refreshTrending(db, { now: new Date() });

			home = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-hf-home-'));
			const calls = {
				date: { date: '2024-06-03' },
				week: { week: '2024-W23' },
				month: { month: '2024-06' },
				submitter: { submitter: 'alice' },
				submitterImported: { submitter: 'Curator One', date: '2024-06-04' },
				trending: { sort: 'trending' },
				publishedAt: { sort: 'publishedAt', date: today },
				page: { month: '2024-06', p: 1, limit: 2 },
				limit: { limit: 1, date: '2024-06-03' },
				latest: {},
				badDate: { date: '2024-13-01' }
			};
			answers = runHfClient(SCRIPT, [server.url, JSON.stringify(calls)], home) as Record<
				string,
				ClientAnswer
			>;
		}, 180_000);

		afterAll(async () => {
			await server?.stop();
			await database?.drop();
			if (home) fs.rmSync(home, { recursive: true, force: true });
		});

		const papers = (name: string): ClientPaper[] => {
			const answer = answers[name];
			if (!Array.isArray(answer)) throw new Error(`${name}: ${JSON.stringify(answer)}`);
			return answer;
		};

		it('reads a day (date=) with every PaperInfo field from the stored data', () => {
			const day = papers('date');
			expect(day.map((p) => [p.id, p.upvotes])).toEqual([
				['2406.00001', 40],
				['2406.00002', 12],
				['2406.00003', 3]
			]);
			expect(day[0]).toEqual({
				id: '2406.00001',
				title: 'Attention with $\\mathcal{O}(n \\log n)$ cost',
				summary:
					'We show $\\alpha + \\beta = \\gamma$ and a broken formula $\\frac{1}{$ stays text.',
				upvotes: 40,
				// Comments readable here (none yet), not the 2 imported from Hugging Face.
				comments: 0,
				published_at: pythonIso('2024-06-02T17:59:00.000Z'),
				submitted_at: pythonIso('2024-06-03T00:30:00.000Z'),
				authors: ['Grace Hopper', 'Edsger Dijkstra'],
				// An imported pick: Hugging Face's name, no account here, so no avatar.
				submitted_by: {
					username: 'Curator One',
					fullname: 'Curator One',
					avatar_url: null,
					type: 'user',
					is_pro: false
				},
				// PaperInfo reads these at the top level of a daily entry, where Hugging Face's own
				// answer does not carry them either (they are inside "paper").
				ai_summary: null,
				github_repo: null,
				github_stars: null
			});
		});

		it('reads a week (week=) and a month (month=), and pages them (p=, limit=)', async () => {
			const week = papers('week').map((p) => p.id);
			expect(week).toEqual((await raw('week=2024-W23')).map((e) => e.paper.id));
			expect(week.sort()).toEqual([
				'2406.00001',
				'2406.00002',
				'2406.00003',
				'2406.00004',
				'2406.00005'
			]);
			const month = papers('month').map((p) => p.id);
			expect(month).toHaveLength(5);
			expect(papers('page').map((p) => p.id)).toEqual(month.slice(2, 4));
			expect(papers('limit').map((p) => p.id)).toEqual(['2406.00001']);
		});

		it("reads a member's submissions (submitter=) with the member as huggingface_hub's User", () => {
			const mine = papers('submitter');
			expect(mine.map((p) => p.id).sort()).toEqual([fresh[0], fresh[1]]);
			for (const paper of mine) {
				expect(paper.submitted_by).toEqual({
					username: 'alice',
					fullname: 'Alice Liddell',
					avatar_url: expect.stringMatching(/^http:\/\/localhost:\d+\/avatars\/alice\.svg$/),
					type: 'user',
					is_pro: false
				});
				expect(paper.submitted_at?.slice(0, 10)).toBe(today);
				expect(paper.upvotes).toBe(1);
			}
			const imported = papers('submitterImported');
			expect(imported.map((p) => p.id)).toEqual(['2406.00004', '2406.00005']);
			expect(imported.every((p) => p.submitted_by?.username === 'Curator One')).toBe(true);
		});

		it('reads sort=trending and sort=publishedAt in their orders', async () => {
			const trending = papers('trending');
			expect(trending.map((p) => p.id)).toEqual(
				(await raw('sort=trending')).map((e) => e.paper.id)
			);
			expect(trending.map((p) => p.id).sort()).toEqual([...fresh].sort());
			// The paper two members submitted: two upvotes, and its first submitter stays bob.
			const shared = trending.find((p) => p.id === fresh[2]);
			expect(shared).toMatchObject({ upvotes: 2, submitted_by: { username: 'bob' } });
			// Newest published first.
			expect(papers('publishedAt').map((p) => p.id)).toEqual(fresh);
		});

		it('reads the latest day without parameters, and gets our sentence for a bad one', () => {
			expect(
				papers('latest')
					.map((p) => p.id)
					.sort()
			).toEqual([...fresh].sort());
			// huggingface_hub raises its HfHubHTTPError subclass for a 400.
			expect(answers.badDate).toMatchObject({ error: 'BadRequestError', status: 400 });
			expect((answers.badDate as { message: string }).message).toContain(
				'date must be a calendar day written YYYY-MM-DD'
			);
		});
	}
);
