import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	encodeSafetensors,
	TINY_VOCABULARY,
	writeTinyModel2Vec,
	writeTinyOnnxModel
} from '$support/tiny-embedding-models';
import { detectModelLayout, loadEmbeddingModel, openEmbeddingModel } from './load-embedding-model';
import type { EmbeddingProvider } from './provider';

const cosine = (a: Float32Array, b: Float32Array): number => {
	let dot = 0;
	for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
	return dot;
};

let root: string;
beforeAll(() => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-embeddings-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const settings = { cacheDir: '/nonexistent-cache', hubUrl: 'http://127.0.0.1:9', batchSize: 2 };

describe.each([
	{ kind: 'model2vec', write: writeTinyModel2Vec },
	{ kind: 'onnx', write: writeTinyOnnxModel }
] as const)('the $kind provider on a hand-set tiny model', ({ kind, write }) => {
	let provider: EmbeddingProvider;
	beforeAll(async () => {
		const dir = write(path.join(root, kind), { dims: 24 });
		expect(detectModelLayout(dir).kind).toBe(kind);
		const opened = await openEmbeddingModel(dir, settings);
		expect(opened.kind).toBe(kind);
		provider = opened.provider;
	});
	afterAll(() => provider?.dispose?.());

	it('reports the matrix width as its dimensions and an id naming the kind', () => {
		expect(provider.dimensions).toBe(24);
		expect(provider.id).toMatch(new RegExp(`^${kind}:`));
	});

	it('embeds deterministically into unit vectors of the model width', async () => {
		const texts = ['Deep neural networks', 'protein folding', 'graph retrieval search'];
		const first = await provider.embed(texts);
		const again = await provider.embed([...texts].reverse());
		expect(first).toHaveLength(3);
		for (const [i, vector] of first.entries()) {
			expect(vector).toHaveLength(24);
			expect(cosine(vector, vector)).toBeCloseTo(1, 5);
			expect(Array.from(again[2 - i])).toEqual(Array.from(vector));
		}
	});

	it('pools the mean of the known tokens (one axis per word here)', async () => {
		const [vector] = await provider.embed(['deep learning']);
		const deep = TINY_VOCABULARY.indexOf('deep');
		const learning = TINY_VOCABULARY.indexOf('learning');
		expect(vector[deep]).toBeCloseTo(Math.SQRT1_2, 5);
		expect(vector[learning]).toBeCloseTo(Math.SQRT1_2, 5);
		expect(vector.reduce((n, x) => n + (x !== 0 ? 1 : 0), 0)).toBe(2);
	});

	it('scores texts that share words above unrelated ones', async () => {
		const [query, related, unrelated] = await provider.embed([
			'deep neural network models',
			'a neural network for language models',
			'protein folding of a molecule'
		]);
		expect(cosine(query, related)).toBeGreaterThan(0.5);
		expect(cosine(query, unrelated)).toBe(0);
		expect(cosine(query, related)).toBeGreaterThan(cosine(query, unrelated));
	});

	it('gives the zero vector to a text with no known word, and handles empty input', async () => {
		const [unknown, empty] = await provider.embed(['zebra xylophone', '']);
		expect(Array.from(unknown).every((x) => x === 0)).toBe(true);
		expect(Array.from(empty).every((x) => x === 0)).toBe(true);
		expect(await provider.embed([])).toEqual([]);
	});
});

describe('loading a model', () => {
	it('reports none when no model is configured', async () => {
		const { provider, status } = await loadEmbeddingModel({ ...settings, model: undefined });
		expect(provider).toBeNull();
		expect(status.status).toBe('none');
	});

	it('reports a missing folder as failed, with the reason', async () => {
		const { provider, status } = await loadEmbeddingModel({
			...settings,
			model: path.join(root, 'no-such-model')
		});
		expect(provider).toBeNull();
		expect(status).toMatchObject({ status: 'failed' });
		expect(status.status === 'failed' && status.reason).toMatch(/neither an existing folder/);
	});

	it('reports an unreachable Hub as failed without throwing', async () => {
		const { provider, status } = await loadEmbeddingModel({
			...settings,
			cacheDir: path.join(root, 'cache'),
			model: 'minishlab/potion-base-8M'
		});
		expect(provider).toBeNull();
		expect(status.status === 'failed' && status.reason).toMatch(
			/cannot download minishlab\/potion-base-8M from http:\/\/127\.0\.0\.1:9/
		);
	});

	it('names what is missing in a folder that is no model', () => {
		const dir = path.join(root, 'not-a-model');
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'tokenizer.json'), '{}');
		expect(() => detectModelLayout(dir)).toThrow(
			/neither model\.safetensors .* nor onnx\/model\.onnx/
		);
	});

	it('refuses a model2vec matrix smaller than the tokenizer vocabulary', async () => {
		const dir = writeTinyModel2Vec(path.join(root, 'short-matrix'));
		fs.writeFileSync(
			path.join(dir, 'model.safetensors'),
			encodeSafetensors({ embeddings: { dtype: 'F32', shape: [3, 4], data: new Float32Array(12) } })
		);
		const { status } = await loadEmbeddingModel({ ...settings, model: dir });
		expect(status.status === 'failed' && status.reason).toMatch(
			/tokenizer has 21 tokens but the matrix covers 3/
		);
	});

	it('reports a corrupt ONNX graph as failed', async () => {
		const dir = writeTinyOnnxModel(path.join(root, 'corrupt-onnx'));
		fs.writeFileSync(path.join(dir, 'onnx', 'model.onnx'), 'not a protobuf');
		const { status } = await loadEmbeddingModel({ ...settings, model: dir });
		expect(status.status === 'failed' && status.reason).toMatch(
			/transformers\.js could not load it/
		);
	});
});
