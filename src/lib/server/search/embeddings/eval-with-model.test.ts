import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyModel2Vec } from '$support/tiny-embedding-models';
import { MODEL_CONFIGS, runBeirEval, STANDARD_CONFIGS } from '../eval/beir';
import { openEmbeddingModel } from './load-embedding-model';
import type { EmbeddingProvider } from './provider';

let root: string;
let provider: EmbeddingProvider;

beforeAll(async () => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-eval-model-'));
	const modelDir = writeTinyModel2Vec(path.join(root, 'model'), {
		synonyms: { molecule: 'protein' }
	});
	provider = (
		await openEmbeddingModel(modelDir, {
			cacheDir: root,
			hubUrl: 'http://127.0.0.1:9',
			batchSize: 8
		})
	).provider;
	const beir = path.join(root, 'toy', 'beir');
	fs.mkdirSync(path.join(beir, 'qrels'), { recursive: true });
	const docs = [
		{ _id: 'p', title: 'Protein folding', text: 'how a protein folds' },
		{ _id: 'q', title: 'Quantum circuit', text: 'a quantum circuit' },
		{ _id: 'g', title: 'Graph retrieval', text: 'search over a graph' }
	];
	fs.writeFileSync(path.join(beir, 'corpus.jsonl'), docs.map((d) => JSON.stringify(d)).join('\n'));
	fs.writeFileSync(
		path.join(beir, 'queries.jsonl'),
		[
			{ _id: '1', text: 'molecule' },
			{ _id: '2', text: 'graph search' }
		]
			.map((q) => JSON.stringify(q))
			.join('\n')
	);
	fs.writeFileSync(
		path.join(beir, 'qrels', 'test.tsv'),
		'query-id\tcorpus-id\tscore\n1\tp\t1\n2\tg\t1\n'
	);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('dailypapers eval with an embedding model', () => {
	it('adds the model rows, and its hybrid finds what only the model can', async () => {
		const lines: string[] = [];
		const runFile = path.join(root, 'model.run');
		const table = await runBeirEval(path.join(root, 'toy', 'beir'), {
			embeddings: provider,
			runFile,
			log: (line) => lines.push(line)
		});
		expect(table.rows.map((row) => row.config)).toEqual(
			[...STANDARD_CONFIGS, ...MODEL_CONFIGS].map((config) => config.name)
		);
		expect(table.embedding?.model).toBe(provider.id);
		const row = (name: string) => table.rows.find((r) => r.config === name)!;
		// "molecule" is in no document: lexical misses query 1, the model (molecule = protein) finds it.
		expect(row('lexical (BM25F)').mrr10).toBe(0.5);
		expect(row('semantic (model)').mrr10).toBe(1);
		expect(row('hybrid (model)').mrr10).toBe(1);
		expect(lines[0]).toMatch(/embedded it in/);
		// The run written is the model's hybrid: query 1 has a hit.
		expect(fs.readFileSync(runFile, 'utf8')).toMatch(/^1 Q0 p 1 /m);
	});
});
