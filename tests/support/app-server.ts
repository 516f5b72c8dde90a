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
	/** Everything the server printed so far. */
	output(): string;
	/** The same, a line each (its JSON log lines among them), empty lines left out. */
	outputLines(): string[];
	/** Whether the server process is still running. */
	alive(): boolean;
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

/** A server process (`dailypapers serve --migrate`) that may not be answering yet. */
export interface AppProcess {
	url: string;
	/** Everything it printed so far (stdout and stderr). */
	output(): string;
	/** Whether the process is still running. */
	alive(): boolean;
	/** Resolves once `/healthz` answers 200; rejects if the process exits or `timeoutMs` passes. */
	waitUntilHealthy(timeoutMs?: number): Promise<void>;
	/** SIGTERM, then waits for the exit. */
	stop(): Promise<void>;
}

function assertBuilt(): void {
	if (!fs.existsSync(path.join(root, 'build', 'index.js'))) {
		throw new Error('build/ is missing: run `npm test` (it builds) or `npx vite build` first');
	}
}

/**
 * Starts `dailypapers serve --migrate` with `env` on `port` (a free one by default) and returns
 * at once, without waiting for it to answer (e.g. to start it while its database is away). A test
 * that must know the URL before the server starts (an OAuth redirect URI, `DP_PUBLIC_URL`) picks
 * the port with `freePort()` and passes it.
 */
export async function spawnAppServer(
	env: Record<string, string>,
	options: { port?: number } = {}
): Promise<AppProcess> {
	assertBuilt();
	const port = options.port ?? (await freePort());
	const child: ChildProcess = spawn(process.execPath, [cli, 'serve', '--migrate'], {
		cwd: root,
		env: {
			...process.env,
			DP_SEED_FROM_HF: 'false',
			DP_LOG_LEVEL: 'warn',
			...env,
			PORT: String(port),
			HOST: '127.0.0.1'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout?.on('data', (chunk) => (output += chunk));
	child.stderr?.on('data', (chunk) => (output += chunk));
	const url = `http://127.0.0.1:${port}`;
	return {
		url,
		output: () => output,
		alive: () => child.exitCode === null && child.signalCode === null,
		async waitUntilHealthy(timeoutMs = 30_000) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
				try {
					const response = await fetch(`${url}/healthz`);
					await response.arrayBuffer();
					if (response.ok) return;
				} catch {
					// not listening yet
				}
				if (Date.now() > deadline) {
					child.kill('SIGKILL');
					throw new Error(`server did not become healthy in ${timeoutMs / 1000} s:\n${output}`);
				}
				await new Promise((r) => setTimeout(r, 100));
			}
		},
		async stop() {
			if (child.exitCode === null && child.signalCode === null) {
				const exited = new Promise((r) => child.once('exit', r));
				child.kill('SIGTERM');
				await exited;
			}
		}
	};
}

/**
 * Serves the built site after importing `seedDirs`: on a fresh SQLite file in its folder, or on
 * `database` (a TestDatabase's env, e.g. a PostgreSQL schema's DATABASE_URL) when given; `env`
 * adds settings (e.g. DP_EMBEDDING_MODEL) to the server's environment.
 */
export async function startAppServer(
	seedDirs: string[] = [],
	options: {
		dir?: string;
		env?: Record<string, string>;
		database?: Record<string, string>;
		/** The port to serve on (see spawnAppServer); a free one by default. */
		port?: number;
	} = {}
): Promise<RunningServer> {
	assertBuilt();
	const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dp-app-'));
	const dbPath = path.join(dir, 'app.db');
	const indexDir = path.join(dir, 'index');
	const env = { ...(options.database ?? { DP_DB_PATH: dbPath }), DP_INDEX_DIR: indexDir };
	if (seedDirs.length > 0) {
		const imported = await runCli(['import', 'hf-daily', ...seedDirs], env);
		if (imported.status !== 0) throw new Error(`seed import failed: ${imported.stderr}`);
	}
	const server = await spawnAppServer({ ...env, ...options.env }, { port: options.port });
	await server.waitUntilHealthy(30_000);
	return {
		url: server.url,
		dbPath,
		indexDir,
		dir,
		output: server.output,
		outputLines: () =>
			server
				.output()
				.split('\n')
				.filter((line) => line.length > 0),
		alive: server.alive,
		async stop(stopOptions = {}) {
			await server.stop();
			if (!stopOptions.keepFiles) fs.rmSync(dir, { recursive: true, force: true });
		}
	};
}
