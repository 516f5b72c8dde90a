/**
 * arXiv snapshot import benchmark: `dailypapers import arxiv-snapshot` on a
 * generated snapshot in the real Kaggle format (bench/generator), into SQLite and
 * PostgreSQL, each run as the CLI in its own process so peak RSS is the import's.
 * Then `dailypapers index build` on the SQLite result (import + index is the time
 * to a searchable arXiv). Peer in the same run: the raw better-sqlite3 floor —
 * the same lines as (id, json) rows in one bare table, one prepared INSERT, no
 * parsing or normalisation.
 *
 *   node scripts/run-ts.mjs bench/arxiv-import.bench.ts --count 1000000 [--twice]
 *     [--skip-postgres] [--skip-index] [--snapshot FILE]
 *
 * The snapshot is generated once into /tmp/dp-bench/arxiv-<count>-seed42.jsonl (or
 * --snapshot names one). Prints JSON and a table; writes the JSON to bench/results/.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { fmt, projectRoot, round, table } from './support';

const TARGET_RECORDS_PER_S = 20_000;
const TARGET_PEAK_RSS_MIB = 1024;

const { values: options } = parseArgs({
	options: {
		count: { type: 'string', default: '100000' },
		snapshot: { type: 'string' },
		twice: { type: 'boolean', default: false },
		'skip-postgres': { type: 'boolean', default: false },
		'skip-sqlite': { type: 'boolean', default: false },
		'skip-index': { type: 'boolean', default: false },
		help: { type: 'boolean', short: 'h', default: false }
	}
});
if (options.help) {
	console.log(
		'Usage: node scripts/run-ts.mjs bench/arxiv-import.bench.ts --count N [--twice] [--skip-sqlite] [--skip-postgres] [--skip-index] [--snapshot FILE]'
	);
	process.exit(0);
}
const count = Number(options.count);
if (!Number.isSafeInteger(count) || count < 1)
	throw new Error('--count must be a positive integer');
const root = projectRoot();
const cli = path.join(root, 'bin', 'dailypapers.js');
const pgUrl =
	process.env.DP_BENCH_PG_URL ??
	process.env.DP_TEST_PG_URL ??
	'postgres://postgres@127.0.0.1:5432/test';

interface ProcessRun {
	seconds: number;
	peakRssMiB: number;
	stdout: string;
	status: number;
}

/** Runs a command to completion, sampling its peak RSS (VmHWM) from /proc. */
function runMeasured(args: string[], env: Record<string, string>): Promise<ProcessRun> {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const child = spawn(process.execPath, args, {
			cwd: root,
			env: { ...process.env, DP_LOG_LEVEL: 'warn', DP_SEED_FROM_HF: 'false', ...env },
			stdio: ['ignore', 'pipe', 'inherit']
		});
		let stdout = '';
		let peakKiB = 0;
		child.stdout.on('data', (chunk) => (stdout += chunk));
		const sample = () => {
			try {
				const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
				peakKiB = Math.max(peakKiB, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
			} catch {
				// The process has just exited.
			}
		};
		const timer = setInterval(sample, 100);
		child.once('error', reject);
		child.once('exit', () => sample());
		child.once('close', (code) => {
			clearInterval(timer);
			resolve({
				seconds: round((performance.now() - started) / 1000, 2),
				peakRssMiB: round(peakKiB / 1024, 0),
				stdout,
				status: code ?? -1
			});
		});
	});
}

function ensureSnapshot(): string {
	if (options.snapshot) return options.snapshot;
	// The same name the search-scale benchmark gives its corpora, so they share one file.
	const file = path.join('/tmp/dp-bench', `arxiv-${count}-seed42.jsonl`);
	if (!fs.existsSync(file)) {
		fs.mkdirSync(path.dirname(file), { recursive: true });
		console.error(`generating ${count} records into ${file} ...`);
		const generated = spawnSync(
			process.execPath,
			[
				path.join(root, 'scripts/run-ts.mjs'),
				'bench/generator/generate.ts',
				'--count',
				String(count),
				'--seed',
				'42',
				'--out',
				file
			],
			{ cwd: root, stdio: 'inherit' }
		);
		if (generated.status !== 0) throw new Error('the generator failed');
	}
	return file;
}

