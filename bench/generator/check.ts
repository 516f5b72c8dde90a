/**
 * `--check` of the generator CLI: generates a small corpus, prints its statistics next to the
 * same statistics of the real files (a Markdown table, so a reader can judge realism), and
 * verifies the format invariants the benchmarks rely on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { distinctWords, topWordCount, type GeneratorModel, wordCount } from './model';
import { Corpus, snapshotLine, type CorpusOptions, type SnapshotRecord } from './corpus';

const KEYS = [
	'id',
	'submitter',
	'authors',
	'title',
	'comments',
	'journal-ref',
	'doi',
	'report-no',
	'categories',
	'license',
	'abstract',
	'versions',
	'update_date',
	'authors_parsed'
];

interface Summary {
	mean: number;
	p50: number;
	p95: number;
}

function summarise(values: readonly number[]): Summary | undefined {
	if (values.length === 0) return undefined;
	const sorted = [...values].sort((a, b) => a - b);
	// Nearest-rank percentiles.
	const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
	return {
		mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
		p50: rank(0.5),
		p95: rank(0.95)
	};
}

function fmtSummary(s: Summary | undefined): string {
	return s ? `${s.mean.toFixed(1)} / ${s.p50} / ${s.p95}` : '—';
}

function pct(part: number, whole: number): string {
	return whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)}%`;
}

function primaryArchive(r: SnapshotRecord): string {
	return r.categories.split(' ')[0].split('.')[0];
}

function yearOfRecord(r: SnapshotRecord): number {
	return Number(/ (\d{4}) /.exec(r.versions[0].created)?.[1] ?? 0);
}

/** Per-column figures of a set of snapshot records. */
function recordStats(records: readonly SnapshotRecord[]) {
	const n = records.length;
	const has = (f: (r: SnapshotRecord) => boolean) => pct(records.filter(f).length, n);
	return {
		n,
		titleWords: summarise(records.map((r) => wordCount(r.title))),
		abstractWords: summarise(records.map((r) => wordCount(r.abstract))),
		topWord: summarise(records.map((r) => topWordCount(r.abstract))),
		authors: summarise(records.map((r) => r.authors_parsed.length)),
		categories: summarise(records.map((r) => r.categories.split(' ').length)),
		versions: summarise(records.map((r) => r.versions.length)),
		comments: has((r) => r.comments !== null),
		journalRef: has((r) => r['journal-ref'] !== null),
		doi: has((r) => r.doi !== null),
		reportNo: has((r) => r['report-no'] !== null),
		license: has((r) => r.license !== null),
		titleWrapped: has((r) => r.title.includes('\n')),
		latexAbstract: has((r) => r.abstract.includes('$')),
		texAuthors: has((r) => r.authors.includes('\\')),
		affiliations: has((r) => r.authors_parsed.some((a) => a.length > 3)),
		distinct20k: distinctWords(
			records.map((r) => r.abstract),
			20_000
		),
		distinct200k: distinctWords(
			records.map((r) => r.abstract),
			200_000
		),
		words: records.reduce((a, r) => a + wordCount(r.abstract), 0)
	};
}

function archiveShares(records: readonly SnapshotRecord[]): Map<string, number> {
	const counts = new Map<string, number>();
	for (const r of records) counts.set(primaryArchive(r), (counts.get(primaryArchive(r)) ?? 0) + 1);
	return counts;
}

