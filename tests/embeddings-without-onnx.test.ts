// A site installed with `npm ci --omit=peer` has no @huggingface/transformers. This runs the
// app's model loader in a process that cannot resolve the package (bundled into a temporary
// folder outside the project) and checks the status it reports.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOnnxLibrary } from '../src/lib/server/search/embeddings/onnx-transformers';
import { writeTinyModel2Vec, writeTinyOnnxModel } from './support/tiny-embedding-models';

const root = path.resolve(import.meta.dirname, '..');
let work: string;
let sample: string;

beforeAll(async () => {
	work = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-no-onnx-'));
	sample = path.join(work, 'load-model.mjs');
	await build({
		stdin: {
			contents: `import { loadEmbeddingModel } from './src/lib/server/search/embeddings/load-embedding-model';
const settings = { model: process.argv[2], cacheDir: '/nonexistent', hubUrl: 'http://127.0.0.1:9', batchSize: 2 };
const { provider, status } = await loadEmbeddingModel(settings);
console.log(JSON.stringify(status));
await provider?.dispose?.();`,
			resolveDir: root,
			loader: 'ts'
		},
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		outfile: sample,
		logLevel: 'error'
	});
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const statusFor = (modelDir: string) =>
	JSON.parse(execFileSync(process.execPath, [sample, modelDir], { cwd: work, encoding: 'utf8' }));

describe('a site without @huggingface/transformers', () => {
	it('reports an ONNX model as failed, saying what to install', () => {
		const status = statusFor(writeTinyOnnxModel(path.join(work, 'onnx-model')));
		expect(status).toMatchObject({ status: 'failed' });
		expect(status.reason).toMatch(/^install @huggingface\/transformers to use ONNX models/);
		expect(status.reason).toContain('npm ci --omit=peer');
	});

	it('still loads a model2vec model, which needs no native runtime', () => {
		const status = statusFor(writeTinyModel2Vec(path.join(work, 'model2vec-model'), { dims: 24 }));
		expect(status).toMatchObject({ status: 'loaded', kind: 'model2vec', dims: 24 });
	});

	it('lets other import failures through unchanged', async () => {
		const broken = new Error('the library threw while loading');
		await expect(importOnnxLibrary(() => Promise.reject(broken))).rejects.toBe(broken);
	});
});