function ensureCli(): void {
	const built = spawnSync(process.execPath, ['scripts/build-cli.mjs'], {
		cwd: root,
		stdio: 'inherit'
	});
	if (built.status !== 0) throw new Error('building the CLI failed');
}

interface ImportResult {
	store: string;
	run: string;
	records: number;
	seconds: number;
	recordsPerSecond: number;
	peakRssMiB: number;
	databaseMiB: number | null;
	summary: string;
}

/** "imported 99996 of 100000 records ..." → records read. */
function recordsOf(stdout: string): number {
	const match = /imported (\d+) of (\d+) records/.exec(stdout);
	if (!match) throw new Error(`unexpected CLI output: ${stdout.slice(0, 300)}`);
	return Number(match[2]);
}

function sqliteSizeMiB(file: string): number {
	const bytes = ['', '-wal', '-shm']
		.map((suffix) => (fs.existsSync(file + suffix) ? fs.statSync(file + suffix).size : 0))
		.reduce((a, b) => a + b, 0);
	return round(bytes / 2 ** 20, 0);
}

async function postgresSizeMiB(schema: string): Promise<number> {
	const client = new pg.Client({ connectionString: pgUrl });
	await client.connect();
	try {
		const { rows } = await client.query(
			`select coalesce(sum(pg_total_relation_size(format('%I.%I', schemaname, tablename))), 0) as bytes
			 from pg_tables where schemaname = $1`,
			[schema]
		);
		return round(Number(rows[0].bytes) / 2 ** 20, 0);
	} finally {
		await client.end();
	}
}

async function withPgSchema<T>(work: (schema: string) => Promise<T>): Promise<T> {
	const schema = `dp_bench_import_${process.pid}`;
	const admin = new pg.Client({ connectionString: pgUrl });
	await admin.connect();
	await admin.query(`drop schema if exists "${schema}" cascade; create schema "${schema}"`);
	try {
		return await work(schema);
	} finally {
		await admin.query(`drop schema if exists "${schema}" cascade`);
		await admin.end();
	}
}

async function importRuns(
	store: string,
	env: Record<string, string>,
	snapshot: string,
	size: () => Promise<number> | number
): Promise<ImportResult[]> {
	const results: ImportResult[] = [];
	for (const run of options.twice ? ['first', 'again'] : ['first']) {
		const measured = await runMeasured([cli, 'import', 'arxiv-snapshot', snapshot], env);
		if (measured.status !== 0) throw new Error(`${store} import failed: ${measured.stdout}`);
		const records = recordsOf(measured.stdout);
		results.push({
			store,
			run,
			records,
			seconds: measured.seconds,
			recordsPerSecond: round(records / measured.seconds, 0),
			peakRssMiB: measured.peakRssMiB,
			databaseMiB: await size(),
			summary: measured.stdout.trim().split('\n').at(-1) ?? ''
		});
		// As it happens, so that a later step failing does not lose the figures.
		const done = results.at(-1)!;
		console.error(
			`${store} ${run}: ${done.records} records in ${done.seconds} s (${done.recordsPerSecond}/s), ` +
				`peak RSS ${done.peakRssMiB} MiB, database ${done.databaseMiB} MiB`
		);
	}
	return results;
}

/** The peer: the same lines into one bare (id, json) table, no parsing beyond the id. */
async function rawFloor(snapshot: string, file: string): Promise<ImportResult> {
	const started = performance.now();
	const db = new SQLite(file);
	db.pragma('journal_mode = WAL');
	db.pragma('synchronous = NORMAL');
	db.exec('create table papers (id text primary key, record text not null)');
	const insert = db.prepare('insert into papers values (?, ?) on conflict (id) do nothing');
	const write = db.transaction((lines: string[]) => {
		for (const line of lines)
			insert.run(/"id":"([^"]+)"/.exec(line)?.[1] ?? line.slice(0, 20), line);
	});
	let batch: string[] = [];
	let records = 0;
	for await (const line of readline.createInterface({ input: fs.createReadStream(snapshot) })) {
		batch.push(line);
		records += 1;
		if (batch.length === 5000) {
			write(batch);
			batch = [];
		}
	}
	write(batch);
	db.close();
	const seconds = (performance.now() - started) / 1000;
	return {
		store: 'peer: raw better-sqlite3 (id, json)',
		run: 'first',
		records,
		seconds: round(seconds, 2),
		recordsPerSecond: round(records / seconds, 0),
		peakRssMiB: round(process.memoryUsage().rss / 2 ** 20, 0),
		databaseMiB: sqliteSizeMiB(file),
		summary: 'in-process: RSS is the benchmark process'
	};
}

