/**
 * Two app nodes on one PostgreSQL store: separate processes, ports and index folders. Each node
 * follows the store's change feed into its own search replica, so a paper written by any writer
 * shows on every node without the nodes talking to each other.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli, startAppServer, type RunningServer } from './support/app-server';
import { describePostgres } from './support/databases';
import { writeFeedFixture } from './support/feed-fixture';
import { makeHfEntry } from './support/fixtures';

const PAPER_ID = '3205.00001';
const TITLE = 'Heliotropic sunflower robots';
const BOUND_MS = 5000;

interface Visibility {
	page: number;
	api: number;
	searchIds: string[];
}

/** What one node shows of the paper right now: its page, its API record and a search for it. */
async function visibility(server: RunningServer): Promise<Visibility> {
	const [page, api, search] = await Promise.all([
		fetch(`${server.url}/papers/${PAPER_ID}`),
		fetch(`${server.url}/api/papers/${PAPER_ID}`),
		fetch(`${server.url}/api/papers/search?q=heliotropic`)
	]);
	await Promise.all([page.arrayBuffer(), api.arrayBuffer()]);
	const hits = (await search.json()) as { paper: { id: string } }[];
	return { page: page.status, api: api.status, searchIds: hits.map((hit) => hit.paper.id) };
}

const fullyVisible = (seen: Visibility) =>
	seen.page === 200 && seen.api === 200 && seen.searchIds.includes(PAPER_ID);

/** Polls a node until the paper is served and searchable; returns the ms from `since`. */
async function waitUntilVisible(server: RunningServer, since: number): Promise<number> {
	const giveUp = since + 3 * BOUND_MS;
	for (;;) {
		const seen = await visibility(server);
		if (fullyVisible(seen)) return Date.now() - since;
		if (Date.now() > giveUp)
			throw new Error(`${PAPER_ID} not visible on ${server.url}: ${JSON.stringify(seen)}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

describePostgres('two app nodes on one database', (database) => {
	let nodeA: RunningServer;
	let nodeB: RunningServer;

	beforeAll(async () => {
		// Node A seeds the store; node B starts on the same store and builds its own replica.
		nodeA = await startAppServer([writeFeedFixture()], { database: database().env });
		nodeB = await startAppServer([], { database: database().env });
	});

	afterAll(async () => {
		await Promise.all([nodeA?.stop(), nodeB?.stop()]);
	});

	it('runs as separate processes with their own ports and index folders', async () => {
		expect(nodeA.url).not.toBe(nodeB.url);
		expect(nodeA.indexDir).not.toBe(nodeB.indexDir);
		for (const node of [nodeA, nodeB]) {
			const health = (await (await fetch(`${node.url}/healthz`)).json()) as {
				database: { kind: string };
			};
			expect(health.database.kind).toBe('postgres');
			expect(fs.existsSync(path.join(node.indexDir, 'state.json'))).toBe(true);
		}
	});

	it('serves and finds on node B, within 5 s, a paper that `dailypapers import hf-daily` wrote with node A’s settings while both ran — and on node A', async () => {
		for (const node of [nodeA, nodeB]) {
			expect(await visibility(node)).toEqual({ page: 404, api: 404, searchIds: [] });
		}
		const input = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-multi-node-'));
		fs.writeFileSync(
			path.join(input, '2032-05-01.json'),
			JSON.stringify([
				makeHfEntry(PAPER_ID, { title: TITLE, summary: 'Robots that track the sun.' })
			])
		);
		// Node A's writer: the CLI on node A's database and index folder (there is no write API yet).
		const imported = await runCli(['import', 'hf-daily', input], {
			...database().env,
			DP_INDEX_DIR: nodeA.indexDir
		});
		expect(imported.status, imported.stderr).toBe(0);
		expect(imported.stdout).toContain('1 new');
		// The write has committed once the import exits; both nodes are timed from that moment.
		const committed = Date.now();
		const [onB, onA] = await Promise.all([
			waitUntilVisible(nodeB, committed),
			waitUntilVisible(nodeA, committed)
		]);
		expect(onB).toBeLessThanOrEqual(BOUND_MS);
		expect(onA).toBeLessThanOrEqual(BOUND_MS);
		const page = await (await fetch(`${nodeB.url}/papers/${PAPER_ID}`)).text();
		expect(page).toContain(TITLE);
		expect(await (await fetch(`${nodeB.url}/api/papers/${PAPER_ID}`)).json()).toMatchObject({
			id: PAPER_ID,
			title: TITLE
		});
		fs.rmSync(input, { recursive: true, force: true });
	});
});
