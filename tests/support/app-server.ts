/**
 * Starts the built site (`dailypapers serve`) on a free port against a fresh
 * database, for browser tests and HTTP-level tests. Run `npm test` (or
 * `vite build`) first: this serves build/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'bin', 'dailypapers.js');

export interface RunningServer {
	url: string;
	/** The SQLite file the server made in `dir` (unused when started on a given database). */
	dbPath: string;
	indexDir: string;
	/** The folder holding the database and the index (pass it back to restart on them). */
	dir: string;
	/** Everything the server wrote to stdout and stderr so far (JSON log lines). */
	output(): string;
	stop(options?: { keepFiles?: boolean }): Promise<void>;
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/**
 * Runs the CLI to completion and returns its output and exit status. Asynchronous,
 * so servers in the test process (replay servers) keep answering meanwhile.
 */
export function runCli(
	args: string[],
	env: Record<string, string>
): Promise<{ stdout: string; stderr: string; status: number }> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [cli, ...args], {
			cwd: root,
			env: { ...process.env, DP_SEED_FROM_HF: 'false', DP_LOG_LEVEL: 'warn', ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
		child.once('error', reject);
		child.once('close', (code) => {
			clearTimeout(timer);
			resolve({ stdout, stderr, status: code ?? -1 });
		});
	});
}

/**
 * Starts the CLI and kills it with SIGKILL as soon as `committed()` says a first
 * transaction is in the store, while later ones are under way: a crash mid-import.
 */
export async function killCliAfterFirstCommit(
	args: string[],
	env: Record<string, string>,
	committed: () => Promise<boolean>
): Promise<NodeJS.Signals | null> {
	const child = spawn(process.execPath, [cli, ...args], {
		cwd: root,
		env: { ...process.env, DP_SEED_FROM_HF: 'false', DP_LOG_LEVEL: 'warn', ...env },
		stdio: 'ignore'
	});
	const exited = new Promise<NodeJS.Signals | null>((resolve) =>
		child.once('exit', (_code, signal) => resolve(signal))
	);
	const deadline = Date.now() + 60_000;
	while (!(await committed()) && Date.now() < deadline && child.exitCode === null) {
		await new Promise((r) => setTimeout(r, 5));
	}
	child.kill('SIGKILL');
	return exited;
}

/**
 * Serves the built site after importing `seedDirs`: on a fresh SQLite file in its folder, or on
 * `database` (a TestDatabase's env, e.g. a PostgreSQL schema's DATABASE_URL) when given; `env`
 * adds settings (e.g. DP_EMBEDDING_MODEL) to the server's environment.
 */
export async function startAppServer(
	seedDirs: string[] = [],
	options: { dir?: string; env?: Record<string, string>; database?: Record<string, string> } = {}
): Promise<RunningServer> {
	if (!fs.existsSync(path.join(root, 'build', 'index.js'))) {
		throw new Error('build/ is missing: run `npm test` (it builds) or `npx vite build` first');
	}
	const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dp-app-'));
	const dbPath = path.join(dir, 'app.db');
	const indexDir = path.join(dir, 'index');
	const env = { ...(options.database ?? { DP_DB_PATH: dbPath }), DP_INDEX_DIR: indexDir };
	if (seedDirs.length > 0) {
		const imported = await runCli(['import', 'hf-daily', ...seedDirs], env);
		if (imported.status !== 0) throw new Error(`seed import failed: ${imported.stderr}`);
	}
	const port = await freePort();
	const child: ChildProcess = spawn(process.execPath, [cli, 'serve', '--migrate'], {
		cwd: root,
		env: {
			...process.env,
			DP_SEED_FROM_HF: 'false',
			DP_LOG_LEVEL: 'warn',
			...env,
			...options.env,
			PORT: String(port),
			HOST: '127.0.0.1'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout?.on('data', (chunk) => (output += chunk));
	child.stderr?.on('data', (chunk) => (output += chunk));
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 30_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
		try {
			const response = await fetch(`${url}/healthz`);
			if (response.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`server did not become healthy in 30 s:\n${output}`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	return {
		url,
		dbPath,
		indexDir,
		dir,
		output: () => output,
		async stop(stopOptions = {}) {
			if (child.exitCode === null) {
				const exited = new Promise((r) => child.once('exit', r));
				child.kill('SIGTERM');
				await exited;
			}
			if (!stopOptions.keepFiles) fs.rmSync(dir, { recursive: true, force: true });
		}
	};
}
