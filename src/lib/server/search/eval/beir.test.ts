import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectionName, evaluateBeir, runBeirEval, STANDARD_CONFIGS } from './beir';
import { readBeirCorpus, readBeirQrels, readBeirQueries } from './beir-data';
import { loadKnownItemSet } from './known-item';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-beir-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function writeBeir(dir: string): void {
	fs.mkdirSync(path.join(dir, 'qrels'), { recursive: true });
	const docs = [
		{ _id: 'd1', title: 'Wing flutter', text: 'flutter of swept wings at high speed' },
		{ _id: 'd2', title: 'Boundary layers', text: 'laminar boundary layer transition' },
		{
			_id: 'd3',
			title: 'Heat transfer',
			text: 'heat transfer in hypersonic flow',
			metadata: { authors: 'Smith, J.' }
		},
		{ _id: 'd4', title: 'Shock waves', text: 'shock wave boundary layer interaction' }
	];
	fs.writeFileSync(
		path.join(dir, 'corpus.jsonl'),
		docs.map((d) => JSON.stringify(d)).join('\n') + '\n'
	);
	fs.writeFileSync(
		path.join(dir, 'queries.jsonl'),
		[
			{ _id: '1', text: 'boundary layer transition' },
			{ _id: '2', text: 'wing flutter' },
			{ _id: '3', text: 'an unjudged query' }
		]
			.map((q) => JSON.stringify(q))
			.join('\n')
	);
	fs.writeFileSync(
		path.join(dir, 'qrels', 'test.tsv'),
		'query-id\tcorpus-id\tscore\n1\td2\t2\n1\td4\t1\n2\td1\t1\n'
	);
}

describe('BEIR folder reading and evaluation', () => {
	const dir = path.join(tmp, 'toy', 'beir');
	writeBeir(dir);

	it('streams the corpus and reads queries and graded qrels', async () => {
		const docs = [];
		for await (const doc of readBeirCorpus(dir)) docs.push(doc);
		expect(docs).toHaveLength(4);
		expect(docs[2]).toEqual({
			id: 'd3',
			title: 'Heat transfer',
			abstract: 'heat transfer in hypersonic flow',
			authors: 'Smith, J.'
		});
		expect(await readBeirQueries(dir)).toHaveLength(3);
		const qrels = await readBeirQrels(dir);
		expect(qrels.get('1')).toEqual(
			new Map([
				['d2', 2],
				['d4', 1]
			])
		);
	});

	it('evaluates the standard pipelines and writes a TREC run of the hybrid', async () => {
		const runFile = path.join(tmp, 'toy.run');
		const lines: string[] = [];
		const table = await runBeirEval(dir, { runFile, log: (line) => lines.push(line) });
		expect(table.collection).toBe('toy');
		expect(table.rows.map((r) => r.config)).toEqual(STANDARD_CONFIGS.map((c) => c.name));
		const lexical = table.rows[0];
		expect(lexical.queries).toBe(2);
		expect(lexical.ndcg10).toBeCloseTo(1, 9);
		expect(lines[0]).toMatch(/^toy: 4 docs, 2 judged queries/);
		const run = fs.readFileSync(runFile, 'utf8').trim().split('\n');
		expect(run[0]).toMatch(/^1 Q0 d2 1 \d+\.\d{6} dailypapers-hybrid$/);
		expect(run.every((line) => line.split(' ').length === 6)).toBe(true);
	});

	it('names a collection after its folder', () => {
		expect(collectionName('/data/cisi/beir')).toBe('cisi');
		expect(collectionName('/data/scifact')).toBe('scifact');
	});
});

// ---------------------------------------------------------------------------
// Real collections: the quality targets of the search issue, measured on every run.

const shared = process.env.DP_SHARED_DATA ?? path.resolve(process.cwd(), '../shared/data');
const cisi = path.join(shared, 'cisi', 'beir');
const cranfield = path.join(shared, 'cranfield', 'beir');
const papers = path.join(shared, 'hf-daily-papers', 'papers.jsonl');
const available = [cisi, cranfield, papers].every((p) => fs.existsSync(p));
if (!available && process.env.CI !== 'true')
	console.warn(`search quality tests skipped: no shared data at ${shared} (set DP_SHARED_DATA)`);

describe('search quality on shared collections', () => {
	it.runIf(process.env.CI === 'true')('has the shared data in CI', () => {
		expect(available, `shared data missing at ${shared}`).toBe(true);
	});

	// Targets from the issue: beat max(Xapian, FTS5) by 0.03 nDCG@10 — CISI ≥ 0.399, Cranfield
	// ≥ 0.387. Measured: CISI 0.4120, Cranfield 0.4125; the floors below leave 0.005 for noise.
	const cases = [
		{ name: 'CISI', dir: cisi, target: 0.399, achieved: 0.412 },
		{ name: 'Cranfield', dir: cranfield, target: 0.387, achieved: 0.4125 }
	];
	for (const { name, dir, target, achieved } of cases) {
		it.skipIf(!available)(
			`${name}: the default hybrid meets the target and never loses to lexical-only`,
			async () => {
				const table = await evaluateBeir(dir, STANDARD_CONFIGS);
				const [lexical, , hybrid] = table.rows;
				expect(hybrid.ndcg10).toBeGreaterThanOrEqual(lexical.ndcg10);
				expect(hybrid.recall100).toBeGreaterThanOrEqual(lexical.recall100);
				expect(hybrid.ndcg10).toBeGreaterThanOrEqual(target);
				expect(hybrid.ndcg10).toBeGreaterThanOrEqual(achieved - 0.005);
			},
			30_000
		);
	}

	it.skipIf(!available)(
		'derives the same HF known-item set from the same seed',
		async () => {
			const a = await loadKnownItemSet(papers);
			const b = await loadKnownItemSet(papers);
			expect(a.docs).toHaveLength(9877);
			expect(a.queries).toHaveLength(300);
			expect(b.queries).toEqual(a.queries);
			expect(b.qrels).toEqual(a.qrels);
			const other = await loadKnownItemSet(papers, { seed: 7 });
			expect(other.queries).not.toEqual(a.queries);
		},
		30_000
	);
});
