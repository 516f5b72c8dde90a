// Fault injection: two `dailypapers import` processes started at the same moment on one
// fresh store, several rounds, for each importer and dialect. Prints, per round, the two
// exit codes, the time until both finished and the row counts after, and flags a round
// whose counts are not exactly the input. An operator can rerun it on any machine with
// the project built (bin/dailypapers.js rebuilds the CLI when needed):
//
//   node bench/fault-concurrent-imports.mjs [--rounds 5] [--pg postgres://user@host/db]
//
// Without --pg (or DP_TEST_PG_URL) only SQLite runs. PostgreSQL rounds use a fresh schema
// each, dropped afterwards.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
	options: { rounds: { type: 'string', default: '5' }, pg: { type: 'string' } }
});
const rounds = Number(values.rounds);
const pgUrl = values.pg ?? process.env.DP_TEST_PG_URL;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-fault-imports-'));

const HF_DAYS = 4;
const HF_PER_DAY = 300;
const SNAPSHOT_RECORDS = 2500;

function writeInputs() {
	const hf = path.join(dir, 'hf');
	fs.mkdirSync(hf);
	for (let d = 0; d < HF_DAYS; d += 1) {
		const entries = Array.from({ length: HF_PER_DAY }, (_, n) => {
			const id = `3304.${String(d * HF_PER_DAY + n).padStart(5, '0')}`;
			return {
				paper: {
					id,
					authors: [{ name: 'Grace Hopper' }, { name: `Author ${n}` }],
					publishedAt: '2033-04-01T10:00:00.000Z',
					title: `Fault paper ${id}`,
					summary: `Abstract of ${id}.`,
					upvotes: 1
				},
				publishedAt: `2033-04-0${d + 1}T00:30:00.000Z`,
				title: `Fault paper ${id}`
			};
		});
		fs.writeFileSync(path.join(hf, `2033-04-0${d + 1}.json`), JSON.stringify(entries));
	}
	const snapshot = path.join(dir, 'snapshot.jsonl');
	const lines = Array.from({ length: SNAPSHOT_RECORDS }, (_, n) =>
		JSON.stringify({
			id: `3305.${String(n).padStart(5, '0')}`,
			authors: `A. Author${n}, B. Writer${n % 50}`,
			title: `Snapshot fault paper ${n}`,
			categories: 'cs.DB',
			abstract: `Abstract ${n}.`,
			versions: [{ version: 'v1', created: 'Fri, 1 Apr 2033 10:00:00 GMT' }],
			update_date: '2033-04-02',
			authors_parsed: [
				[`Author${n}`, 'A.', ''],
				[`Writer${n % 50}`, 'B.', '']
			]
		})
	);
	fs.writeFileSync(snapshot, lines.join('\n') + '\n');
	return {
		'hf-daily': { args: ['import', 'hf-daily', hf], papers: HF_DAYS * HF_PER_DAY },
		'arxiv-snapshot': { args: ['import', 'arxiv-snapshot', snapshot], papers: SNAPSHOT_RECORDS }
	};
}

function runCli(args, env) {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [path.join(root, 'bin', 'dailypapers.js'), ...args], {
			cwd: root,
			env: { ...process.env, DP_SEED_FROM_HF: 'false', DP_LOG_LEVEL: 'warn', ...env },
			stdio: ['ignore', 'ignore', 'pipe']
		});
		let stderr = '';
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.once('close', (code) => resolve({ status: code ?? -1, stderr: stderr.trim() }));
	});
}

/** A fresh store: its environment for the CLI, a row counter and a clean-up. */
async function freshStore(kind, round) {
	if (kind === 'sqlite') {
		const file = path.join(dir, `round-${round}-${Date.now()}.db`);
		return {
			env: { DP_DB_PATH: file },
			async counts() {
				const db = new SQLite(file, { readonly: true });
				try {
					const n = (table) => db.prepare(`select count(*) as n from ${table}`).get().n;
					return {
						papers: n('papers'),
						picks: n('daily_picks'),
						migrations: n('kysely_migration')
					};
				} finally {
					db.close();
				}
			},
			async drop() {
				for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
			}
		};
	}
	const schema = `dp_fault_${process.pid}_${round}_${Date.now().toString(36)}`;
	const admin = new pg.Client({ connectionString: pgUrl });
	await admin.connect();
	await admin.query(`create schema "${schema}"`);
	const url = new URL(pgUrl);
	url.searchParams.set('options', `-c search_path=${schema}`);
	return {
		env: { DATABASE_URL: url.href },
		async counts() {
			const n = async (table) =>
				Number((await admin.query(`select count(*) as n from "${schema}".${table}`)).rows[0].n);
			return {
				papers: await n('papers'),
				picks: await n('daily_picks'),
				migrations: await n('kysely_migration')
			};
		},
		async drop() {
			await admin.query(`drop schema "${schema}" cascade`);
			await admin.end();
		}
	};
}

const importers = writeInputs();
const kinds = pgUrl ? ['sqlite', 'postgres'] : ['sqlite'];
let faults = 0;
try {
	for (const kind of kinds) {
		for (const [name, importer] of Object.entries(importers)) {
			for (let round = 1; round <= rounds; round += 1) {
				const store = await freshStore(kind, round);
				try {
					const started = performance.now();
					const results = await Promise.all([
						runCli(importer.args, store.env),
						runCli(importer.args, store.env)
					]);
					const seconds = ((performance.now() - started) / 1000).toFixed(1);
					const counts = await store.counts();
					const expectedPicks = name === 'hf-daily' ? importer.papers : 0;
					const ok =
						results.every((r) => r.status === 0) &&
						counts.papers === importer.papers &&
						counts.picks === expectedPicks;
					if (!ok) faults += 1;
					console.log(
						`${kind.padEnd(8)} ${name.padEnd(14)} round ${round}: exit ${results.map((r) => r.status).join(' ')}` +
							` in ${seconds} s; papers ${counts.papers}/${importer.papers}, picks ${counts.picks}/${expectedPicks},` +
							` migrations ${counts.migrations}${ok ? '' : '  << FAULT'}`
					);
					for (const r of results.filter((r) => r.status !== 0))
						console.log(`    ${r.stderr.split('\n')[0]}`);
				} finally {
					await store.drop();
				}
			}
		}
	}
} finally {
	fs.rmSync(dir, { recursive: true, force: true });
}
console.log(faults === 0 ? 'no faults' : `${faults} faulty round(s)`);
process.exitCode = faults === 0 ? 0 : 1;
