/**
 * Inner-loop benchmark of the lexical index's query path (pruning work): loads or builds a
 * LexicalIndex over a search-scale corpus, then times the lexical query classes of the scale
 * benchmark's mix (same corpus, same seeds, same query calls as its `ours` engine) in-process,
 * single client. Much faster to iterate on than bench/search-scale.bench.ts, which stays the
 * reference for published figures. Not a test: it measures and never gates.
 *
 *   node scripts/run-ts.mjs bench/lexical-pruning.bench.ts --size 1000000 [--modes term,10]
 *     [--save-ref | --check-ref]
 *
 * The built index and the filter attributes are cached in --dir (default /tmp/lexprune) so later
 * runs only deserialize. Every mode's hits (ids and scores) are compared with the first mode's;
 * --save-ref writes them to a file and --check-ref compares against that file instead, so a change to the query path can be shown not to change a single
 * ranking at full scale. --modes runs the same queries once per query path, in one process, so
 * before and after are measured under the same machine load.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { analyze, tokenize } from '$lib/server/search/lexical/analyzer';
import {
	LexicalIndex,
	PRUNING_TUNING,
	type SearchHit
} from '$lib/server/search/lexical/lexical-index';
import { LineReader, parsePaper, phraseText, readLines } from './search-scale/corpus';
import { buildQueryMix, type Query, type QueryClass } from './search-scale/queries';
import { fmt, percentile, table } from './support';

const { values } = parseArgs({
	options: {
		size: { type: 'string', default: '1000000' },
		corpus: { type: 'string', default: '/tmp/dp-bench' },
		dir: { type: 'string', default: '/tmp/lexprune' },
		'save-ref': { type: 'boolean', default: false },
		'check-ref': { type: 'boolean', default: false },
		classes: { type: 'string', default: 'single,multi,rare,phrase,filtered' },
		// 'term' = the term-at-a-time path only (the query path before range pruning); a number =
		// range-at-a-time with 2^n documents per range.
		modes: { type: 'string', default: 'term,10' }
	}
});
const size = Number(values.size);
const file = path.join(values.corpus, `arxiv-${size}-seed42.jsonl`);
fs.mkdirSync(values.dir, { recursive: true });
const indexFile = path.join(values.dir, `lexical-${size}.bin`);
const attrFile = path.join(values.dir, `attributes-${size}.json`);
const refFile = path.join(values.dir, `reference-${size}.json`);
const TOP_K = 10;
const PHRASE_CANDIDATES = 1000;

interface Attributes {
	day: number[];
	sets: string[][];
	setOf: number[];
	offset: number[];
	length: number[];
}

async function load(): Promise<{ index: LexicalIndex; attributes: Attributes }> {
	if (fs.existsSync(indexFile) && fs.existsSync(attrFile)) {
		const started = performance.now();
		const index = LexicalIndex.deserialize(fs.readFileSync(indexFile));
		const attributes = JSON.parse(fs.readFileSync(attrFile, 'utf8')) as Attributes;
		console.error(`loaded cached index in ${((performance.now() - started) / 1000).toFixed(1)} s`);
		return { index, attributes };
	}
	const attributes: Attributes = { day: [], sets: [], setOf: [], offset: [], length: [] };
	const setIds = new Map<string, number>();
	function* docs() {
		for (const line of readLines(file)) {
			const paper = parsePaper(line.text);
			const key = paper.archives.join(' ');
			let id = setIds.get(key);
			if (id === undefined) {
				id = attributes.sets.length;
				attributes.sets.push(paper.archives);
				setIds.set(key, id);
			}
			attributes.day.push(paper.day);
			attributes.setOf.push(id);
			attributes.offset.push(line.offset);
			attributes.length.push(line.length);
			yield { id: paper.id, title: paper.title, abstract: paper.abstract, authors: paper.authors };
		}
	}
	const started = performance.now();
	const index = LexicalIndex.build(docs());
	console.error(`built index in ${((performance.now() - started) / 1000).toFixed(1)} s`);
	fs.writeFileSync(indexFile, index.serialize());
	fs.writeFileSync(attrFile, JSON.stringify(attributes));
	return { index, attributes };
}

function containsSequence(haystack: string[], needle: string[]): boolean {
	outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
		for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
		return true;
	}
	return false;
}

const { index, attributes } = await load();
// Document numbers are corpus line numbers here (built in file order, no duplicates).
const mix = buildQueryMix(file, size, 42, 7, { warmup: 20, measured: 200, overlap: 0 });
const reader = new LineReader(file);

function predicate(query: Query): (docNo: number) => boolean {
	const wanted = attributes.sets.map((set) =>
		query.archive !== undefined && set.includes(query.archive) ? 1 : 0
	);
	const from = query.fromDay ?? -Infinity;
	const until = query.untilDay ?? Infinity;
	return (n) =>
		wanted[attributes.setOf[n]] === 1 && attributes.day[n] >= from && attributes.day[n] < until;
}

/** Runs one query as the scale benchmark's `ours` engine does; `split` times the index part. */
function run(cls: QueryClass, query: Query, split: number[]): SearchHit[] {
	const terms = analyze(query.text);
	switch (cls) {
		case 'filtered':
			return index.search(terms, { k: TOP_K, filter: predicate(query) });
		case 'phrase': {
			const started = performance.now();
			const hits = index.search(terms, {
				k: PHRASE_CANDIDATES,
				required: terms.map((term) => [term])
			});
			split.push(performance.now() - started);
			const words = tokenize(query.text);
			const out: SearchHit[] = [];
			for (const hit of hits) {
				const n = index.docNoOf(hit.id);
				const line = reader.read(attributes.offset[n], attributes.length[n]);
				if (containsSequence(tokenize(phraseText(parsePaper(line))), words)) {
					out.push(hit);
					if (out.length === TOP_K) break;
				}
			}
			return out;
		}
		default:
			return index.search(terms, { k: TOP_K });
	}
}

