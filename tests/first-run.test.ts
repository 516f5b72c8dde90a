/** First run: an empty database is seeded from DP_SEED, or from the HF API, or starts empty with guidance. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedIfEmpty } from '../src/lib/server/ingest/seed';
import { createLogger } from '../src/lib/server/log';
import { countRows } from '../src/lib/server/papers/paper.repository';
import { startAppServer, type RunningServer } from './support/app-server';
import {
	createTestDatabase,
	describeEachDialect,
	describeEachDialectKind
} from './support/databases';
import { writeFeedFixture } from './support/feed-fixture';
import { makeHfEntry } from './support/fixtures';
import { startReplayServer } from './support/replay-server';

const quiet = createLogger('silent');
const NOW = new Date('2033-03-10T12:00:00Z');

describeEachDialectKind('seedIfEmpty', (kind) => {
	it('seeds from DP_SEED and leaves a non-empty database alone', async () => {
		const database = await createTestDatabase(kind);
		const config = {
			seed: writeFeedFixture(),
			seedFromHuggingFace: false,
			huggingFaceApiUrl: 'http://127.0.0.1:9/x'
		};
		const first = await seedIfEmpty(database.store.db, config, quiet, NOW);
		expect(first.kind).toBe('seeded');
		expect((await countRows(database.store.db)).papers).toBe(5);
		expect((await seedIfEmpty(database.store.db, config, quiet, NOW)).kind).toBe('not-empty');
		await database.drop();
	});

	it('fetches the last 30 days from the Hugging Face API when there is no DP_SEED', async () => {
		const database = await createTestDatabase(kind);
		const api = await startReplayServer((url) => {
			const date = url.searchParams.get('date');
			if (date === '2033-03-09')
				return { status: 200, body: JSON.stringify([makeHfEntry('3303.00001')]) };
			return { status: 200, body: '[]' };
		});
		const outcome = await seedIfEmpty(
			database.store.db,
			{
				seed: undefined,
				seedFromHuggingFace: true,
				huggingFaceApiUrl: `${api.url}/api/daily_papers`
			},
			quiet,
			NOW
		);
		expect(outcome.kind).toBe('seeded');
		expect(api.requests).toHaveLength(30);
		expect(api.requests[0].searchParams.get('date')).toBe('2033-03-10');
		expect(api.requests[29].searchParams.get('date')).toBe('2033-02-09');
		expect((await countRows(database.store.db)).dailyPicks).toBe(1);
		await api.close();
		await database.drop();
	});

	it('starts empty with one clear log line when the API cannot be reached', async () => {
		const database = await createTestDatabase(kind);
		const lines: string[] = [];
		const log = createLogger('info');
		log.warn = ((message: string) => lines.push(message)) as typeof log.warn;
		// Port 9 (discard) is closed here: the connection is refused at once, as without network.
		const outcome = await seedIfEmpty(
			database.store.db,
			{
				seed: undefined,
				seedFromHuggingFace: true,
				huggingFaceApiUrl: 'http://127.0.0.1:9/api/daily_papers'
			},
			log,
			NOW
		);
		expect(outcome.kind).toBe('unavailable');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(/could not reach .*starting with an empty database.*DP_SEED/);
		await database.drop();
	});
});

describeEachDialect('the home page of an empty site', (database) => {
	let server: RunningServer;

	beforeAll(async () => {
		server = await startAppServer([], { database: database().env });
	});

	afterAll(async () => {
		await server?.stop();
	});

	it('explains how to import papers', async () => {
		const response = await fetch(server.url);
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toContain('No papers yet');
		expect(html).toContain('dailypapers import hf-daily');
	});

	it('serves a JSON API that says there is nothing yet, and health', async () => {
		const daily = await fetch(`${server.url}/api/daily_papers`);
		expect(await daily.json()).toEqual([]);
		const health = await fetch(`${server.url}/healthz`);
		expect(await health.json()).toMatchObject({
			status: 'ok',
			database: { kind: database().kind, ok: true, seq: 0 },
			search: { docs: 0, seq: 0, lag: 0 }
		});
	});
});
