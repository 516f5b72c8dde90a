/**
 * Ranking metrics with trec_eval conventions: a run is re-sorted by score descending with ties
 * broken by document id descending (as trec_eval does), gains are the graded qrels values
 * (linear, not 2^rel − 1), the discount is 1 / log2(rank + 1), and the ideal DCG comes from
 * every judged document of the query, not just the retrieved ones.
 */

/** Relevance judgments: query id → document id → grade (> 0 means relevant). */
export type Qrels = ReadonlyMap<string, ReadonlyMap<string, number>>;

/** A ranked list for one query. */
export interface RunEntry {
	docId: string;
	score: number;
}

/** Sorts a result list the way trec_eval reads a run file: score desc, then doc id desc. */
export function trecOrder(results: readonly RunEntry[]): RunEntry[] {
	return [...results].sort(
		(a, b) => b.score - a.score || (a.docId < b.docId ? 1 : a.docId > b.docId ? -1 : 0)
	);
}

/** nDCG at cutoff `k` (trec_eval `ndcg_cut_k`) for one query. Returns 0 if nothing is relevant. */
export function ndcgAt(
	results: readonly RunEntry[],
	judged: ReadonlyMap<string, number>,
	k: number
): number {
	const ranked = trecOrder(results);
	let dcg = 0;
	for (let i = 0; i < Math.min(k, ranked.length); i++) {
		const gain = judged.get(ranked[i].docId) ?? 0;
		if (gain > 0) dcg += gain / Math.log2(i + 2);
	}
	const ideal = [...judged.values()].filter((g) => g > 0).sort((a, b) => b - a);
	let idcg = 0;
	for (let i = 0; i < Math.min(k, ideal.length); i++) idcg += ideal[i] / Math.log2(i + 2);
	return idcg > 0 ? dcg / idcg : 0;
}

/** Recall at cutoff `k` (trec_eval `recall_k`): relevant retrieved in the top k / all relevant. */
export function recallAt(
	results: readonly RunEntry[],
	judged: ReadonlyMap<string, number>,
	k: number
): number {
	let relevant = 0;
	for (const grade of judged.values()) if (grade > 0) relevant++;
	if (relevant === 0) return 0;
	const ranked = trecOrder(results);
	let found = 0;
	for (let i = 0; i < Math.min(k, ranked.length); i++)
		if ((judged.get(ranked[i].docId) ?? 0) > 0) found++;
	return found / relevant;
}

/** Reciprocal rank of the first relevant document within the top `k`, else 0 (MRR@k per query). */
export function reciprocalRankAt(
	results: readonly RunEntry[],
	judged: ReadonlyMap<string, number>,
	k: number
): number {
	const ranked = trecOrder(results);
	for (let i = 0; i < Math.min(k, ranked.length); i++)
		if ((judged.get(ranked[i].docId) ?? 0) > 0) return 1 / (i + 1);
	return 0;
}

/** Mean metrics over a query set. */
export interface MetricSummary {
	ndcg10: number;
	recall100: number;
	mrr10: number;
	/** The number of queries averaged over. */
	queries: number;
}

/**
 * Averages the metrics over every query that has judgments; a query missing from the run counts
 * as 0 (trec_eval `-c`), so a system cannot gain by not answering.
 */
export function summarize(
	runs: ReadonlyMap<string, readonly RunEntry[]>,
	qrels: Qrels
): MetricSummary {
	let ndcg = 0;
	let recall = 0;
	let mrr = 0;
	let n = 0;
	for (const [queryId, judged] of qrels) {
		const results = runs.get(queryId) ?? [];
		ndcg += ndcgAt(results, judged, 10);
		recall += recallAt(results, judged, 100);
		mrr += reciprocalRankAt(results, judged, 10);
		n++;
	}
	return n === 0
		? { ndcg10: 0, recall100: 0, mrr10: 0, queries: 0 }
		: { ndcg10: ndcg / n, recall100: recall / n, mrr10: mrr / n, queries: n };
}

/** Formats a run in TREC format, one `qid Q0 docid rank score tag` line per result. */
export function formatTrecRun(runs: ReadonlyMap<string, readonly RunEntry[]>, tag: string): string {
	const lines: string[] = [];
	for (const [queryId, results] of runs) {
		trecOrder(results).forEach((r, i) => {
			lines.push(`${queryId} Q0 ${r.docId} ${i + 1} ${r.score.toFixed(6)} ${tag}`);
		});
	}
	return lines.length > 0 ? lines.join('\n') + '\n' : '';
}