// Without --check-ref, every mode is compared with the first one (e.g. `term`, the exhaustive
// term-at-a-time path) on the same queries.
let reference: Record<string, SearchHit[][]> = values['check-ref']
	? JSON.parse(fs.readFileSync(refFile, 'utf8'))
	: {};
const compareToFirst = !values['check-ref'];
const latest: Record<string, SearchHit[][]> = {};
const saved = { ...PRUNING_TUNING };
const rows: string[][] = [];
let mismatches = 0;
for (const mode of values.modes.split(',')) {
	Object.assign(PRUNING_TUNING, saved);
	if (mode === 'term') PRUNING_TUNING.minPostings = Infinity;
	else PRUNING_TUNING.rangeShift = Number(mode);
	for (const cls of values.classes.split(',') as QueryClass[]) {
		const set = mix.classes[cls];
		for (const query of set.warmup) run(cls, query, []);
		const times: number[] = [];
		const split: number[] = [];
		const results: SearchHit[][] = [];
		for (const query of set.measured) {
			const started = performance.now();
			const hits = run(cls, query, split);
			times.push(performance.now() - started);
			results.push(hits);
		}
		latest[cls] = results;
		if (reference[cls] !== undefined) {
			const expected = reference[cls];
			results.forEach((hits, i) => {
				const want = expected[i];
				const same =
					hits.length === want.length &&
					hits.every(
						(h, j) =>
							h.id === want[j].id && Math.abs(h.score - want[j].score) <= 1e-9 * want[j].score
					);
				if (!same) {
					mismatches++;
					if (mismatches <= 5)
						console.error(
							`mismatch ${cls} #${i} "${set.measured[i].text}"`,
							hits.slice(0, 3),
							want.slice(0, 3)
						);
				}
			});
		}
		times.sort((a, b) => a - b);
		split.sort((a, b) => a - b);
		rows.push([
			mode,
			cls,
			String(times.length),
			fmt(percentile(times, 50)),
			fmt(percentile(times, 95)),
			fmt(percentile(times, 99)),
			split.length > 0 ? `${fmt(percentile(split, 50))} / ${fmt(percentile(split, 95))}` : ''
		]);
	}
	if (compareToFirst && Object.keys(reference).length === 0) reference = { ...latest };
}

reader.close();
if (values['save-ref']) fs.writeFileSync(refFile, JSON.stringify(latest));
console.log(
	table(['mode', 'class', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'index part p50 / p95'], rows, [
		false,
		false,
		true,
		true,
		true,
		true,
		true
	])
);
console.log(
	`rankings differing from ${values['check-ref'] ? 'the saved reference' : `mode ${values.modes.split(',')[0]}`}: ${mismatches}`
);
