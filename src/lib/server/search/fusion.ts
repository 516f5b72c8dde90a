/**
 * Rank fusion of several result lists for one query. Pure functions over `{ id, score }` lists.
 */

/** One scored result. */
export interface ScoredId {
	id: string;
	score: number;
}

/** A result list and its weight in the fusion. */
export interface WeightedList {
	hits: readonly ScoredId[];
	weight: number;
}

function ranked(scores: Map<string, number>, limit: number): ScoredId[] {
	return [...scores.entries()]
		.map(([id, score]) => ({ id, score }))
		.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
		.slice(0, limit);
}

/**
 * Reciprocal-rank fusion (Cormack et al. 2009): Σ weight / (k + rank). Uses ranks only, so it
 * needs no score calibration between lists; k = 60 is the published default.
 */
export function reciprocalRankFusion(
	lists: readonly WeightedList[],
	limit: number,
	k = 60
): ScoredId[] {
	const scores = new Map<string, number>();
	for (const { hits, weight } of lists)
		hits.forEach((hit, rank) =>
			scores.set(hit.id, (scores.get(hit.id) ?? 0) + weight / (k + rank + 1))
		);
	return ranked(scores, limit);
}

/** How scores of a list are mapped onto a common scale before a convex combination. */
export type Normalization = 'minmax' | 'max' | 'zscore';

/** Normalises a list's scores; ids absent from the list are treated as scoring `floor`. */
export function normalizeScores(
	hits: readonly ScoredId[],
	method: Normalization
): Map<string, number> {
	const out = new Map<string, number>();
	if (hits.length === 0) return out;
	let min = Infinity;
	let max = -Infinity;
	let sum = 0;
	for (const { score } of hits) {
		min = Math.min(min, score);
		max = Math.max(max, score);
		sum += score;
	}
	const mean = sum / hits.length;
	let variance = 0;
	for (const { score } of hits) variance += (score - mean) ** 2;
	const sd = Math.sqrt(variance / hits.length);
	for (const { id, score } of hits) {
		let value: number;
		if (method === 'max') value = max > 0 ? score / max : 0;
		else if (method === 'minmax') value = max > min ? (score - min) / (max - min) : 1;
		else value = sd > 0 ? (score - mean) / sd : 0;
		out.set(id, value);
	}
	return out;
}

/**
 * Convex combination Σ weight · normalised score over the union of the lists. An id missing from
 * a list gets that list's lowest normalised value (it ranked below everything the list returned).
 */
export function convexFusion(
	lists: readonly WeightedList[],
	limit: number,
	method: Normalization = 'minmax'
): ScoredId[] {
	const normalized = lists.map(({ hits }) => normalizeScores(hits, method));
	const floors = normalized.map((scores) => (scores.size > 0 ? Math.min(...scores.values()) : 0));
	const ids = new Set<string>();
	for (const { hits } of lists) for (const hit of hits) ids.add(hit.id);
	const scores = new Map<string, number>();
	for (const id of ids) {
		let total = 0;
		lists.forEach(({ weight }, i) => {
			total += weight * (normalized[i].get(id) ?? floors[i]);
		});
		scores.set(id, total);
	}
	return ranked(scores, limit);
}
