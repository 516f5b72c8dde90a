import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyModel2Vec, writeTinyOnnxModel } from '$support/tiny-embedding-models';
import { LEXICAL_ONLY, SEMANTIC_ONLY, SearchEngine, DEFAULT_RETRIEVAL } from '../search-engine';
import { DocumentEmbeddings } from './document-embeddings';
import { openEmbeddingModel } from './load-embedding-model';
import type { EmbeddingProvider } from './provider';

const docs = [
	{ id: 'nn', title: 'Deep neural networks', abstract: 'Learning deep models.' },
	{ id: 'lm', title: 'Language models', abstract: 'A neural network for language.' },
	{ id: 'bio', title: 'Protein folding', abstract: 'Each molecule folds.' },
	{ id: 'ir', title: 'Graph retrieval', abstract: 'Search over a graph.' },
	{ id: 'qc', title: 'Quantum circuit', abstract: 'A quantum circuit.' }
];

let root: string;
let model2vec: EmbeddingProvider;
let onnx: EmbeddingProvider;
const settings = { cacheDir: '/nonexistent', hubUrl: 'http://127.0.0.1:9', batchSize: 4 };

beforeAll(async () => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-doc-embeddings-'));
	model2vec = (await openEmbeddingModel(writeTinyModel2Vec(path.join(root, 'm2v')), settings))
		.provider;
	onnx = (await openEmbeddingModel(writeTinyOnnxModel(path.join(root, 'onnx')), settings)).provider;
});
afterAll(async () => {
	await onnx?.dispose?.();
	fs.rmSync(root, { recursive: true, force: true });
});

async function layerFor(provider: EmbeddingProvider): Promise<DocumentEmbeddings> {
	const builder = DocumentEmbeddings.builder(provider);
	await builder.add(docs.slice(0, 3));
	await builder.add(docs.slice(3));
	return builder.finish();
}

describe('document embeddings', () => {
	it('ranks papers by the query embedding and honours the filter', async () => {
		const layer = await layerFor(model2vec);
		expect(layer.size).toBe(5);
		const query = await layer.embedQuery('neural network language');
		expect(query).not.toBeNull();
		const hits = layer.search(query!, 3);
		expect(hits[0].id).toBe('lm');
		expect(hits.map((h) => h.id)).toContain('nn');
		expect(layer.search(query!, 3, (id) => id !== 'lm')[0].id).toBe('nn');
	});

	it('has no query vector for words the model does not know', async () => {
		const layer = await layerFor(model2vec);
		expect(await layer.embedQuery('zebra xylophone')).toBeNull();
		expect(await layer.embedQuery('   ')).toBeNull();
	});

	it('replaces a re-added paper and forgets a removed one', async () => {
		const layer = await layerFor(model2vec);
		await layer.add([{ id: 'qc', title: 'Protein molecule', abstract: '' }]);
		const query = (await layer.embedQuery('quantum circuit'))!;
		expect(layer.search(query, 5).find((h) => h.id === 'qc')?.score ?? 0).toBeLessThan(0.01);
		layer.remove('bio');
		expect(layer.size).toBe(4);
		expect(layer.search((await layer.embedQuery('protein'))!, 5).map((h) => h.id)).not.toContain(
			'bio'
		);
	});

	it('round-trips through its file, and refuses vectors made by another model', async () => {
		const layer = await layerFor(model2vec);
		const bytes = layer.serialize();
		const restored = DocumentEmbeddings.deserialize(bytes, model2vec);
		expect(restored?.size).toBe(5);
		const query = (await layer.embedQuery('graph search'))!;
		expect(restored!.search(query, 2)).toEqual(layer.search(query, 2));
		expect(DocumentEmbeddings.deserialize(bytes, onnx)).toBeNull();
	});

	it('gives the same ranking from the model2vec and the ONNX tiny models (same hand-set rows)', async () => {
		const a = await layerFor(model2vec);
		const b = await layerFor(onnx);
		for (const text of ['deep learning', 'graph retrieval search', 'quantum molecule']) {
			const ids = (layer: DocumentEmbeddings, q: Float32Array) =>
				layer.search(q, 5).map((h) => h.id);
			expect(ids(b, (await b.embedQuery(text))!).slice(0, 2)).toEqual(
				ids(a, (await a.embedQuery(text))!).slice(0, 2)
			);
		}
	});
});

describe('the search engine with a model layer', () => {
	it('uses the query vector on the semantic side in place of LSA', async () => {
		const engine = await SearchEngine.build(docs, { lsa: false });
		const layer = await layerFor(model2vec);
		const query = await layer.embedQuery('molecule');
		// Without the layer, a lexical-only engine has no semantic side at all.
		expect(engine.searchText('molecule', SEMANTIC_ONLY, { queryVector: query })).toEqual([]);
		engine.dense = layer;
		expect(engine.searchText('molecule', SEMANTIC_ONLY, { queryVector: query })[0].id).toBe('bio');
		// No vector (the model knew no word): the semantic side stays empty.
		expect(engine.searchText('molecule', SEMANTIC_ONLY, { queryVector: null })).toEqual([]);
	});

	it('fuses lexical and model hits in the default hybrid, filters applying to both', async () => {
		const engine = await SearchEngine.build(docs, { lsa: false });
		const layer = await layerFor(model2vec);
		engine.dense = layer;
		const queryVector = await layer.embedQuery('neural language');
		const hybrid = engine.searchText('neural language', DEFAULT_RETRIEVAL, { queryVector, k: 5 });
		const lexical = engine.searchText('neural language', LEXICAL_ONLY, { k: 5 });
		expect(hybrid[0].id).toBe('lm');
		expect(new Set(hybrid.map((h) => h.id))).toEqual(new Set([...lexical.map((h) => h.id), 'nn']));
		const noLm = engine.searchText('neural language', DEFAULT_RETRIEVAL, {
			queryVector,
			k: 5,
			filter: (docNo) => engine.lexical.idOf(docNo) !== 'lm'
		});
		expect(noLm.map((h) => h.id)).not.toContain('lm');
	});
});
