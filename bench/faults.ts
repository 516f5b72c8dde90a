/**
 * Fault injection: what the built site does when its database, disk or operators misbehave.
 * An operator reruns it after a change; it measures and reports, it never passes or fails.
 *
 *   node scripts/run-ts.mjs bench/faults.ts [--only pg-restart,pg-down-at-start,index-readonly,
 *     index-is-file,index-readonly-sync,index-corrupt,importers] [--days 40] [--fault-seconds 5]
 *
 * Each scenario starts the built server (`dailypapers serve`, i.e. build/index.js) on its own
 * temp files, polls `/`, `/api/daily_papers`, `/healthz` and `/search?q=…` about every 100 ms,
 * injects a fault, ends it, and reports the HTTP statuses seen before, during and after it
 * (counts per status; `refused`/`timeout`/`reset` when no answer came), the time from the end
 * of the fault until every path answers 200 again, and the row counts after. PostgreSQL
 * scenarios run on a throwaway cluster this script creates (initdb in a temp dir, its own
 * port); the shared PostgreSQL is never touched. Read-only folders are read-only bind mounts
 * (root ignores file modes), skipped when mounting is not permitted. Everything (servers,
 * cluster, mounts, temp dirs) is removed at the end, on error and on Ctrl-C.
 *
 * JSON goes to stdout and bench/results/faults-<timestamp>.json, then readable tables;
 * progress goes to stderr.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { createDb } from '$lib/server/db/create-db';
import { countRows } from '$lib/server/papers/paper.repository';
import { freePort, projectRoot, table } from './support';

const execFileAsync = promisify(execFile);

const USAGE = `usage: node scripts/run-ts.mjs bench/faults.ts [options]

  --only LIST           comma-separated scenarios (default: all):
                          pg-restart           PostgreSQL stopped for --fault-seconds under polling
                          pg-terminate         the app's PostgreSQL connections terminated under polling
                          pg-down-at-start     the server starts while PostgreSQL is away
                          index-readonly       the index folder is a read-only mount at start
                          index-is-file        DP_INDEX_DIR names a regular file
                          index-readonly-sync  a valid index turns read-only, then the store changes
                          index-corrupt        random bytes in lexical.bin / lsa.bin, then a restart
                          importers            two \`import hf-daily\` at once (SQLite, PostgreSQL)
  --days N              Hugging Face daily files to import (default 40, ≈700 papers)
  --fault-seconds S     how long each fault lasts (default 5)
  --recovery-timeout S  how long to wait for recovery after a fault (default 30)
  --importer-runs N     concurrent-import attempts per dialect (default 3)
  --corrupt-bytes N     random bytes written over the middle of an index file (default 65536)
  --save-wait S         how long index-readonly-sync stays read-only: past the node's save
                        interval (60 s), so a save meets the read-only folder (default 75)
  --pg-bin DIR          PostgreSQL binaries (default /usr/lib/postgresql/15/bin)
  --help`;

const ALL_SCENARIOS = [
	'pg-restart',
	'pg-terminate',
	'pg-down-at-start',
	'index-readonly',
	'index-is-file',
	'index-readonly-sync',
	'index-corrupt',
	'importers'
] as const;
type ScenarioId = (typeof ALL_SCENARIOS)[number];

const { values: options } = parseArgs({
	options: {
		only: { type: 'string' },
		days: { type: 'string', default: '40' },
		'fault-seconds': { type: 'string', default: '5' },
		'recovery-timeout': { type: 'string', default: '30' },
		'importer-runs': { type: 'string', default: '3' },
		'corrupt-bytes': { type: 'string', default: '65536' },
		'save-wait': { type: 'string', default: '75' },
		'pg-bin': { type: 'string', default: '/usr/lib/postgresql/15/bin' },
		help: { type: 'boolean', default: false }
	}
});

const root = projectRoot();
const cliPath = path.join(root, 'bin', 'dailypapers.js');
const sharedData = process.env.DP_SHARED_DATA ?? path.resolve(root, '..', 'shared', 'data');
const POLLED_PATHS = ['/', '/api/daily_papers', '/healthz', '/search?q=language%20models'] as const;
const POLL_INTERVAL_MS = 100;
const SEARCH_QUERIES = [
	'chain-of-thought verification',
	'diffusion',
	'large language models',
	'reinforcement learning',
	'video generation',
	'benchmark',
	'agents',
	'vision transformer',
	'retrieval augmented generation',
	'speech'
];

const log = (message: string) => console.error(`› ${message}`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function positive(name: string, raw: string | undefined): number {
	const value = Number(raw);
	if (!Number.isFinite(value) || value <= 0) {
		console.error(`--${name} must be a positive number`);
		process.exit(2);
	}
	return value;
}

// ---------------------------------------------------------------- clean-up

const cleanups: { label: string; run: () => Promise<void> | void }[] = [];

/** Registers something to undo at the end (last registered runs first); returns its remover. */
function onCleanup(label: string, run: () => Promise<void> | void): () => void {
	const entry = { label, run };
	cleanups.push(entry);
	return () => {
		const at = cleanups.indexOf(entry);
		if (at >= 0) cleanups.splice(at, 1);
	};
}

async function cleanupAll(): Promise<void> {
	while (cleanups.length > 0) {
		const entry = cleanups.pop()!;
		try {
			await entry.run();
		} catch (error) {
			console.error(`! clean-up "${entry.label}" failed: ${String(error)}`);
		}
	}
}

// ---------------------------------------------------------------- processes

interface Server {
	url: string;
	child: ChildProcess;
	lines: string[];
	exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>;
	exited(): boolean;
	stop(): Promise<void>;
}

