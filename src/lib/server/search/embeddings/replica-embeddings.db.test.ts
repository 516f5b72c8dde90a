import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '$support/databases';
import { makePaper } from '$support/fixtures';
import { writeTinyModel2Vec, writeTinyOnnxModel } from '$support/tiny-embedding-models';
import { savePapers } from '../../papers/paper.service';
import { SearchReplica } from '../search-replica';
import { openEmbeddingModel } from './load-embedding-model';
import type { EmbeddingProvider } from './provider';

let root: string;
let model2vec: EmbeddingProvider;
let onnx: EmbeddingProvider;

beforeAll(async () => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-replica-embeddings-'));
	const settings = { cacheDir: root, hubUrl: 'http://127.0.0.1:9', batchSize: 8 };
	const synonyms = { molecule: 'protein' } as const;
	model2vec = (
		await openEmbeddingModel(writeTinyModel2Vec(path.join(root, 'm2v'), { synonyms }), settings)
	).provider;
	onnx = (
		await openEmbeddingModel(writeTinyOnnxModel(path.join(root, 'onnx'), { synonyms }), settings)
	).provider;
});
afterAll(async () => {
	await onnx?.dispose?.();
	fs.rmSync(root, { recursive: true, force: true });
});

const failing = (model: EmbeddingProvider): EmbeddingProvider => ({
	id: model.id,
	dimensions: model.dimensions,
	embed: () => Promise.reject(new Error('out of memory'))
});

describeEachDialect('the search replica with an embedding model', (get) => {
	it('embeds at build and sync, saves the vectors, and re-embeds for another model', async () => {
		const { db } = get().store;
		const dir = fs.mkdtempSync(path.join(root, 'index-'));
		await savePapers(db, [
			makePaper({ id: '2409.00001', title: 'Protein folding', abstract: 'A protein folds.' }),
			makePaper({ id: '2409.00002', title: 'Quantum circuit', abstract: 'A quantum circuit.' })
		]);
		const replica = await SearchReplica.build(db, dir, undefined, model2vec);
		expect(replica.embeddings?.size).toBe(replica.index.size);
		await savePapers(db, [
			makePaper({ id: '2409.00003', title: 'Graph retrieval', abstract: 'Graph search.' })
		]);
		expect(await replica.sync(db)).toBe(1);
		expect(replica.embeddings?.size).toBe(replica.index.size);
		const query = (await replica.embeddings!.embedQuery('molecule'))!;
		expect(replica.embeddings!.search(query, 5).map((h) => h.id)).toEqual(['2409.00001']);
		await replica.save();

		const same = await SearchReplica.load(dir, undefined, model2vec);
		expect(same?.embeddings?.size).toBe(replica.index.size);
		expect((await SearchReplica.load(dir, undefined, onnx))?.embeddings).toBeNull();
		expect((await SearchReplica.load(dir))?.embeddings).toBeNull();
		const reopened = await SearchReplica.open(db, dir, undefined, onnx);
		expect(reopened.embeddings?.model).toBe(onnx.id);
		expect(reopened.embeddings?.size).toBe(replica.index.size);
	});

	it('keeps indexing lexically when the model fails, dropping the model layer', async () => {
		const { db } = get().store;
		const dir = fs.mkdtempSync(path.join(root, 'index-'));
		const replica = await SearchReplica.build(db, dir, undefined, model2vec);
		// Swap in a model that fails from now on (same id, so the saved vectors would still fit).
		await replica.save();
		const broken = (await SearchReplica.load(dir, undefined, failing(model2vec)))!;
		expect(broken.embeddings).not.toBeNull();
		await savePapers(db, [
			makePaper({ id: '2409.00004', title: 'Deep learning', abstract: 'Neural networks.' })
		]);
		await expect(broken.sync(db)).rejects.toThrow(/embedding failed/);
		expect(broken.embeddings).toBeNull();
		expect(broken.index.has('2409.00004')).toBe(true);
		expect(await broken.sync(db)).toBe(0);
	});
});
