/**
 * The embedding model end to end, over real HTTP against the built site: a tiny model2vec or
 * ONNX model (hand-set weights, plumbing only) is loaded from a folder or "downloaded" from a
 * local stand-in for the Hub; papers written to the store are embedded on sync; /healthz says
 * what is loaded; a missing model or an unreachable Hub leaves search working without it.
 *
 * The tiny models give "molecule" the same vector as "protein", so a search for "molecule"
 * can only find the protein paper through the model: no paper contains the word.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../src/lib/server/db/create-db';
import { savePapers } from '../src/lib/server/papers/paper.service';
import { freePort, startAppServer, type RunningServer } from './support/app-server';
import { writeFeedFixture } from './support/feed-fixture';
import { makePaper } from './support/fixtures';
import { writeTinyModel2Vec, writeTinyOnnxModel } from './support/tiny-embedding-models';

let root: string;
let model2vecDir: string;
let onnxDir: string;
const servers: RunningServer[] = [];

beforeAll(() => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-embed-it-'));
	const synonyms = { molecule: 'protein' } as const;
	model2vecDir = writeTinyModel2Vec(path.join(root, 'tiny-model2vec'), { synonyms });
	onnxDir = writeTinyOnnxModel(path.join(root, 'tiny-onnx'), { synonyms });
});

afterAll(async () => {
	for (const server of servers) await server.stop();
	fs.rmSync(root, { recursive: true, force: true });
});

async function start(env: Record<string, string>, dir?: string): Promise<RunningServer> {
	const server = await startAppServer(dir ? [] : [writeFeedFixture()], {
		env: { DP_EMBEDDING_CACHE: path.join(root, 'cache'), ...env },
		...(dir ? { dir } : {})
	});
	servers.push(server);
	return server;
}

async function stop(server: RunningServer): Promise<string> {
	servers.splice(servers.indexOf(server), 1);
	await server.stop({ keepFiles: true });
	return server.dir;
}

interface EmbeddingHealth {
	status: 'none' | 'loaded' | 'failed';
	model?: string;
	dims?: number;
	kind?: string;
	reason?: string;
	docs?: number;
}

async function embeddingHealth(server: RunningServer): Promise<EmbeddingHealth> {
	const response = await fetch(`${server.url}/healthz`);
	expect(response.status).toBe(200);
	const body = (await response.json()) as { search: { embeddings: EmbeddingHealth } };
	return body.search.embeddings;
}

async function searchIds(server: RunningServer, q: string): Promise<string[]> {
	const response = await fetch(`${server.url}/api/papers/search?q=${encodeURIComponent(q)}`);
	expect(response.status).toBe(200);
	return ((await response.json()) as { paper: { id: string } }[]).map((entry) => entry.paper.id);
}

/** Writes two papers into the server's store and waits until its replica has them. */
async function addPapers(server: RunningServer): Promise<void> {
	const store = createDb({ kind: 'sqlite', path: server.dbPath });
	await savePapers(store.db, [
		makePaper({
			id: '2408.00001',
			title: 'Protein folding with deep networks',
			abstract: 'We predict how a protein folds.'
		}),
		makePaper({
			id: '2408.00002',
			title: 'Quantum circuit search',
			abstract: 'Searching a quantum circuit.'
		})
	]);
	await store.close();
	const deadline = Date.now() + 5000;
	while (!(await searchIds(server, 'protein folding')).includes('2408.00001')) {
		if (Date.now() > deadline) throw new Error('the new papers never became searchable');
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

/** A stand-in for the Hub: serves `<owner>/<name>/resolve/main/<file>` from model folders. */
async function startFakeHub(
	models: Record<string, string>
): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
	const requests: string[] = [];
	const server = http.createServer((request, response) => {
		requests.push(request.url ?? '');
		const match = /^\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/.exec(request.url ?? '');
		const dir = match ? models[match[1]] : undefined;
		const file = dir && match ? path.join(dir, match[2]) : undefined;
		if (!file || !fs.existsSync(file)) {
			response.writeHead(404).end('Entry not found');
			return;
		}
		response.writeHead(200, { 'content-type': 'application/octet-stream' });
		fs.createReadStream(file).pipe(response);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: () => new Promise((resolve) => server.close(() => resolve()))
	};
}

describe('an embedding model from a folder', () => {
	it('is reported loaded, embeds papers on sync, and finds a paper through the model', async () => {
		const server = await start({ DP_EMBEDDING_MODEL: model2vecDir });
		const health = await embeddingHealth(server);
		expect(health).toMatchObject({
			status: 'loaded',
			model: `model2vec:${model2vecDir}`,
			dims: 16,
			kind: 'model2vec'
		});
		expect(health.docs).toBe(5); // the feed fixture, embedded at build
		await addPapers(server);
		expect((await embeddingHealth(server)).docs).toBe(7);
		// No paper contains "molecule": only the model (molecule = protein) can find it.
		expect(await searchIds(server, 'molecule')).toEqual(['2408.00001']);
		expect((await searchIds(server, 'quantum circuit'))[0]).toBe('2408.00002');

		// A restart reuses the saved vectors; another model re-embeds every paper.
		const dir = await stop(server);
		expect(fs.existsSync(path.join(server.indexDir, 'embeddings.bin'))).toBe(true);
		const again = await start({ DP_EMBEDDING_MODEL: model2vecDir }, dir);
		expect(await embeddingHealth(again)).toMatchObject({ status: 'loaded', docs: 7 });
		await stop(again);
		const onnx = await start({ DP_EMBEDDING_MODEL: onnxDir }, dir);
		expect(await embeddingHealth(onnx)).toMatchObject({
			status: 'loaded',
			model: `onnx:${onnxDir}`,
			kind: 'onnx',
			dims: 16,
			docs: 7
		});
		expect(await searchIds(onnx, 'molecule')).toEqual(['2408.00001']);
	});
});

describe('without a usable model the site still starts and search works', () => {
	it('says none when no model is configured', async () => {
		const server = await start({});
		expect(await embeddingHealth(server)).toMatchObject({ status: 'none' });
		await addPapers(server);
		expect(await searchIds(server, 'molecule')).toEqual([]);
		expect((await searchIds(server, 'protein'))[0]).toBe('2408.00001');
	});

	it('says why when the folder is missing', async () => {
		const missing = path.join(root, 'no-such-model');
		const server = await start({ DP_EMBEDDING_MODEL: missing });
		const health = await embeddingHealth(server);
		expect(health).toMatchObject({ status: 'failed', model: missing });
		expect(health.reason).toMatch(/neither an existing folder nor a Hub id/);
		await addPapers(server);
		expect((await searchIds(server, 'protein'))[0]).toBe('2408.00001');
	});

	it('says why when the Hub cannot be reached', async () => {
		const closedPort = await freePort();
		const server = await start({
			DP_EMBEDDING_MODEL: 'minishlab/potion-base-8M',
			DP_EMBEDDING_HUB_URL: `http://127.0.0.1:${closedPort}`
		});
		const health = await embeddingHealth(server);
		expect(health).toMatchObject({ status: 'failed', model: 'minishlab/potion-base-8M' });
		expect(health.reason).toMatch(
			new RegExp(`cannot download minishlab/potion-base-8M from http://127.0.0.1:${closedPort}`)
		);
		expect((await searchIds(server, 'newest day'))[0]).toBe('2406.00004');
	});
});

describe('a Hub model', () => {
	it('is downloaded once into the cache and loaded from there afterwards', async () => {
		const hub = await startFakeHub({
			'tiny/static-model': model2vecDir,
			'tiny/onnx-model': onnxDir
		});
		try {
			const cacheDir = path.join(root, 'hub-cache');
			const env = { DP_EMBEDDING_HUB_URL: hub.url, DP_EMBEDDING_CACHE: cacheDir };
			const server = await start({ ...env, DP_EMBEDDING_MODEL: 'tiny/static-model' });
			expect(await embeddingHealth(server)).toMatchObject({
				status: 'loaded',
				model: 'model2vec:tiny/static-model',
				kind: 'model2vec'
			});
			expect(fs.existsSync(path.join(cacheDir, 'tiny', 'static-model', 'model.safetensors'))).toBe(
				true
			);
			const onnx = await start({ ...env, DP_EMBEDDING_MODEL: 'tiny/onnx-model' });
			expect(await embeddingHealth(onnx)).toMatchObject({ status: 'loaded', kind: 'onnx' });
			expect(fs.existsSync(path.join(cacheDir, 'tiny', 'onnx-model', 'onnx', 'model.onnx'))).toBe(
				true
			);

			// Later starts need no Hub at all.
			const fetched = hub.requests.length;
			await hub.close();
			const offline = await start({ ...env, DP_EMBEDDING_MODEL: 'tiny/static-model' });
			expect(await embeddingHealth(offline)).toMatchObject({ status: 'loaded' });
			expect(hub.requests.length).toBe(fetched);
			await addPapers(offline);
			expect(await searchIds(offline, 'molecule')).toEqual(['2408.00001']);
		} finally {
			await hub.close().catch(() => {});
		}
	});

	it('reports an id the Hub does not have', async () => {
		const hub = await startFakeHub({});
		try {
			const server = await start({
				DP_EMBEDDING_HUB_URL: hub.url,
				DP_EMBEDDING_MODEL: 'nobody/nothing'
			});
			const health = await embeddingHealth(server);
			expect(health.reason).toMatch(/nobody\/nothing was not found/);
		} finally {
			await hub.close();
		}
	});
});
