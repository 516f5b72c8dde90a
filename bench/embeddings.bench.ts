/**
 * Embedding throughput: how fast the model paths embed real papers (title + abstract of the
 * shared Hugging Face daily papers), against the corpus-learned LSA layer built from the same
 * papers. Not a test and not a quality measurement: no pretrained model can be downloaded here,
 * so the model2vec model is synthetic — a BERT-sized WordPiece vocabulary learned from the
 * corpus (words, then single characters as fallback pieces) with seeded random 256-d rows —
 * which makes its speed realistic (tokenizing and pooling do the same work) and its vectors
 * meaningless. The ONNX row runs the tiny hand-encoded graph of the tests through
 * transformers.js: it measures the library's per-text overhead (tokenizer, session call,
 * pooling), a floor under what a real encoder such as all-MiniLM-L6-v2 costs.
 *
 *   node scripts/run-ts.mjs bench/embeddings.bench.ts [--vocab 30522] [--dims 256] [--onnx-docs 2000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { mulberry32 } from '$lib/core/random';
import {
	DocumentEmbeddings,
	embeddingText
} from '$lib/server/search/embeddings/document-embeddings';
import { openEmbeddingModel } from '$lib/server/search/embeddings/load-embedding-model';
import type { EmbeddingProvider } from '$lib/server/search/embeddings/provider';
import { LexicalIndex } from '$lib/server/search/lexical/lexical-index';
import { LsaIndex } from '$lib/server/search/semantic/lsa';
import {
	encodeSafetensors,
	tinyTokenizerJson,
	writeTinyOnnxModel
} from '../tests/support/tiny-embedding-models';
import { fmt, percentile, projectRoot, round, table } from './support';

const { values } = parseArgs({
	options: {
		vocab: { type: 'string', default: '30522' },
		dims: { type: 'string', default: '256' },
		'onnx-docs': { type: 'string', default: '2000' },
		queries: { type: 'string', default: '500' }
	}
});
const vocabSize = Number(values.vocab);
const dims = Number(values.dims);
const onnxDocs = Number(values['onnx-docs']);
const queryCount = Number(values.queries);

const shared = process.env.DP_SHARED_DATA ?? path.join(projectRoot(), '..', 'shared', 'data');
const papersFile = path.join(shared, 'hf-daily-papers', 'papers.jsonl');
if (!fs.existsSync(papersFile)) {
	console.error(`${papersFile} is missing: this benchmark reads the shared HF papers`);
	process.exit(1);
}
const papers = fs
	.readFileSync(papersFile, 'utf8')
	.split('\n')
	.filter((line) => line.trim())
	.map((line) => JSON.parse(line) as { arxiv_id: string; title: string; abstract: string })
	.map((p) => ({ id: p.arxiv_id, title: p.title ?? '', abstract: p.abstract ?? '' }));

/** A model2vec folder with a corpus-learned WordPiece vocabulary and random rows. */
function writeSyntheticModel2Vec(dir: string): void {
	const counts = new Map<string, number>();
	for (const paper of papers) {
		for (const word of embeddingText(paper)
			.toLowerCase()
			.match(/[a-z0-9]+/g) ?? []) {
			counts.set(word, (counts.get(word) ?? 0) + 1);
		}
	}
	const base = tinyTokenizerJson() as { model: { vocab: Record<string, number> } };
	const vocab: Record<string, number> = {};
	for (const token of ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'])
		vocab[token] = Object.keys(vocab).length;
	// Every word can be spelled from single characters, as in BERT's vocabulary.
	for (const c of 'abcdefghijklmnopqrstuvwxyz0123456789') {
		vocab[c] = Object.keys(vocab).length;
		vocab[`##${c}`] = Object.keys(vocab).length;
	}
	const words = [...counts].sort((a, b) => b[1] - a[1]).map(([word]) => word);
	for (const word of words) {
		if (Object.keys(vocab).length >= vocabSize) break;
		if (!(word in vocab)) vocab[word] = Object.keys(vocab).length;
	}
	const rows = Object.keys(vocab).length;
	const random = mulberry32(7);
	const matrix = new Float32Array(rows * dims).map(() => random() - 0.5);
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(
		path.join(dir, 'tokenizer.json'),
		JSON.stringify({ ...base, model: { ...base.model, vocab } })
	);
	fs.writeFileSync(
		path.join(dir, 'model.safetensors'),
		encodeSafetensors({ embeddings: { dtype: 'F32', shape: [rows, dims], data: matrix } })
	);
	fs.writeFileSync(
		path.join(dir, 'config.json'),
		JSON.stringify({ model_type: 'model2vec', hidden_dim: dims, normalize: true })
	);
}

interface Row {
	path: string;
	docs: number;
	loadMs: number;
	embedMs: number;
	docsPerSecond: number;
	indexMs: number | null;
	queryP50Ms: number | null;
	queryP95Ms: number | null;
}

async function measureModel(
	name: string,
	provider: EmbeddingProvider,
	loadMs: number,
	docs: typeof papers
): Promise<Row> {
	const builder = DocumentEmbeddings.builder(provider);
	let started = performance.now();
	// The replica's sync batch size.
	for (let i = 0; i < docs.length; i += 2000) await builder.add(docs.slice(i, i + 2000));
	const embedMs = performance.now() - started;
	started = performance.now();
	builder.finish();
	const indexMs = performance.now() - started;
	const latencies: number[] = [];
	for (let i = 0; i < queryCount; i++) {
		const words = docs[(i * 7919) % docs.length].title.split(/\s+/).slice(0, 3).join(' ');
		const t = performance.now();
		await provider.embed([words]);
		latencies.push(performance.now() - t);
	}
	latencies.sort((a, b) => a - b);
	return {
		path: name,
		docs: docs.length,
		loadMs,
		embedMs,
		docsPerSecond: docs.length / (embedMs / 1000),
		indexMs,
		queryP50Ms: percentile(latencies, 50),
		queryP95Ms: percentile(latencies, 95)
	};
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-embed-bench-'));
const settings = { cacheDir: scratch, hubUrl: 'http://127.0.0.1:9', batchSize: 32 };
const rows: Row[] = [];
try {
	writeSyntheticModel2Vec(path.join(scratch, 'model2vec'));
	let started = performance.now();
	const m2v = await openEmbeddingModel(path.join(scratch, 'model2vec'), settings);
	rows.push(
		await measureModel(
			`model2vec (synthetic, ${vocabSize} tokens × ${dims})`,
			m2v.provider,
			performance.now() - started,
			papers
		)
	);

	writeTinyOnnxModel(path.join(scratch, 'onnx'));
	started = performance.now();
	const onnx = await openEmbeddingModel(path.join(scratch, 'onnx'), settings);
	rows.push(
		await measureModel(
			'onnx via transformers.js (tiny graph: overhead only)',
			onnx.provider,
			performance.now() - started,
			papers.slice(0, onnxDocs)
		)
	);
	await onnx.provider.dispose?.();

	// The peer: the corpus-learned semantic layer the site uses without a model.
	started = performance.now();
	const lexical = LexicalIndex.build(papers);
	const lexicalMs = performance.now() - started;
	started = performance.now();
	LsaIndex.train(lexical);
	const lsaMs = performance.now() - started;
	rows.push({
		path: `LSA (no model): train + fold (after a ${fmt(lexicalMs / 1000, 1)} s lexical build)`,
		docs: papers.length,
		loadMs: 0,
		embedMs: lsaMs,
		docsPerSecond: papers.length / (lsaMs / 1000),
		indexMs: null,
		queryP50Ms: null,
		queryP95Ms: null
	});
} finally {
	fs.rmSync(scratch, { recursive: true, force: true });
}

console.log(
	JSON.stringify(
		rows.map((row) =>
			Object.fromEntries(
				Object.entries(row).map(([k, v]) => [k, typeof v === 'number' ? round(v, 2) : v])
			)
		),
		null,
		1
	)
);
console.log(
	table(
		['path', 'docs', 'load ms', 'embed s', 'docs/s', 'index ms', 'query p50 ms', 'p95 ms'],
		rows.map((row) => [
			row.path,
			String(row.docs),
			fmt(row.loadMs, 0),
			fmt(row.embedMs / 1000, 2),
			fmt(row.docsPerSecond, 0),
			fmt(row.indexMs, 0),
			fmt(row.queryP50Ms, 3),
			fmt(row.queryP95Ms, 3)
		]),
		[false, true, true, true, true, true, true, true]
	)
);