function table(header: string[], rows: string[][]): string {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]) =>
		`| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
	const rule = `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`;
	return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Format invariants of a generated corpus; returns the failures (empty when all hold). */
function invariants(lines: readonly string[], endDay: string): string[] {
	const failures: string[] = [];
	const fail = (what: string) => {
		if (failures.length < 20) failures.push(what);
	};
	const ids = new Set<string>();
	let previous = '';
	for (const line of lines) {
		if (/[\u0080-\uffff]/.test(line)) fail(`non-ASCII line: ${line.slice(0, 60)}`);
		const r = JSON.parse(line) as SnapshotRecord;
		if (Object.keys(r).join() !== KEYS.join()) fail(`${r.id}: keys ${Object.keys(r).join()}`);
		if (!/^(?:\d{4}\.\d{4,}|[a-z-]+\/\d{7,})$/.test(r.id)) fail(`${r.id}: id format`);
		if (ids.has(r.id)) fail(`${r.id}: duplicate id`);
		ids.add(r.id);
		if (r.id <= previous) fail(`${r.id}: not after ${previous}`);
		previous = r.id;
		const oldArchive = r.id.includes('/') ? r.id.split('/')[0] : undefined;
		if (oldArchive && primaryArchive(r) !== oldArchive) fail(`${r.id}: primary ${r.categories}`);
		const times = r.versions.map((v, i) => {
			if (v.version !== `v${i + 1}`) fail(`${r.id}: version ${v.version}`);
			if (!/^\w{3}, \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d GMT$/.test(v.created)) {
				fail(`${r.id}: created ${v.created}`);
			}
			return Date.parse(v.created);
		});
		for (let i = 1; i < times.length; i += 1) {
			if (!(times[i] > times[i - 1])) fail(`${r.id}: versions out of order`);
		}
		const lastDay = new Date(times[times.length - 1]).toISOString().slice(0, 10);
		if (r.update_date < lastDay) fail(`${r.id}: update_date ${r.update_date} < ${lastDay}`);
		if (r.update_date > endDay) fail(`${r.id}: update_date ${r.update_date} after ${endDay}`);
		if (!r.abstract.startsWith('  ') || !r.abstract.endsWith('\n')) fail(`${r.id}: abstract frame`);
		for (const field of [r.title, r.abstract, r.authors, r.comments ?? '']) {
			for (const l of field.split('\n')) {
				if (l.length > 79 && l.trim().includes(' ')) fail(`${r.id}: line of ${l.length} columns`);
			}
		}
		if (r.authors_parsed.length === 0 || r.authors_parsed.some((a) => a.length < 3)) {
			fail(`${r.id}: authors_parsed`);
		}
		if (r.title.trim() === '' || /[:,(]$/.test(r.title)) fail(`${r.id}: title "${r.title}"`);
	}
	return failures;
}

/** Options of the check. */
export interface CheckOptions extends CorpusOptions {
	count: number;
	seed: number;
	/** Shared data folder, for the real sample lines. */
	dataDir: string;
}

/** Runs the check; returns the report text and whether every invariant held. */
export function runCheck(
	model: GeneratorModel,
	options: CheckOptions
): { ok: boolean; text: string } {
	const corpus = new Corpus(model, options.seed, options);
	const lines: string[] = [];
	for (const slot of corpus.slots(options.count)) lines.push(snapshotLine(corpus.record(slot)));
	const generated = lines.map((l) => JSON.parse(l) as SnapshotRecord);
	const kaggle = fs
		.readFileSync(
			path.join(options.dataDir, 'arxiv-kaggle-sample/arxiv-metadata-oai-snapshot.head200.jsonl'),
			'utf8'
		)
		.split('\n')
		.filter(Boolean)
		.map((l) => JSON.parse(l) as SnapshotRecord);
	const early = generated.filter((r) => yearOfRecord(r) <= 2008);
	const late = generated.filter((r) => yearOfRecord(r) >= 2024);

	const all = recordStats(generated);
	const g08 = recordStats(early);
	const kg = recordStats(kaggle);
	const g24 = recordStats(late);
	const ref = model.reference;
	const hfTitle = summarise(model.titleWords.modern);
	const hfAbstract = summarise(model.abstractWords.modern);
	const hfAuthors = summarise(model.authorsPerPaper.modern);

	const header = [
		'mean / p50 / p95, or share',
		`generated, all (${all.n})`,
		`generated ≤2008 (${g08.n})`,
		`real: Kaggle 2007-04 (${kg.n})`,
		`generated ≥2024 (${g24.n})`,
		`real: HF 2024–26 (${model.titleWords.modern.length})`
	];
	const row = (label: string, pick: (s: typeof all) => string, hf: string) => [
		label,
		pick(all),
		pick(g08),
		pick(kg),
		pick(g24),
		hf
	];
	const rows = [
		row('title words', (s) => fmtSummary(s.titleWords), fmtSummary(hfTitle)),
		row('abstract words', (s) => fmtSummary(s.abstractWords), fmtSummary(hfAbstract)),
		row(
			'top content word, times per abstract',
			(s) => fmtSummary(s.topWord),
			fmtSummary(summarise(ref.hfTopWord))
		),
		row('authors per paper', (s) => fmtSummary(s.authors), fmtSummary(hfAuthors)),
		row('categories per paper', (s) => fmtSummary(s.categories), '—'),
		row('versions per paper', (s) => fmtSummary(s.versions), '—'),
		row('has comments', (s) => s.comments, '—'),
		row('has journal-ref', (s) => s.journalRef, '—'),
		row('has doi', (s) => s.doi, '—'),
		row('has report-no', (s) => s.reportNo, '—'),
		row('has license', (s) => s.license, '—'),
		row('title wrapped (\\n)', (s) => s.titleWrapped, '—'),
		row('abstract with $LaTeX$', (s) => s.latexAbstract, '—'),
		row('authors with TeX accents', (s) => s.texAuthors, '—'),
		row('authors with affiliations', (s) => s.affiliations, '—'),
		row(
			'distinct words, first 20k abstract words',
			(s) => (s.words >= 20_000 ? String(s.distinct20k) : `(${s.words} words)`),
			String(ref.hfDistinct20k)
		).map((c, i) => (i === 3 ? String(ref.kaggleDistinct20k) : c)),
		row(
			'distinct words, first 200k abstract words',
			(s) => (s.words >= 200_000 ? String(s.distinct200k) : `(${s.words} words)`),
			String(ref.hfDistinct200k)
		)
	];

	// Primary archives: generated overall and ≤2008 against the 2007 sample.
	const sharesAll = archiveShares(generated);
	const sharesEarly = archiveShares(early);
	const sharesLate = archiveShares(late);
	const sharesKaggle = archiveShares(kaggle);
	const archives = [...new Set([...sharesAll.keys(), ...sharesKaggle.keys()])].sort(
		(a, b) => (sharesAll.get(b) ?? 0) - (sharesAll.get(a) ?? 0) || (a < b ? -1 : 1)
	);
	const archiveRows = archives.map((a) => [
		a,
		pct(sharesAll.get(a) ?? 0, all.n),
		pct(sharesEarly.get(a) ?? 0, g08.n),
		pct(sharesKaggle.get(a) ?? 0, kg.n),
		pct(sharesLate.get(a) ?? 0, g24.n)
	]);

	// Invariants, determinism and seed sensitivity.
	const endDay = new Date(Date.UTC(corpus.endYearMonth.year, corpus.endYearMonth.month, 0))
		.toISOString()
		.slice(0, 10);
	const failures = invariants(lines, endDay);
	const again = new Corpus(model, options.seed, options);
	let index = 0;
	for (const slot of again.slots(options.count)) {
		if (index >= 300) break;
		if (snapshotLine(again.record(slot)) !== lines[index]) {
			failures.push(`not deterministic at line ${index + 1}`);
			break;
		}
		index += 1;
	}
	const other = new Corpus(model, options.seed + 1, options);
	const firstOther = other.slots(options.count).next();
	if (!firstOther.done && snapshotLine(other.record(firstOther.value)) === lines[0]) {
		failures.push('seed + 1 gives the same first record');
	}

	const text = [
		`## Generated ${options.count} records (seed ${options.seed}) vs the real files`,
		'',
		table(header, rows),
		'',
		'Primary archive (share of papers):',
		'',
		table(
			[
				'archive',
				`generated, all (${all.n})`,
				`generated ≤2008 (${g08.n})`,
				`real: Kaggle 2007-04 (${kg.n})`,
				`generated ≥2024 (${g24.n})`
			],
			archiveRows
		),
		'',
		'Sample of a generated line:',
		'',
		lines[Math.floor(lines.length * 0.9)],
		'',
		failures.length === 0
			? `self-check: OK (${lines.length} lines: keys, ids unique and sorted, dates, wrapping, ASCII; deterministic; seed-sensitive)`
			: `self-check: FAILED\n${failures.map((f) => `  - ${f}`).join('\n')}`
	].join('\n');
	return { ok: failures.length === 0, text };
}
