/**
 * A known-item test set built deterministically from the Hugging Face daily-papers dump: each
 * query stands for one paper, and that paper is its only relevant document. Half the queries are
 * the paper's `ai_summary` (a one-sentence paraphrase of the abstract, not indexed) with the
 * system's name removed, half a noisy title (name dropped, words dropped and swapped) — how
 * people describe a paper they half-remember. Without removing names most queries would contain
 * a unique token ("ConvLLaVA") and every system would score near 1.
 *
 * This set is where default parameters may be tuned: it is ours, not one of the shared BEIR
 * collections the quality target is stated on.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import type { BeirQuery } from './beir-data';
import type { IndexDocument } from '../lexical/lexical-types';
import { mulberry32 } from '$lib/core/random';
import type { Qrels } from './metrics';

/** The corpus, queries and judgments of a known-item set. */
export interface KnownItemSet {
	docs: IndexDocument[];
	queries: BeirQuery[];
	qrels: Qrels;
}

interface PaperLine {
	arxiv_id: string;
	title: string;
	abstract: string;
	authors: string[];
	ai_summary: string | null;
}

/** Options of {@link loadKnownItemSet}. */
export interface KnownItemOptions {
	/** Number of queries (default 300). */
	size?: number;
	/** PRNG seed; the same seed always yields the same set (default 20261127). */
	seed?: number;
}

/** The system name of a "Name: what it does" title, as lowercase words; empty when there is none. */
function nameWords(title: string): Set<string> {
	const colon = title.indexOf(': ');
	if (colon <= 0) return new Set();
	return new Set(
		title
			.slice(0, colon)
			.toLowerCase()
			.split(/[^\p{L}\p{N}]+/u)
			.filter((w) => w.length > 0)
	);
}

/** The summary without the words of the paper's name, so the query describes rather than names. */
export function namelessSummary(summary: string, title: string): string {
	const name = nameWords(title);
	return summary
		.split(/\s+/)
		.filter((word) => {
			const bare = word.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
			return bare === '' || !name.has(bare);
		})
		.join(' ');
}

/**
 * A noisy version of a title: the part before a colon (usually the system's name) is dropped,
 * each remaining word is dropped with probability 0.25 (at least 2 kept), and one adjacent pair
 * is swapped half the time.
 */
export function noisyTitle(title: string, random: () => number): string {
	const colon = title.indexOf(': ');
	const described = colon > 0 && colon < title.length - 2 ? title.slice(colon + 2) : title;
	const words = described.split(/\s+/).filter((w) => w.length > 0);
	let kept = words.filter(() => random() >= 0.25);
	if (kept.length < Math.min(2, words.length)) kept = words.slice(0, 2);
	if (kept.length >= 2 && random() < 0.5) {
		const i = Math.floor(random() * (kept.length - 1));
		[kept[i], kept[i + 1]] = [kept[i + 1], kept[i]];
	}
	return kept.join(' ').toLowerCase();
}

/** Reads `papers.jsonl` and derives the known-item set. */
export async function loadKnownItemSet(
	papersJsonl: string,
	{ size = 300, seed = 20261127 }: KnownItemOptions = {}
): Promise<KnownItemSet> {
	const docs: IndexDocument[] = [];
	const eligible: PaperLine[] = [];
	const lines = readline.createInterface({
		input: fs.createReadStream(papersJsonl, { encoding: 'utf8' }),
		crlfDelay: Infinity
	});
	for await (const line of lines) {
		if (line.trim() === '') continue;
		const paper = JSON.parse(line) as PaperLine;
		docs.push({
			id: paper.arxiv_id,
			title: paper.title,
			abstract: paper.abstract,
			authors: paper.authors
		});
		// Papers without a summary (including the 600 whose summary was held out) cannot be queried.
		if (typeof paper.ai_summary === 'string' && paper.ai_summary.trim() !== '')
			eligible.push(paper);
	}
	eligible.sort((a, b) => (a.arxiv_id < b.arxiv_id ? -1 : a.arxiv_id > b.arxiv_id ? 1 : 0));
	const random = mulberry32(seed);
	// Fisher–Yates over the sorted list: the sample depends only on the seed and the data.
	for (let i = eligible.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[eligible[i], eligible[j]] = [eligible[j], eligible[i]];
	}
	const queries: BeirQuery[] = [];
	const qrels = new Map<string, Map<string, number>>();
	eligible.slice(0, size).forEach((paper, i) => {
		const id = `q${i + 1}`;
		const text =
			i % 2 === 0
				? namelessSummary(paper.ai_summary ?? '', paper.title)
				: noisyTitle(paper.title, random);
		queries.push({ id, text });
		qrels.set(id, new Map([[paper.arxiv_id, 1]]));
	});
	return { docs, queries, qrels };
}
