/**
 * How long a start takes to load a saved search replica (lexical.bin + lsa.bin) of N synthetic
 * papers: read the files and deserialize the engine, which since the section checksums also
 * verifies every section's CRC-32. Also times CRC-32 alone over the same bytes, the cost the
 * checksums add.
 *
 *   node scripts/run-ts.mjs bench/replica-load.bench.ts [--count 100000] [--runs 5] [--dir DIR]
 *
 * The files are built once into DIR (default: a temporary folder) and reused when present. To
 * compare with the code before the checksums, run the same file from a checkout of that commit:
 * it uses only APIs both versions share.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { crc32 } from 'node:zlib';
import { SearchEngine } from '$lib/server/search/search-engine';
import { LexicalIndex } from '$lib/server/search/lexical/lexical-index';
import { LsaIndex } from '$lib/server/search/semantic/lsa';
import { readSectionFile } from '$lib/server/search/shared/sections';
import { generatePapers } from './generator/generate';

const { values } = parseArgs({
	options: {
		count: { type: 'string', default: '100000' },
		runs: { type: 'string', default: '5' },
		dir: { type: 'string' }
	}
});
const count = Number(values.count);
const runs = Number(values.runs);
const dir = values.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dp-replica-load-'));
const files = { lexical: path.join(dir, 'lexical.bin'), lsa: path.join(dir, 'lsa.bin') };

if (!fs.existsSync(files.lsa)) {
	const started = performance.now();
	async function* documents() {
		for await (const record of generatePapers(count, 42)) {
			yield {
				id: record.id,
				title: record.title,
				abstract: record.abstract,
				authors: record.authors
			};
		}
	}
	const lexical = await LexicalIndex.buildAsync(documents());
	const engine = new SearchEngine(lexical, LsaIndex.train(lexical));
	const bytes = engine.serialize();
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(files.lexical, bytes.lexical);
	fs.writeFileSync(files.lsa, bytes.lsa!);
	console.log(`built ${count} papers in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const sizes = {
	lexical: fs.statSync(files.lexical).size,
	lsa: fs.statSync(files.lsa).size
};
const loads: number[] = [];
const crcs: number[] = [];
for (let run = 0; run < runs; run++) {
	const started = performance.now();
	const lexical = await readSectionFile(files.lexical);
	const lsa = await readSectionFile(files.lsa);
	const engine = SearchEngine.deserialize({ lexical, lsa });
	loads.push(performance.now() - started);
	if (engine.lexical.size !== count) throw new Error(`loaded ${engine.lexical.size} papers`);
	const crcStarted = performance.now();
	crc32(lexical);
	crc32(lsa);
	crcs.push(performance.now() - crcStarted);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
	JSON.stringify({
		papers: count,
		lexicalMB: Number((sizes.lexical / 2 ** 20).toFixed(1)),
		lsaMB: Number((sizes.lsa / 2 ** 20).toFixed(1)),
		loadMsMedian: Number(median(loads).toFixed(1)),
		loadMs: loads.map((x) => Number(x.toFixed(1))),
		crc32OfBothFilesMsMedian: Number(median(crcs).toFixed(1)),
		load: os.loadavg().map((x) => Number(x.toFixed(2)))
	})
);
