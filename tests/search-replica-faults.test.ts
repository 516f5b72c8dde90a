/**
 * The search replica against what operators and disks do, over real HTTP with the built server:
 * an index folder from another store or with a bad state.json (rebuilt), a folder that cannot be
 * written (the site serves from memory and says so once), and damaged index files (rebuilt with
 * one warning, same results as a fresh build).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { savePapers } from '../src/lib/server/papers/paper.service';
import { startAppServer, type RunningServer } from './support/app-server';
import { createTestDatabase, describeEachDialectKind } from './support/databases';
import { makePaper } from './support/fixtures';

type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;

interface HealthBody {
	status: string;
	problems?: string[];
	database: { seq?: number };
	search: { docs: number; seq: number; lag?: number; persisted: boolean; persistError?: string };
}

interface LogLine {
	level: number;
	msg: string;
	reason?: string;
	err?: unknown;
}

const WARN = 40;

// Stop the servers, then unmount, then remove the folders and databases.
const servers: RunningServer[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
const folders: string[] = [];
afterAll(async () => {
	for (const server of servers) await server.stop({ keepFiles: true });
	for (const cleanup of cleanups.reverse()) await cleanup();
	for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
});

async function database(kind: TestDatabase['kind'] = 'sqlite'): Promise<TestDatabase> {
	const created = await createTestDatabase(kind);
	cleanups.push(() => created.drop());
	return created;
}

async function serve(
	db: TestDatabase,
	options: { dir?: string; env?: Record<string, string> } = {}
) {
	const server = await startAppServer([], { ...options, database: db.env });
	servers.push(server);
	folders.push(server.dir);
	return server;
}

async function health(server: RunningServer): Promise<{ status: number; body: HealthBody }> {
	const response = await fetch(`${server.url}/healthz`);
	return { status: response.status, body: (await response.json()) as HealthBody };
}

async function searchIds(server: RunningServer, q: string): Promise<string[]> {
	const response = await fetch(`${server.url}/api/papers/search?q=${encodeURIComponent(q)}`);
	expect(response.status).toBe(200);
	return ((await response.json()) as { paper: { id: string } }[]).map((entry) => entry.paper.id);
}

async function searchable(server: RunningServer, q: string, id: string): Promise<void> {
	const deadline = Date.now() + 5000;
	while (!(await searchIds(server, q)).includes(id)) {
		if (Date.now() > deadline) throw new Error(`${id} not searchable for "${q}" after 5 s`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

function logLines(server: RunningServer): LogLine[] {
	return server
		.output()
		.split('\n')
		.filter((line) => line.startsWith('{'))
		.map((line) => JSON.parse(line) as LogLine);
}

function tempDir(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-replica-faults-'));
	folders.push(dir);
	return dir;
}

/** Runs `mount` (root only); false when this machine does not allow it. */
function tryMount(args: string[]): boolean {
	try {
		execFileSync('mount', args, { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

function unmount(target: string): void {
	execFileSync('umount', [target], { stdio: 'ignore' });
}

const canMount = (() => {
	if (process.getuid?.() !== 0) return false;
	const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-mount-probe-'));
	try {
		if (!tryMount(['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe])) return false;
		unmount(probe);
		return true;
	} finally {
		fs.rmSync(probe, { recursive: true, force: true });
	}
})();

describeEachDialectKind('a replica that does not belong to its store', (kind) => {
	// Regression: DP_DB_PATH pointed at another database next to an existing index folder gave
	// /healthz "ok" with lag -9816 and searches over the other corpus.
	it('rebuilds an index folder built from another store', async () => {
		const first = await database(kind);
		await savePapers(first.store.db, [
			makePaper({ id: '2501.00001', title: 'Ornithopter aerodynamics' }),
			makePaper({ id: '2501.00002', title: 'Ornithopter control' })
		]);
		const before = await serve(first);
		expect(await searchIds(before, 'ornithopter')).toHaveLength(2);
		await before.stop({ keepFiles: true });

		const second = await database(kind);
		await savePapers(second.store.db, [makePaper({ id: '2502.00001', title: 'Zeppelin mooring' })]);
		const after = await serve(second, { dir: before.dir });
		const { status, body } = await health(after);
		expect(status).toBe(200);
		expect(body.status).toBe('ok');
		expect(body.search).toMatchObject({ docs: 1, lag: 0, persisted: true });
		expect(await searchIds(after, 'ornithopter')).toEqual([]);
		expect(await searchIds(after, 'zeppelin')).toEqual(['2502.00001']);
		expect(logLines(after).some((line) => /another store/.test(line.reason ?? ''))).toBe(true);
	});

	// Regression: a state.json with seq 99999999 was accepted, and new papers never became searchable.
	it.each([
		['a seq ahead of the store', { seq: 99_999_999 }],
		['no seq', { seq: undefined }],
		['a seq that is not a number', { seq: 'seven' }]
	])('rebuilds a state.json with %s, and new papers become searchable', async (_, patch) => {
		const db = await database(kind);
		await savePapers(db.store.db, [makePaper({ id: '2503.00001', title: 'Heliotrope tracking' })]);
		const first = await serve(db);
		await first.stop({ keepFiles: true });
		const statePath = path.join(first.indexDir, 'state.json');
		const state = JSON.parse(fs.readFileSync(statePath, 'utf8')) as Record<string, unknown>;
		fs.writeFileSync(statePath, JSON.stringify({ ...state, ...patch }));

		const server = await serve(db, { dir: first.dir });
		const { body } = await health(server);
		expect(body.status).toBe('ok');
		expect(body.search).toMatchObject({ docs: 1, lag: 0 });
		await savePapers(db.store.db, [makePaper({ id: '2503.00002', title: 'Heliotrope drift' })]);
		await searchable(server, 'heliotrope drift', '2503.00002');
	});

	it('reports a negative lag as degraded (the store went back, e.g. restored from a backup)', async () => {
		const db = await database(kind);
		await savePapers(db.store.db, [makePaper({ id: '2504.00001', title: 'Quokka census' })]);
		const server = await serve(db);
		expect((await health(server)).body.status).toBe('ok');
		await sql`update counters set value = value - 1 where name = 'papers'`.execute(db.store.db);
		const { status, body } = await health(server);
		expect(status).toBe(200);
		expect(body.status).toBe('degraded');
		expect(body.search.lag).toBe(-1);
		expect(body.problems?.join(' ')).toMatch(/ahead of the store/);
	});
});

describe('an index folder that cannot be written', () => {
	function expectOneSaveWarning(server: RunningServer): void {
		const lines = logLines(server);
		const warnings = lines.filter((line) => /cannot be saved/.test(line.msg));
		expect(warnings).toHaveLength(1);
		expect(warnings[0].level).toBe(WARN);
		expect(warnings[0].err).toBeUndefined();
		expect(lines.filter((line) => line.level > WARN)).toEqual([]);
	}

	// Regression: the server built the index, then exited with one line (EEXIST) and served nothing.
	it('serves pages and search from memory when the index path is a file', async () => {
		const db = await database();
		await savePapers(db.store.db, [makePaper({ id: '2505.00001', title: 'Kelp forest dynamics' })]);
		const dir = tempDir();
		fs.writeFileSync(path.join(dir, 'index'), 'not a folder');
		const server = await serve(db, { dir, env: { DP_INDEX_SAVE_MS: '100' } });

		expect((await fetch(`${server.url}/`)).status).toBe(200);
		expect(await searchIds(server, 'kelp')).toEqual(['2505.00001']);
		const { status, body } = await health(server);
		expect(status).toBe(200);
		expect(body.status).toBe('degraded');
		expect(body.search.persisted).toBe(false);
		expect(body.search.persistError).toMatch(/EEXIST|ENOTDIR/);
		// Changes keep arriving and syncing; saving waits for its backoff instead of failing each time.
		for (let i = 2; i <= 4; i++) {
			const id = `2505.0000${i}`;
			await savePapers(db.store.db, [makePaper({ id, title: `Kelp canopy ${i}` })]);
			await searchable(server, `kelp canopy ${i}`, id);
		}
		await new Promise((r) => setTimeout(r, 1500));
		expectOneSaveWarning(server);
	});

	// Regression: with a valid index on a read-only mount, each sync after a change logged an error
	// with a stack trace, once a second, without end.
	it.skipIf(!canMount)(
		'keeps a valid index on a read-only mount and warns once, not every second',
		async () => {
			const db = await database();
			await savePapers(db.store.db, [makePaper({ id: '2506.00001', title: 'Basalt columns' })]);
			const first = await serve(db);
			await first.stop({ keepFiles: true });
			expect(tryMount(['--bind', first.indexDir, first.indexDir])).toBe(true);
			cleanups.push(() => unmount(first.indexDir));
			expect(tryMount(['-o', 'remount,ro,bind', first.indexDir])).toBe(true);

			const server = await serve(db, { dir: first.dir, env: { DP_INDEX_SAVE_MS: '100' } });
			expect((await health(server)).body).toMatchObject({
				status: 'ok',
				search: { docs: 1, persisted: true }
			});
			for (let i = 2; i <= 5; i++) {
				const id = `2506.0000${i}`;
				await savePapers(db.store.db, [makePaper({ id, title: `Basalt flow ${i}` })]);
				await searchable(server, `basalt flow ${i}`, id);
				await new Promise((r) => setTimeout(r, 400));
			}
			const { body } = await health(server);
			expect(body.status).toBe('degraded');
			expect(body.search).toMatchObject({ docs: 5, persisted: false });
			expect(body.search.persistError).toMatch(/EROFS|read-only/);
			expectOneSaveWarning(server);
			expect((await fetch(`${server.url}/`)).status).toBe(200);
		}
	);

	// Regression: on a full disk the server exited with ENOSPC and left a 4 MB .lexical.bin.<pid>.tmp.
	it.skipIf(!canMount)(
		'serves from memory on a full disk and leaves no temp file behind',
		async () => {
			const db = await database();
			await savePapers(
				db.store.db,
				Array.from({ length: 300 }, (_, i) =>
					makePaper({
						id: `2507.${String(i).padStart(5, '0')}`,
						title: `Tidal turbine wake number ${i}`
					})
				)
			);
			const dir = tempDir();
			const indexDir = path.join(dir, 'index');
			fs.mkdirSync(indexDir);
			expect(tryMount(['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', indexDir])).toBe(true);
			cleanups.push(() => unmount(indexDir));

			const server = await serve(db, { dir });
			expect(await searchIds(server, 'turbine')).not.toEqual([]);
			const { body } = await health(server);
			expect(body.search.persisted).toBe(false);
			expect(body.search.persistError).toMatch(/ENOSPC/);
			expect(fs.readdirSync(indexDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
			expectOneSaveWarning(server);
		}
	);
});

describe('temporary files', () => {
	it('removes the temp file a killed save left behind, at the next save', async () => {
		const db = await database();
		await savePapers(db.store.db, [makePaper({ id: '2509.00001', title: 'Lichen growth' })]);
		const first = await serve(db);
		await first.stop({ keepFiles: true });
		// No process has this pid (above Linux's pid_max), as after a kill -9 mid-save.
		const orphan = path.join(first.indexDir, '.lexical.bin.4194305.tmp');
		fs.writeFileSync(orphan, Buffer.alloc(4096));
		fs.rmSync(path.join(first.indexDir, 'state.json'));

		const server = await serve(db, { dir: first.dir });
		expect(await searchIds(server, 'lichen')).toEqual(['2509.00001']);
		expect(fs.existsSync(orphan)).toBe(false);
		expect(fs.existsSync(path.join(first.indexDir, 'state.json'))).toBe(true);
	});
});

describe('damaged index files', () => {
	const words = (
		'graph neural network protein folding diffusion image language model speech ' +
		'robot policy reinforcement reward quantum circuit error correction galaxy ' +
		'survey lensing climate ocean forecast tokenizer attention sparse kernel'
	).split(' ');

	/** 600 papers (the semantic layer needs 500) over a small vocabulary, deterministic. */
	function corpus() {
		let state = 7;
		const pick = () => words[(state = (state * 1103515245 + 12345) % 2 ** 31) % words.length];
		return Array.from({ length: 600 }, (_, i) =>
			makePaper({
				id: `2508.${String(i).padStart(5, '0')}`,
				title: `${pick()} ${pick()} ${pick()} for ${pick()}`,
				abstract: Array.from({ length: 30 }, pick).join(' ')
			})
		);
	}

	const queries = ['protein folding', 'quantum error correction', 'sparse attention kernel'];

	async function results(server: RunningServer): Promise<unknown[]> {
		const all = [];
		for (const q of queries) {
			const response = await fetch(
				`${server.url}/api/papers/search?q=${encodeURIComponent(q)}&limit=20`
			);
			const entries = (await response.json()) as { paper: { id: string }; score: number }[];
			all.push(entries.map((entry) => [entry.paper.id, entry.score]));
		}
		return all;
	}

	// Regression: random bytes in the middle of lexical.bin (or lsa.bin), size unchanged, loaded with
	// no warning and changed the results.
	it.each([
		['lexical.bin', 'with random bytes in its middle', /checksum/],
		['lsa.bin', 'with random bytes in its middle', /checksum/],
		['lsa.bin', 'that was deleted', /lsa\.bin is missing/]
	])('rebuilds a %s %s, with one warning and the same results', async (file, damage, reason) => {
		const db = await database();
		await savePapers(db.store.db, corpus());
		const fresh = await serve(db);
		const expected = await results(fresh);
		expect(expected[0]).not.toEqual([]);
		await fresh.stop({ keepFiles: true });

		const target = path.join(fresh.indexDir, file);
		const bytes = fs.readFileSync(target);
		if (damage === 'that was deleted') {
			fs.rmSync(target);
		} else {
			randomBytes(64).copy(bytes, Math.floor(bytes.length / 2));
			fs.writeFileSync(target, bytes);
		}

		const server = await serve(db, { dir: fresh.dir });
		expect(await results(server)).toEqual(expected);
		const warnings = logLines(server).filter((line) => line.level >= WARN);
		expect(warnings).toHaveLength(1);
		expect(warnings[0].reason).toMatch(reason);
		expect(fs.existsSync(target)).toBe(true);
		if (damage !== 'that was deleted') expect(fs.readFileSync(target).equals(bytes)).toBe(false);
	});
});
