/**
 * Counts stay exact under concurrent votes: 50 members toggling their vote on one paper at
 * once, spread over two app nodes (separate processes, ports and index folders) on one
 * PostgreSQL database, and one member toggling from several tabs at once. Afterwards the
 * stored count (`papers.member_upvotes`) must equal the `paper_votes` rows, and those rows
 * must be exactly the votes that should stand. The same on SQLite with one node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../src/lib/server/auth/identify';
import { startSession } from '../src/lib/server/auth/session.service';
import { findPaper } from '../src/lib/server/papers/paper.repository';
import { countVoteRows, hasVoted } from '../src/lib/server/votes/vote.repository';
import { castVote } from '../src/lib/server/votes/vote.service';
import { startAppServer, type RunningServer } from './support/app-server';
import { createTestDatabase, describePostgres, type TestDatabase } from './support/databases';
import { writeFeedFixture } from './support/feed-fixture';
import { addMembers } from './support/fixtures';

const PAPER = '2406.00001'; // 40 upvotes from Hugging Face in the fixture
const SOURCE_UPVOTES = 40;
const MEMBERS = Array.from({ length: 50 }, (_, i) => `voter-${String(i).padStart(2, '0')}`);
const TABS = 8;

/** The checks, for any number of nodes on one store. */
function concurrentVoteChecks(database: () => TestDatabase, nodes: () => RunningServer[]): void {
	const sessions = new Map<string, string>();
	const db = () => database().store.db;

	const toggle = (member: string, node: RunningServer, method: 'POST' | 'DELETE') =>
		fetch(`${node.url}/api/papers/${PAPER}/upvote`, {
			method,
			headers: { cookie: `${SESSION_COOKIE}=${sessions.get(member)}` }
		});

	/** Every member in `members` whose vote row exists now. */
	const standing = async (members: string[]) => {
		const found = await Promise.all(
			members.map(async (memberId) =>
				(await hasVoted(db(), { paperId: PAPER, memberId })) ? memberId : null
			)
		);
		return found.filter((m): m is string => m !== null);
	};

	const expectCountsAgree = async (expectedVoters: string[]) => {
		const rows = await countVoteRows(db(), PAPER);
		expect((await findPaper(db(), PAPER))?.memberUpvotes).toBe(rows);
		expect(rows).toBe(expectedVoters.length);
		expect((await standing([...MEMBERS, 'tabby'])).sort()).toEqual([...expectedVoters].sort());
		// Every node shows the same total: the imported count plus the votes that stand.
		for (const node of nodes()) {
			const paper = (await (await fetch(`${node.url}/api/papers/${PAPER}`)).json()) as {
				upvotes: number;
			};
			expect(paper.upvotes).toBe(SOURCE_UPVOTES + rows);
		}
	};

	beforeAll(async () => {
		await addMembers(db(), [...MEMBERS, 'tabby']);
		for (const member of [...MEMBERS, 'tabby'])
			sessions.set(member, (await startSession(db(), member)).token);
		// Half of them have voted before, so the toggles mix casting and taking back.
		for (const memberId of MEMBERS.filter((_, i) => i % 2 === 0))
			await castVote(db(), { paperId: PAPER, memberId });
	});

	it('keeps the count exact when 50 members toggle at once across the nodes', async () => {
		let voters = await standing(MEMBERS);
		expect(voters).toHaveLength(25);
		for (let round = 0; round < 2; round++) {
			const before = new Set(voters);
			const answers = await Promise.all(
				MEMBERS.map(async (member, i) => {
					const node = nodes()[i % nodes().length];
					const response = await toggle(member, node, before.has(member) ? 'DELETE' : 'POST');
					expect(response.status).toBe(200);
					return (await response.json()) as { voted: boolean; upvotes: number };
				})
			);
			// Each answer says the member's new state; the totals they saw are all possible ones.
			answers.forEach((answer, i) => expect(answer.voted).toBe(!before.has(MEMBERS[i])));
			for (const answer of answers) {
				expect(answer.upvotes).toBeGreaterThanOrEqual(SOURCE_UPVOTES);
				expect(answer.upvotes).toBeLessThanOrEqual(SOURCE_UPVOTES + MEMBERS.length);
			}
			voters = MEMBERS.filter((m) => !before.has(m));
			await expectCountsAgree(voters);
		}
	});

	it('counts one vote when one member votes from several tabs at once, and stays exact when the tabs disagree', async () => {
		const voters = await standing(MEMBERS);
		const node = (tab: number) => nodes()[tab % nodes().length];
		// Every tab shows "not voted" and sends a vote: one row.
		const casts = await Promise.all(
			Array.from({ length: TABS }, (_, tab) => toggle('tabby', node(tab), 'POST'))
		);
		for (const response of casts) expect(await response.json()).toMatchObject({ voted: true });
		await expectCountsAgree([...voters, 'tabby']);
		// Half the tabs take the vote back while the other half cast it: whichever commits last
		// stands, and the count follows the row.
		const mixed = await Promise.all(
			Array.from({ length: TABS }, (_, tab) =>
				toggle('tabby', node(tab), tab % 2 === 0 ? 'DELETE' : 'POST')
			)
		);
		for (const response of mixed) expect(response.status).toBe(200);
		const tabbyVotes = (await standing(['tabby'])).length === 1;
		await expectCountsAgree(tabbyVotes ? [...voters, 'tabby'] : voters);
	});
}

describePostgres('concurrent votes on two app nodes', (database) => {
	let nodeA: RunningServer;
	let nodeB: RunningServer;
	beforeAll(async () => {
		nodeA = await startAppServer([writeFeedFixture()], { database: database().env });
		nodeB = await startAppServer([], { database: database().env });
		expect(nodeA.indexDir).not.toBe(nodeB.indexDir);
	});
	afterAll(async () => {
		await Promise.all([nodeA?.stop(), nodeB?.stop()]);
	});
	concurrentVoteChecks(database, () => [nodeA, nodeB]);
});

describe('concurrent votes on one app node [sqlite]', () => {
	let database: (TestDatabase & { drop(): Promise<void> }) | undefined;
	let node: RunningServer;
	beforeAll(async () => {
		database = await createTestDatabase('sqlite');
		node = await startAppServer([writeFeedFixture()], { database: database.env });
	});
	afterAll(async () => {
		await node?.stop();
		await database?.drop();
	});
	concurrentVoteChecks(
		() => {
			if (!database) throw new Error('database not ready');
			return database;
		},
		() => [node]
	);
});
