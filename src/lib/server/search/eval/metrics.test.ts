import { describe, expect, it } from 'vitest';
import {
	formatTrecRun,
	ndcgAt,
	recallAt,
	reciprocalRankAt,
	summarize,
	trecOrder,
	type RunEntry
} from './metrics';

const run = (...ids: string[]): RunEntry[] => ids.map((docId, i) => ({ docId, score: 100 - i }));
const log2 = Math.log2;

describe('ndcgAt', () => {
	it('computes binary nDCG by hand', () => {
		// Relevant at ranks 1 and 3 of 2 relevant: DCG = 1 + 1/log2(4); IDCG = 1 + 1/log2(3).
		const judged = new Map([
			['a', 1],
			['c', 1]
		]);
		expect(ndcgAt(run('a', 'b', 'c'), judged, 10)).toBeCloseTo((1 + 1 / 2) / (1 + 1 / log2(3)), 12);
	});

	it('uses linear graded gains and an ideal ranking over all judged documents', () => {
		// Grades 4 (missing from the run), 2 at rank 1, 1 at rank 2, 0 at rank 3.
		const judged = new Map([
			['best', 4],
			['x', 2],
			['y', 1],
			['z', 0]
		]);
		const dcg = 2 / log2(2) + 1 / log2(3);
		const idcg = 4 / log2(2) + 2 / log2(3) + 1 / log2(4);
		expect(ndcgAt(run('x', 'y', 'z'), judged, 10)).toBeCloseTo(dcg / idcg, 12);
		// Worked out: (2 + 0.6309) / (4 + 1.2619 + 0.5) = 0.45658.
		expect(ndcgAt(run('x', 'y', 'z'), judged, 10)).toBeCloseTo(0.45658, 4);
	});

	it('cuts both the run and the ideal ranking at k', () => {
		const judged = new Map(Array.from({ length: 12 }, (_, i) => [`r${i}`, 1] as const));
		const ranked = run(...Array.from({ length: 12 }, (_, i) => `r${i}`));
		expect(ndcgAt(ranked, judged, 10)).toBeCloseTo(1, 12);
		expect(
			ndcgAt(run('n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9', 'n10', 'r0'), judged, 10)
		).toBe(0);
	});

	it('re-sorts by score and breaks ties by document id descending, like trec_eval', () => {
		const judged = new Map([['a', 1]]);
		const tied: RunEntry[] = [
			{ docId: 'a', score: 1 },
			{ docId: 'b', score: 1 }
		];
		expect(trecOrder(tied).map((e) => e.docId)).toEqual(['b', 'a']);
		expect(ndcgAt(tied, judged, 10)).toBeCloseTo(1 / log2(3), 12);
	});

	it('is 0 when nothing is relevant', () => {
		expect(ndcgAt(run('a'), new Map([['a', 0]]), 10)).toBe(0);
	});
});

describe('recallAt and reciprocalRankAt', () => {
	const judged = new Map([
		['a', 1],
		['b', 3],
		['c', 0],
		['d', 1]
	]);

	it('counts relevant documents (grade > 0) within the cutoff', () => {
		expect(recallAt(run('c', 'b', 'x', 'a'), judged, 100)).toBeCloseTo(2 / 3, 12);
		expect(recallAt(run('c', 'b', 'x', 'a'), judged, 2)).toBeCloseTo(1 / 3, 12);
	});

	it('takes the first relevant rank within the cutoff', () => {
		expect(reciprocalRankAt(run('c', 'x', 'd'), judged, 10)).toBeCloseTo(1 / 3, 12);
		expect(reciprocalRankAt(run('c', 'x', 'd'), judged, 2)).toBe(0);
	});
});

describe('summarize', () => {
	it('averages over judged queries, counting unanswered ones as 0', () => {
		const qrels = new Map([
			['q1', new Map([['a', 1]])],
			['q2', new Map([['b', 1]])]
		]);
		const runs = new Map([['q1', run('a')]]);
		expect(summarize(runs, qrels)).toEqual({ ndcg10: 0.5, recall100: 0.5, mrr10: 0.5, queries: 2 });
	});
});

describe('formatTrecRun', () => {
	it('writes qid Q0 docid rank score tag lines in trec order', () => {
		const runs = new Map([
			[
				'7',
				[
					{ docId: 'd2', score: 0.5 },
					{ docId: 'd1', score: 1.25 }
				]
			]
		]);
		expect(formatTrecRun(runs, 'tag')).toBe('7 Q0 d1 1 1.250000 tag\n7 Q0 d2 2 0.500000 tag\n');
	});
});
