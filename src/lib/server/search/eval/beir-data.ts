/**
 * Readers for the BEIR folder layout: `corpus.jsonl` ({_id, title, text}), `queries.jsonl`
 * ({_id, text}) and `qrels/test.tsv` (`query-id corpus-id score` with a header line).
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { IndexDocument } from '../lexical/lexical-types';
import type { Qrels } from './metrics';

/** One BEIR query. */
export interface BeirQuery {
	id: string;
	text: string;
}

interface CorpusLine {
	_id?: unknown;
	title?: unknown;
	text?: unknown;
	metadata?: { authors?: unknown };
}

const asString = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * Streams the corpus one line at a time as index documents (BEIR `text` is the abstract field;
 * `metadata.authors`, when present, the authors field), so a large corpus is never held whole.
 */
export async function* readBeirCorpus(dir: string): AsyncGenerator<IndexDocument> {
	const lines = readline.createInterface({
		input: fs.createReadStream(path.join(dir, 'corpus.jsonl'), { encoding: 'utf8' }),
		crlfDelay: Infinity
	});
	let lineNo = 0;
	for await (const line of lines) {
		lineNo++;
		if (line.trim() === '') continue;
		const row = JSON.parse(line) as CorpusLine;
		const id = row._id;
		if (typeof id !== 'string' && typeof id !== 'number')
			throw new Error(`corpus.jsonl line ${lineNo}: missing _id`);
		const authors = asString(row.metadata?.authors);
		yield {
			id: String(id),
			title: asString(row.title),
			abstract: asString(row.text),
			...(authors ? { authors } : {})
		};
	}
}

/** Reads all queries (small enough to hold). */
export async function readBeirQueries(dir: string): Promise<BeirQuery[]> {
	const text = await fs.promises.readFile(path.join(dir, 'queries.jsonl'), 'utf8');
	return text
		.split('\n')
		.filter((line) => line.trim() !== '')
		.map((line) => {
			const row = JSON.parse(line) as { _id: string | number; text: string };
			return { id: String(row._id), text: row.text };
		});
}

/** Reads `qrels/<split>.tsv`, skipping the header line. */
export async function readBeirQrels(dir: string, split = 'test'): Promise<Qrels> {
	const text = await fs.promises.readFile(path.join(dir, 'qrels', `${split}.tsv`), 'utf8');
	const qrels = new Map<string, Map<string, number>>();
	const lines = text.split('\n');
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i].trim();
		if (line === '') continue;
		const [queryId, docId, score] = line.split('\t');
		if (i === 0 && Number.isNaN(Number(score))) continue;
		let judged = qrels.get(queryId);
		if (judged === undefined) {
			judged = new Map();
			qrels.set(queryId, judged);
		}
		judged.set(docId, Number(score));
	}
	return qrels;
}