async function main() {
	const snapshot = ensureSnapshot();
	ensureCli();
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-import-bench-'));
	try {
		const dbFile = path.join(work, 'arxiv.db');
		const indexDir = path.join(work, 'index');
		const env = { DP_DB_PATH: dbFile, DP_INDEX_DIR: indexDir };
		const results: ImportResult[] = [];
		if (!options['skip-sqlite']) {
			results.push(...(await importRuns('SQLite', env, snapshot, () => sqliteSizeMiB(dbFile))));
		}

		let index: { seconds: number; peakRssMiB: number } | null = null;
		if (!options['skip-index'] && !options['skip-sqlite']) {
			const built = await runMeasured([cli, 'index', 'build'], env);
			if (built.status !== 0) throw new Error('index build failed');
			index = { seconds: built.seconds, peakRssMiB: built.peakRssMiB };
			console.error(`index build: ${index.seconds} s, peak RSS ${index.peakRssMiB} MiB`);
		}
		fs.rmSync(dbFile, { force: true });
		fs.rmSync(indexDir, { recursive: true, force: true });

		if (!options['skip-postgres']) {
			results.push(
				...(await withPgSchema((schema) =>
					importRuns(
						'PostgreSQL',
						{ DATABASE_URL: `${pgUrl}?options=-c%20search_path%3D${schema}` },
						snapshot,
						() => postgresSizeMiB(schema)
					)
				))
			);
		}
		results.push(await rawFloor(snapshot, path.join(work, 'raw.db')));

		const first = results.find((r) => r.run === 'first')!;
		const report = {
			benchmark: 'arxiv-import',
			date: new Date().toISOString(),
			machine: { cpus: os.cpus().length, load: os.loadavg().map((l) => round(l, 2)) },
			snapshot: { file: snapshot, bytes: fs.statSync(snapshot).size },
			targets: { recordsPerSecond: TARGET_RECORDS_PER_S, peakRssMiB: TARGET_PEAK_RSS_MIB },
			results,
			index,
			importPlusIndexSeconds: index ? round(first.seconds + index.seconds, 1) : null,
			extrapolated2_7M: {
				note: 'linear from this run; not measured',
				importMinutes: round(2_700_000 / first.recordsPerSecond / 60, 1),
				importPlusIndexMinutes: index
					? round(((first.seconds + index.seconds) * (2_700_000 / first.records)) / 60, 1)
					: null
			}
		};
		const rows = results.map((r) => [
			r.store,
			r.run,
			fmt(r.records, 0),
			fmt(r.seconds, 1),
			fmt(r.recordsPerSecond, 0),
			fmt(r.peakRssMiB, 0),
			fmt(r.databaseMiB, 0)
		]);
		if (index)
			rows.push([
				'index build (SQLite)',
				'',
				'',
				fmt(index.seconds, 1),
				'',
				fmt(index.peakRssMiB, 0),
				''
			]);
		console.log(JSON.stringify(report, null, 2));
		console.log(
			'\n' +
				table(
					['store', 'run', 'records', 'seconds', 'records/s', 'peak RSS MiB', 'database MiB'],
					rows,
					[false, false, true, true, true, true, true]
				)
		);
		const resultsDir = path.join(root, 'bench', 'results');
		fs.mkdirSync(resultsDir, { recursive: true });
		fs.writeFileSync(
			path.join(resultsDir, `arxiv-import-${count}-${Date.now()}.json`),
			JSON.stringify(report, null, 2)
		);
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

await main();