/** Starts `dailypapers serve --migrate` with `env` on a free port (does not wait for it). */
async function startServer(env: Record<string, string>): Promise<Server> {
	const port = await freePort();
	const child = spawn(process.execPath, [cliPath, 'serve', '--migrate'], {
		cwd: root,
		env: {
			...process.env,
			DP_SEED_FROM_HF: 'false',
			DP_LOG_LEVEL: 'info',
			...env,
			PORT: String(port),
			HOST: '127.0.0.1'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const lines: string[] = [];
	const collect = (chunk: Buffer) =>
		lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);
	const started = Date.now();
	let hasExited = false;
	const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>(
		(resolve) =>
			child.once('exit', (code, signal) => {
				hasExited = true;
				resolve({ code, signal, atMs: Date.now() - started });
			})
	);
	const stop = async () => {
		if (!hasExited) {
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			await exit;
			clearTimeout(timer);
		}
	};
	const remove = onCleanup(`server :${port}`, stop);
	return {
		url: `http://127.0.0.1:${port}`,
		child,
		lines,
		exit,
		exited: () => hasExited,
		async stop() {
			await stop();
			remove();
		}
	};
}

/** Waits until `/healthz` answers 200; false when the server exits or the time runs out. */
async function waitHealthy(server: Server, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline && !server.exited()) {
		if ((await probe(server.url, '/healthz')) === '200') return true;
		await sleep(100);
	}
	return false;
}

/** Runs the CLI to completion. */
function runCli(
	args: string[],
	env: Record<string, string>
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [cliPath, ...args], {
			cwd: root,
			env: { ...process.env, DP_SEED_FROM_HF: 'false', DP_LOG_LEVEL: 'warn', ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		const remove = onCleanup(`cli ${args[0]}`, () => {
			child.kill('SIGKILL');
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.once('error', reject);
		child.once('close', (code) => {
			remove();
			resolve({ code, stdout, stderr, ms: Date.now() - started });
		});
	});
}

/** The messages of pino JSON lines (and raw lines, e.g. a crash's stack), summarised. */
function summariseLog(lines: string[]): {
	byLevel: Record<string, number>;
	warnings: string[];
	indexMessages: string[];
	lastLines: string[];
} {
	const names: Record<number, string> = {
		10: 'trace',
		20: 'debug',
		30: 'info',
		40: 'warn',
		50: 'error',
		60: 'fatal'
	};
	const byLevel: Record<string, number> = {};
	const warnings: string[] = [];
	const indexMessages: string[] = [];
	for (const line of lines) {
		let level = 'raw';
		let message = line;
		try {
			const parsed = JSON.parse(line) as {
				level?: number;
				msg?: string;
				err?: { message?: string };
			};
			level = names[parsed.level ?? 0] ?? String(parsed.level);
			message = `${parsed.msg ?? ''}${parsed.err?.message ? ` (${parsed.err.message})` : ''}`;
		} catch {
			// not JSON: a raw line such as an uncaught error's stack
		}
		byLevel[level] = (byLevel[level] ?? 0) + 1;
		if ((level === 'warn' || level === 'error' || level === 'fatal') && warnings.length < 4) {
			warnings.push(`${level}: ${message.slice(0, 160)}`);
		}
		if (
			/index|replica|rebuil|checksum|corrupt|persist/i.test(message) &&
			indexMessages.length < 6
		) {
			indexMessages.push(`${level}: ${message.slice(0, 160)}`);
		}
	}
	return {
		byLevel,
		warnings,
		indexMessages,
		lastLines: lines.slice(-3).map((l) => l.slice(0, 200))
	};
}

// ---------------------------------------------------------------- polling

type Phase = 'before' | 'fault' | 'after';
type Counts = Record<string, number>;

/** One GET; the status as text, or why there was none. */
async function probe(url: string, pathname: string): Promise<string> {
	try {
		const response = await fetch(`${url}${pathname}`, { signal: AbortSignal.timeout(3000) });
		await response.arrayBuffer();
		return String(response.status);
	} catch (error) {
		const cause = (error as { cause?: { code?: string } }).cause?.code ?? '';
		if ((error as Error).name === 'TimeoutError') return 'timeout';
		if (cause === 'ECONNREFUSED') return 'refused';
		if (cause === 'ECONNRESET' || cause === 'UND_ERR_SOCKET') return 'reset';
		return cause || 'error';
	}
}

/**
 * Polls every path about every 100 ms, tagging each answer with the phase it was sent in, and
 * notes when, after the fault, every path first answered 200 in one round.
 */
function startPolling(url: string) {
	const state: { phase: Phase } = { phase: 'before' };
	let faultEndedAt = 0;
	let recoveredAt: number | null = null;
	let running = true;
	const counts: Record<string, Record<Phase, Counts>> = {};
	for (const p of POLLED_PATHS) counts[p] = { before: {}, fault: {}, after: {} };
	const loop = (async () => {
		while (running) {
			const roundPhase = state.phase;
			const roundStart = Date.now();
			const statuses = await Promise.all(POLLED_PATHS.map((p) => probe(url, p)));
			statuses.forEach((status, i) => {
				const bucket = counts[POLLED_PATHS[i]][roundPhase];
				bucket[status] = (bucket[status] ?? 0) + 1;
			});
			if (roundPhase === 'after' && recoveredAt === null && statuses.every((s) => s === '200')) {
				recoveredAt = roundStart;
			}
			await sleep(Math.max(0, POLL_INTERVAL_MS - (Date.now() - roundStart)));
		}
	})();
	return {
		faultStarts() {
			state.phase = 'fault';
		},
		faultEnds() {
			faultEndedAt = Date.now();
			state.phase = 'after';
		},
		recovered: () => recoveredAt !== null,
		/** Stops polling; the recovery time in ms, or null when it never came. */
		async stop() {
			running = false;
			await loop;
			return {
				counts,
				recoveryMs: recoveredAt === null ? null : Math.max(0, recoveredAt - faultEndedAt)
			};
		}
	};
}

/** Polls until every path answered 200 after the fault (then 1 s more), or the timeout. */
async function waitRecovery(
	poller: ReturnType<typeof startPolling>,
	timeoutMs: number,
	server?: Server
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline && !poller.recovered() && !server?.exited()) await sleep(100);
	await sleep(1000);
}

// ---------------------------------------------------------------- data and stores

/** The first `days` Hugging Face daily files, and the next three for "a change". */
function dataFiles(days: number): { base: string[]; extra: string[] } {
	const dir = path.join(sharedData, 'hf-daily-papers', 'raw');
	if (!fs.existsSync(dir)) {
		throw new Error(`no shared data at ${dir}: set DP_SHARED_DATA (see bench/README.md)`);
	}
	const files = fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => path.join(dir, f));
	return { base: files.slice(0, days), extra: files.slice(days, days + 3) };
}

type RowCounts = Record<string, number> | { error: string };

async function rowCounts(env: Record<string, string>): Promise<RowCounts> {
	const store = createDb(
		env.DATABASE_URL
			? { kind: 'postgres', url: env.DATABASE_URL }
			: { kind: 'sqlite', path: env.DP_DB_PATH }
	);
	try {
		return await countRows(store.db);
	} catch (error) {
		return { error: String((error as Error).message ?? error).slice(0, 160) };
	} finally {
		await store.close().catch(() => undefined);
	}
}

/** A PostgreSQL cluster of its own in a temp dir, on its own port; removed at the end. */
class ThrowawayPostgres {
	readonly dir: string;
	port = 0;
	constructor(
		private readonly bin: string,
		parent: string
	) {
		this.dir = path.join(parent, 'pg');
	}

	private async as(binary: string, args: string[]): Promise<void> {
		const command = path.join(this.bin, binary);
		// initdb and postgres refuse to run as root.
		if (process.getuid?.() === 0) {
			await execFileAsync('runuser', ['-u', 'postgres', '--', command, ...args]);
		} else {
			await execFileAsync(command, args);
		}
	}

	async create(): Promise<void> {
		fs.mkdirSync(this.dir, { recursive: true });
		if (process.getuid?.() === 0) {
			fs.chmodSync(path.dirname(this.dir), 0o755);
			await execFileAsync('chown', ['postgres:postgres', this.dir]);
		}
		this.port = await freePort();
		await this.as('initdb', [
			'-D',
			this.dir,
			'-A',
			'trust',
			'-U',
			'postgres',
			'-E',
			'UTF8',
			'--no-sync'
		]);
		onCleanup('throwaway PostgreSQL', () => this.stop('immediate'));
		await this.start();
	}

	async start(): Promise<void> {
		await this.as('pg_ctl', [
			'-D',
			this.dir,
			'-l',
			path.join(this.dir, 'server.log'),
			'-o',
			`-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
			'-w',
			'start'
		]);
	}

	async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
		if (!fs.existsSync(path.join(this.dir, 'postmaster.pid'))) return;
		await this.as('pg_ctl', ['-D', this.dir, '-m', mode, '-w', 'stop']);
	}

	/** Runs one SQL statement as the superuser over the cluster's socket. */
	async sql(statement: string): Promise<void> {
		await this.as('psql', [
			'-h',
			this.dir,
			'-p',
			String(this.port),
			'-U',
			'postgres',
			'-qAtc',
			statement
		]);
	}

	url(database = 'postgres'): string {
		return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
	}

	async createDatabase(name: string): Promise<string> {
		await this.as('createdb', ['-h', this.dir, '-p', String(this.port), '-U', 'postgres', name]);
		return this.url(name);
	}
}

// ---------------------------------------------------------------- scenarios

interface ScenarioResult {
	scenario: ScenarioId | string;
	title: string;
	skipped?: string;
	/** Per polled path: statuses before, during and after the fault. */
	statuses?: Record<string, Record<Phase, Counts>>;
	/** From the end of the fault until every path answered 200 in one round; null = not within the timeout. */
	recoveryMs?: number | null;
	serverExit?: { code: number | null; signal: string | null; afterStartMs: number } | null;
	log?: ReturnType<typeof summariseLog>;
	rows?: RowCounts;
	expectedRows?: RowCounts;
	details?: unknown;
	notes: string[];
}

interface Context {
	tmp: string;
	files: { base: string[]; extra: string[] };
	faultMs: number;
	recoveryTimeoutMs: number;
	importerRuns: number;
	corruptBytes: number;
	saveWaitMs: number;
	pg: ThrowawayPostgres | null;
	pgError: string | null;
	/** Rows after one import of the base files into a fresh store: what every run should end with. */
	expectedRows: RowCounts;
}

function exitOf(exit: { code: number | null; signal: NodeJS.Signals | null; atMs: number } | null) {
	return exit ? { code: exit.code, signal: exit.signal, afterStartMs: exit.atMs } : null;
}

const exitNow = async (server: Server) => (server.exited() ? await server.exit : null);

async function importBase(ctx: Context, env: Record<string, string>, files = ctx.files.base) {
	const result = await runCli(['import', 'hf-daily', ...files], env);
	if (result.code !== 0)
		throw new Error(`import failed (${result.code}): ${result.stderr.slice(-500)}`);
}

/** A scenario that did not run, and why. */
function skipped(scenario: ScenarioId, title: string, why: string): ScenarioResult {
	return { scenario, title, skipped: why, notes: [] };
}

/** A SQLite file and an index folder, both in `dir`. */
function sqliteEnv(dir: string) {
	return { DP_DB_PATH: path.join(dir, 'app.db'), DP_INDEX_DIR: path.join(dir, 'index') };
}

/** What a scenario's fault, and the steps around it, can see and add to. */
interface FaultRun {
	server: Server;
	notes: string[];
}

/** How a polling scenario differs from the others; see pollingScenario. */
interface PollingSpec {
	scenario: ScenarioId;
	title: string;
	env: Record<string, string>;
	/** After the import, before the server starts (e.g. stop PostgreSQL); a string skips the scenario. */
	prepare?: () => Promise<string | void>;
	/**
	 * true: the fault is already on when the server starts, so polling and the fault begin at once.
	 * false: the server becomes healthy and is polled for 2 s before the fault.
	 */
	faultAtStart: boolean;
	/** Injects the fault, holds it and ends it; the poller counts everything in between as "fault". */
	fault: (run: FaultRun) => Promise<void>;
	/** After recovery (or its timeout), polling still on. */
	afterRecovery?: (run: FaultRun) => Promise<void>;
	/** Evaluated last, after the server stopped. */
	details?: () => unknown;
	/** Notes that come first. */
	notes?: string[];
	/** How a server exit shows in the notes (default: its code). */
	exitNote?: 'code' | 'code and signal' | 'none';
	/** The scenario changes the store, so the reference row counts do not apply. */
	changesRows?: boolean;
}

/**
 * The common part of the polling scenarios: import the base files, start the server, poll it
 * around the fault, wait for recovery, stop it, and report statuses, exit, log and rows.
 */
async function pollingScenario(ctx: Context, spec: PollingSpec): Promise<ScenarioResult> {
	await importBase(ctx, spec.env);
	const skip = await spec.prepare?.();
	if (typeof skip === 'string') return skipped(spec.scenario, spec.title, skip);
	const server = await startServer(spec.env);
	const run: FaultRun = { server, notes: [...(spec.notes ?? [])] };
	if (!spec.faultAtStart && !(await waitHealthy(server, 60_000)))
		run.notes.push('server never became healthy before the fault');
	const poller = startPolling(server.url);
	if (!spec.faultAtStart) await sleep(2000);
	poller.faultStarts();
	await spec.fault(run);
	poller.faultEnds();
	await waitRecovery(poller, ctx.recoveryTimeoutMs, server);
	await spec.afterRecovery?.(run);
	const { counts, recoveryMs } = await poller.stop();
	const exit = await exitNow(server);
	const exitNote = spec.exitNote ?? 'code';
	if (exit && exitNote !== 'none')
		run.notes.push(
			`the server process exited ${exit.atMs} ms after its start (code ${exit.code}${exitNote === 'code and signal' ? `, signal ${exit.signal}` : ''})`
		);
	await server.stop();
	return {
		scenario: spec.scenario,
		title: spec.title,
		statuses: counts,
		recoveryMs,
		serverExit: exitOf(exit),
		log: summariseLog(server.lines),
		rows: await rowCounts(spec.env),
		expectedRows: spec.changesRows ? undefined : ctx.expectedRows,
		details: spec.details?.(),
		notes: run.notes
	};
}

/**
 * A polling scenario on a database of its own on the throwaway cluster (and an index folder of
 * the same name); skipped without the cluster. `spec` gets the cluster.
 */
async function pgPollingScenario(
	ctx: Context,
	{ scenario, title, database }: { scenario: ScenarioId; title: string; database: string },
	spec: (pg: ThrowawayPostgres) => Omit<PollingSpec, 'scenario' | 'title' | 'env'>
): Promise<ScenarioResult> {
	const pg = ctx.pg;
	if (!pg) return skipped(scenario, title, ctx.pgError ?? 'no PostgreSQL');
	const env = {
		DATABASE_URL: await pg.createDatabase(database),
		DP_INDEX_DIR: path.join(ctx.tmp, `${database}-index`)
	};
	return pollingScenario(ctx, { scenario, title, env, ...spec(pg) });
}

/** PostgreSQL stopped for the fault window under a polling client, then started again. */
function pgRestart(ctx: Context): Promise<ScenarioResult> {
	const title = 'PostgreSQL stop/start under a polling client';
	return pgPollingScenario(ctx, { scenario: 'pg-restart', title, database: 'restart' }, (pg) => ({
		faultAtStart: false,
		exitNote: 'code and signal',
		fault: async () => {
			log('pg-restart: stopping PostgreSQL');
			await pg.stop('fast');
			await sleep(ctx.faultMs);
			log('pg-restart: starting PostgreSQL');
			await pg.start();
		}
	}));
}

/** The app's connections terminated (pg_terminate_backend) for the fault window, once a second. */
function pgTerminate(ctx: Context): Promise<ScenarioResult> {
	const title = "the app's PostgreSQL connections terminated under a polling client";
	return pgPollingScenario(
		ctx,
		{ scenario: 'pg-terminate', title, database: 'terminate' },
		(pg) => ({
			faultAtStart: false,
			exitNote: 'code and signal',
			fault: async () => {
				log('pg-terminate: terminating the app backends');
				const faultEnds = Date.now() + ctx.faultMs;
				while (Date.now() < faultEnds) {
					await pg.sql(
						"select pg_terminate_backend(pid) from pg_stat_activity where datname = 'terminate' and pid <> pg_backend_pid()"
					);
					await sleep(1000);
				}
			}
		})
	);
}

/** The server starts while PostgreSQL is away; PostgreSQL comes back after the fault window. */
function pgDownAtStart(ctx: Context): Promise<ScenarioResult> {
	const title = 'server start while PostgreSQL is away';
	return pgPollingScenario(
		ctx,
		{ scenario: 'pg-down-at-start', title, database: 'downstart' },
		(pg) => ({
			prepare: () => pg.stop('fast'),
			faultAtStart: true,
			fault: async () => {
				await sleep(ctx.faultMs);
				log('pg-down-at-start: starting PostgreSQL');
				await pg.start();
			}
		})
	);
}

/**
 * A bind mount of `dir` over itself, to turn read-only (root ignores file modes) and back;
 * `bind()` says why not when mounting is not permitted.
 */
function bindMount(dir: string) {
	const remount = async (mode: 'ro' | 'rw') =>
		void (await execFileAsync('mount', ['-o', `remount,${mode},bind`, dir]));
	return {
		async bind(): Promise<string | undefined> {
			try {
				await execFileAsync('mount', ['--bind', dir, dir]);
			} catch (error) {
				return `mount --bind is not permitted here: ${String((error as Error).message).split('\n')[0]}`;
			}
			onCleanup(`umount ${dir}`, async () => {
				await execFileAsync('umount', [dir]);
			});
			return undefined;
		},
		makeReadOnly: () => remount('ro'),
		makeWritable: () => remount('rw')
	};
}

/** How long a fault at start lasts: the index build takes several seconds, and the server should say something. */
const faultAtStartMs = (ctx: Context) => Math.max(ctx.faultMs, 12_000);

/** SQLite, an empty index folder that is read-only when the server starts; writable after the fault. */
async function indexReadonly(ctx: Context): Promise<ScenarioResult> {
	const env = sqliteEnv(path.join(ctx.tmp, 'readonly'));
	fs.mkdirSync(env.DP_INDEX_DIR, { recursive: true });
	const mount = bindMount(env.DP_INDEX_DIR);
	return pollingScenario(ctx, {
		scenario: 'index-readonly',
		title: 'index folder read-only at start (SQLite)',
		env,
		prepare: async () => (await mount.bind()) ?? mount.makeReadOnly(),
		faultAtStart: true,
		fault: async () => {
			await sleep(faultAtStartMs(ctx));
			await mount.makeWritable();
		},
		details: () => ({ indexFilesAfter: fs.readdirSync(env.DP_INDEX_DIR) })
	});
}

/** SQLite, DP_INDEX_DIR naming a regular file; replaced by a folder after the fault. */
async function indexIsFile(ctx: Context): Promise<ScenarioResult> {
	const dir = path.join(ctx.tmp, 'isfile');
	const env = sqliteEnv(dir);
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(env.DP_INDEX_DIR, 'not a folder\n');
	return pollingScenario(ctx, {
		scenario: 'index-is-file',
		title: 'DP_INDEX_DIR is a regular file (SQLite)',
		env,
		faultAtStart: true,
		notes: [
			'the fault ends by replacing the file with an empty folder; a server that exited cannot recover'
		],
		fault: async () => {
			await sleep(faultAtStartMs(ctx));
			fs.rmSync(env.DP_INDEX_DIR);
			fs.mkdirSync(env.DP_INDEX_DIR);
		}
	});
}

/** SQLite, a valid index that turns read-only while running; then the store changes. */
async function indexReadonlySync(ctx: Context): Promise<ScenarioResult> {
	const env = sqliteEnv(path.join(ctx.tmp, 'rosync'));
	fs.mkdirSync(env.DP_INDEX_DIR, { recursive: true });
	// The node saves its replica about once a minute, so the fault lasts long enough to meet a save.
	const faultMs = Math.max(ctx.faultMs, ctx.saveWaitMs);
	const mount = bindMount(env.DP_INDEX_DIR);
	let faultLines: string[] = [];
	let writableAt = 0;
	let health: unknown = null;
	return pollingScenario(ctx, {
		scenario: 'index-readonly-sync',
		title: 'valid index turns read-only, then new papers arrive (SQLite)',
		env,
		prepare: () => mount.bind(),
		faultAtStart: false,
		exitNote: 'none',
		changesRows: true,
		fault: async ({ server, notes }) => {
			const linesBefore = server.lines.length;
			await mount.makeReadOnly();
			const change = await runCli(['import', 'hf-daily', ...ctx.files.extra], env);
			notes.push(
				`import of ${ctx.files.extra.length} more days during the fault: exit ${change.code}`
			);
			await sleep(faultMs);
			faultLines = server.lines.slice(linesBefore);
			const warningsDuringFault = faultLines.filter((l) => /"level":(40|50|60)/.test(l)).length;
			notes.push(
				`${faultLines.length} log lines (${warningsDuringFault} warn/error) during the ${Math.round(faultMs / 1000)} s fault`
			);
			await mount.makeWritable();
			writableAt = Date.now();
		},
		afterRecovery: async ({ server, notes }) => {
			const statePath = path.join(env.DP_INDEX_DIR, 'state.json');
			const saved = await waitUntil(
				ctx.recoveryTimeoutMs,
				() => fs.existsSync(statePath) && fs.statSync(statePath).mtimeMs >= writableAt
			);
			notes.push(
				saved === null
					? 'the replica was not saved again within the recovery timeout once writable'
					: `the replica was saved again ${Math.round(fs.statSync(statePath).mtimeMs - writableAt)} ms after the folder became writable`
			);
			health = server.exited() ? null : await fetchJson(`${server.url}/healthz`);
		},
		details: () => ({
			logDuringFault: summariseLog(faultLines),
			logLinesDuringFault: faultLines.length,
			healthAfter: health
		})
	});
}

/** Milliseconds until `done()` holds, checked every 100 ms; null after the timeout. */
async function waitUntil(timeoutMs: number, done: () => boolean): Promise<number | null> {
	const started = Date.now();
	while (Date.now() - started < timeoutMs) {
		if (done()) return Date.now() - started;
		await sleep(100);
	}
	return null;
}

async function fetchJson(url: string): Promise<unknown> {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
		return { status: response.status, body: await response.json() };
	} catch (error) {
		return { error: String(error) };
	}
}

interface ApiAnswer {
	request: string;
	status: number | string;
	total: string | null;
	ids: string[];
}

/** The search probes: each query's first 10 hits and total. */
const searchRequests = () =>
	SEARCH_QUERIES.map((q) => `/api/papers/search?q=${encodeURIComponent(q)}&limit=10`);

/** GETs each API path and keeps the paper ids it lists (and the total, for a search). */
async function answersOf(url: string, requests: string[]): Promise<ApiAnswer[]> {
	const answers: ApiAnswer[] = [];
	for (const request of requests) {
		try {
			const response = await fetch(`${url}${request}`, { signal: AbortSignal.timeout(10_000) });
			const body = (await response.json()) as unknown;
			const hits = Array.isArray(body) ? (body as { paper?: { id: string }; id?: string }[]) : [];
			answers.push({
				request,
				status: response.status,
				total: response.headers.get('x-total-count'),
				ids: hits.map((hit) => hit.paper?.id ?? hit.id ?? '?')
			});
		} catch (error) {
			answers.push({ request, status: String((error as Error).message), total: null, ids: [] });
		}
	}
	return answers;
}

/** Random bytes over the middle of a file, its size unchanged. */
function corruptMiddle(
	file: string,
	bytes: number
): { offset: number; length: number; size: number } {
	const size = fs.statSync(file).size;
	const length = Math.min(bytes, Math.floor(size / 4));
	const offset = Math.floor(size / 2 - length / 2);
	const fd = fs.openSync(file, 'r+');
	try {
		fs.writeSync(fd, crypto.randomBytes(length), 0, length, offset);
	} finally {
		fs.closeSync(fd);
	}
	return { offset, length, size };
}

/** SQLite, a fresh index build as the reference; copies with corrupted files, each served after a restart. */
async function indexCorrupt(ctx: Context): Promise<ScenarioResult[]> {
	const dir = path.join(ctx.tmp, 'corrupt');
	const freshIndex = path.join(dir, 'index-fresh');
	fs.mkdirSync(dir, { recursive: true });
	const dbPath = path.join(dir, 'app.db');
	await importBase(ctx, { DP_DB_PATH: dbPath, DP_INDEX_DIR: freshIndex });
	const built = await runCli(['index', 'build'], { DP_DB_PATH: dbPath, DP_INDEX_DIR: freshIndex });
	if (built.code !== 0) throw new Error(`index build failed: ${built.stderr.slice(-300)}`);
	const reference = await startServer({ DP_DB_PATH: dbPath, DP_INDEX_DIR: freshIndex });
	await waitHealthy(reference, 60_000);
	const searched = await answersOf(reference.url, searchRequests());
	// Similar papers come from the LSA vectors alone, so they show damage to lsa.bin.
	const someIds = [...new Set(searched.flatMap((answer) => answer.ids))].slice(0, 10);
	const requests = [
		...searchRequests(),
		...someIds.map((id) => `/api/papers/${encodeURIComponent(id)}/similar?limit=10`)
	];
	const expected = await answersOf(reference.url, requests);
	await reference.stop();
	const results: ScenarioResult[] = [];
	for (const file of ['lexical.bin', 'lsa.bin']) {
		const title = `${file}: random bytes in the middle, then a restart (SQLite)`;
		const indexDir = path.join(dir, `index-${file}`);
		fs.cpSync(freshIndex, indexDir, { recursive: true });
		const target = path.join(indexDir, file);
		if (!fs.existsSync(target)) {
			results.push(skipped('index-corrupt', title, `${file} was not written (too few papers?)`));
			continue;
		}
		const damage = corruptMiddle(target, ctx.corruptBytes);
		const started = Date.now();
		const server = await startServer({ DP_DB_PATH: dbPath, DP_INDEX_DIR: indexDir });
		const healthy = await waitHealthy(server, 60_000);
		const startMs = Date.now() - started;
		const answers = healthy ? await answersOf(server.url, requests) : [];
		const exit = await exitNow(server);
		await server.stop();
		const differing = answers.filter((answer, i) => {
			const want = expected[i];
			return answer.total !== want.total || answer.ids.join(',') !== want.ids.join(',');
		});
		const summary = summariseLog(server.lines);
		results.push({
			scenario: 'index-corrupt',
			title,
			serverExit: exitOf(exit),
			log: summary,
			details: {
				damage,
				healthyAfterMs: healthy ? startMs : null,
				requests: answers.length,
				differingFromFreshBuild: differing.length,
				differing: differing.map((answer) => ({
					request: answer.request,
					got: { status: answer.status, total: answer.total, ids: answer.ids },
					fresh: expected.find((e) => e.request === answer.request)
				}))
			},
			notes: [
				`warnings logged: ${(summary.byLevel.warn ?? 0) + (summary.byLevel.error ?? 0)}; lines about a rebuild or checksum: ${summary.indexMessages.filter((m) => /rebuil|checksum|corrupt|mismatch|building/i.test(m)).length}`,
				`${differing.filter((a) => a.request.includes('/search')).length} of ${SEARCH_QUERIES.length} searches (top 10 or total) and ${differing.filter((a) => a.request.includes('/similar')).length} of ${answers.length - SEARCH_QUERIES.length} similar-paper lists differ from a fresh build`
			]
		});
	}
	return results;
}

interface ImporterRun {
	run: number;
	exitCodes: (number | null)[];
	messages: string[];
	stderrTails: string[];
	rows: RowCounts;
	matchesExpected: boolean;
}

/** The line of a CLI's output that says what happened: its own error line, else the last line. */
function sayingLine(text: string): string {
	const lines = text
		.split('\n')
		.map((l) => l.trim())
		.filter(Boolean);
	const said =
		lines.find((l) => /^dailypapers:|error|failed|locked/i.test(l)) ?? lines.at(-1) ?? '';
	return said.slice(0, 200);
}

async function concurrentImports(
	env: Record<string, string>,
	ctx: Context,
	run: number
): Promise<ImporterRun> {
	const both = await Promise.all([
		runCli(['import', 'hf-daily', ...ctx.files.base], env),
		runCli(['import', 'hf-daily', ...ctx.files.base], env)
	]);
	const rows = await rowCounts(env);
	return {
		run,
		exitCodes: both.map((r) => r.code),
		messages: both.map((r) =>
			r.code === 0 ? sayingLine(r.stdout) : sayingLine(r.stderr) || sayingLine(r.stdout)
		),
		stderrTails: both.map((r) => r.stderr.slice(-600)),
		rows,
		matchesExpected: JSON.stringify(rows) === JSON.stringify(ctx.expectedRows)
	};
}

/** Two `import hf-daily` at once on a fresh store, several times, on SQLite and PostgreSQL. */
async function importers(ctx: Context): Promise<ScenarioResult[]> {
	const sqliteRuns: ImporterRun[] = [];
	for (let run = 1; run <= ctx.importerRuns; run += 1) {
		sqliteRuns.push(
			await concurrentImports(sqliteEnv(path.join(ctx.tmp, `importers-${run}`)), ctx, run)
		);
	}
	const results: ScenarioResult[] = [importerResult('SQLite', sqliteRuns, ctx)];
	if (!ctx.pg) {
		results.push(
			skipped('importers', 'two importers at once (PostgreSQL)', ctx.pgError ?? 'no PostgreSQL')
		);
		return results;
	}
	const pgRuns: ImporterRun[] = [];
	for (let run = 1; run <= ctx.importerRuns; run += 1) {
		const url = await ctx.pg.createDatabase(`importers_${run}`);
		pgRuns.push(
			await concurrentImports(
				{ DATABASE_URL: url, DP_INDEX_DIR: path.join(ctx.tmp, `pg-importers-${run}`) },
				ctx,
				run
			)
		);
	}
	results.push(importerResult('PostgreSQL', pgRuns, ctx));
	return results;
}

function importerResult(dialect: string, runs: ImporterRun[], ctx: Context): ScenarioResult {
	const failed = runs.filter((r) => r.exitCodes.some((code) => code !== 0)).length;
	return {
		scenario: 'importers',
		title: `two importers at once on a fresh store (${dialect})`,
		rows: runs.at(-1)?.rows,
		expectedRows: ctx.expectedRows,
		details: { runs },
		notes: [
			`${failed} of ${runs.length} runs had an importer exit non-zero`,
			`${runs.filter((r) => r.matchesExpected).length} of ${runs.length} runs ended with the expected rows`
		]
	};
}

// ---------------------------------------------------------------- report

function countsText(counts: Counts): string {
	const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
	return entries.length ? entries.map(([status, n]) => `${status}×${n}`).join(' ') : '—';
}

function rowsText(rows: RowCounts | undefined): string {
	if (!rows) return '—';
	if ('error' in rows) return `error: ${rows.error}`;
	return Object.entries(rows)
		.map(([name, n]) => `${name} ${n}`)
		.join(', ');
}

function renderReport(results: ScenarioResult[], meta: Record<string, unknown>): string {
	const out: string[] = [`Fault injection — ${JSON.stringify(meta)}`, ''];
	for (const result of results) {
		out.push(`## ${result.scenario}: ${result.title}`);
		if (result.skipped) {
			out.push(`skipped: ${result.skipped}`, '');
			continue;
		}
		if (result.statuses) {
			const rows = Object.entries(result.statuses).map(([p, phases]) => [
				p,
				countsText(phases.before),
				countsText(phases.fault),
				countsText(phases.after)
			]);
			out.push(
				table(['path', 'before', 'during fault', 'after fault'], rows, [false, false, false, false])
			);
			out.push(
				`recovery (fault end → every path 200): ${
					result.recoveryMs === undefined
						? '—'
						: result.recoveryMs === null
							? 'not within the timeout'
							: `${result.recoveryMs} ms`
				}`
			);
		}
		if (result.serverExit) {
			out.push(
				`server exited: code ${result.serverExit.code}, signal ${result.serverExit.signal}, ${result.serverExit.afterStartMs} ms after start`
			);
		} else if (result.serverExit === null) {
			out.push('server: still running at the end');
		}
		if (result.log) {
			out.push(`log lines by level: ${JSON.stringify(result.log.byLevel)}`);
			for (const line of result.log.warnings) out.push(`  ${line}`);
			for (const line of result.log.indexMessages) out.push(`  [index] ${line}`);
			if (result.serverExit) for (const line of result.log.lastLines) out.push(`  last: ${line}`);
		}
		if (result.rows) out.push(`rows after: ${rowsText(result.rows)}`);
		if (result.expectedRows) out.push(`expected:   ${rowsText(result.expectedRows)}`);
		if (result.scenario === 'importers') {
			const runs = (result.details as { runs: ImporterRun[] }).runs;
			out.push(
				table(
					['run', 'exit codes', 'rows as expected', 'messages'],
					runs.map((r) => [
						String(r.run),
						r.exitCodes.join(', '),
						r.matchesExpected ? 'yes' : `no (${rowsText(r.rows)})`,
						r.messages.map((m) => m || '(none)').join(' | ')
					]),
					[true, false, false, false]
				)
			);
		}
		for (const note of result.notes) out.push(`note: ${note}`);
		out.push('');
	}
	return out.join('\n');
}

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
	if (options.help) {
		console.log(USAGE);
		return 0;
	}
	const only = options.only
		? (options.only.split(',').map((s) => s.trim()) as ScenarioId[])
		: [...ALL_SCENARIOS];
	const unknown = only.filter((s) => !ALL_SCENARIOS.includes(s));
	if (unknown.length) {
		console.error(`unknown scenario(s): ${unknown.join(', ')}\n\n${USAGE}`);
		return 2;
	}
	if (!fs.existsSync(path.join(root, 'build', 'index.js'))) {
		console.error('build/ is missing: run `npm run build` (or `npm test`, which builds) first');
		return 2;
	}
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-faults-'));
	onCleanup(`rm ${tmp}`, () => fs.rmSync(tmp, { recursive: true, force: true }));
	const ctx: Context = {
		tmp,
		files: dataFiles(Math.round(positive('days', options.days))),
		faultMs: positive('fault-seconds', options['fault-seconds']) * 1000,
		recoveryTimeoutMs: positive('recovery-timeout', options['recovery-timeout']) * 1000,
		importerRuns: Math.round(positive('importer-runs', options['importer-runs'])),
		corruptBytes: Math.round(positive('corrupt-bytes', options['corrupt-bytes'])),
		saveWaitMs: positive('save-wait', options['save-wait']) * 1000,
		pg: null,
		pgError: null,
		expectedRows: { error: 'not measured' }
	};
	log(`reference import of ${ctx.files.base.length} days into a fresh SQLite file`);
	const referenceEnv = {
		DP_DB_PATH: path.join(tmp, 'reference', 'app.db'),
		DP_INDEX_DIR: path.join(tmp, 'reference', 'index')
	};
	await importBase(ctx, referenceEnv);
	ctx.expectedRows = await rowCounts(referenceEnv);
	if (only.some((s) => s.startsWith('pg-') || s === 'importers')) {
		const cluster = new ThrowawayPostgres(options['pg-bin'] ?? '', tmp);
		try {
			log('creating a throwaway PostgreSQL cluster');
			await cluster.create();
			ctx.pg = cluster;
			log(`throwaway PostgreSQL on port ${cluster.port}`);
		} catch (error) {
			ctx.pgError = `could not start a throwaway PostgreSQL: ${String((error as Error).message).split('\n')[0]}`;
			console.error(`! ${ctx.pgError}`);
		}
	}
	const results: ScenarioResult[] = [];
	const scenarios: Record<ScenarioId, () => Promise<ScenarioResult | ScenarioResult[]>> = {
		'pg-restart': () => pgRestart(ctx),
		'pg-terminate': () => pgTerminate(ctx),
		'pg-down-at-start': () => pgDownAtStart(ctx),
		'index-readonly': () => indexReadonly(ctx),
		'index-is-file': () => indexIsFile(ctx),
		'index-readonly-sync': () => indexReadonlySync(ctx),
		'index-corrupt': () => indexCorrupt(ctx),
		importers: () => importers(ctx)
	};
	for (const id of only) {
		log(`scenario ${id}`);
		try {
			const outcome = await scenarios[id]();
			results.push(...(Array.isArray(outcome) ? outcome : [outcome]));
		} catch (error) {
			results.push({
				scenario: id,
				title: 'the scenario itself failed',
				skipped: String((error as Error).stack ?? error),
				notes: []
			});
		}
		// A PostgreSQL scenario that failed half-way must not leave the cluster down for the next one.
		if (ctx.pg && !fs.existsSync(path.join(ctx.pg.dir, 'postmaster.pid')))
			await ctx.pg.start().catch(() => undefined);
	}
	const meta = {
		date: new Date().toISOString(),
		node: process.version,
		cpus: os.cpus().length,
		loadAverage: Number(os.loadavg()[0].toFixed(2)),
		commit: await execFileAsync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).then(
			(r) => r.stdout.trim(),
			() => 'unknown'
		),
		days: ctx.files.base.length,
		faultSeconds: ctx.faultMs / 1000
	};
	const report = { meta, expectedRows: ctx.expectedRows, results };
	const json = JSON.stringify(report, null, 2);
	console.log(json);
	console.log('');
	console.log(renderReport(results, meta));
	const resultsDir = path.join(root, 'bench', 'results');
	fs.mkdirSync(resultsDir, { recursive: true });
	const file = path.join(resultsDir, `faults-${meta.date.replace(/[:.]/g, '-')}.json`);
	fs.writeFileSync(file, `${json}\n`);
	log(`wrote ${path.relative(root, file)}`);
	return 0;
}

let interrupted = false;
const onSignal = () => {
	if (interrupted) return;
	interrupted = true;
	console.error('\ninterrupted: stopping servers and the cluster, unmounting, removing temp dirs');
	void cleanupAll().finally(() => process.exit(130));
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

let code = 1;
try {
	code = await main();
} catch (error) {
	console.error(error);
} finally {
	if (!interrupted) await cleanupAll();
}
process.exit(code);
