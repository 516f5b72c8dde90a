/**
 * A PostgreSQL cluster of the test's own (initdb into a temporary folder, on a
 * free port, trust auth), so a test can stop and start a real server without
 * touching the shared one at 127.0.0.1:5432. As root, the server runs as the
 * `postgres` user (PostgreSQL refuses to run as root).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './app-server';

const run = promisify(execFile);

export interface ThrowawayPostgres {
	/** `postgres://postgres@127.0.0.1:<port>/postgres` */
	url: string;
	/** Starts the server (no-op when running). */
	start(): Promise<void>;
	/** A fast shutdown (no-op when stopped): sessions are terminated (57P01), as in `pg_ctlcluster … stop`. */
	stop(): Promise<void>;
	/** Stops the server if running and removes its folder. */
	destroy(): Promise<void>;
}

/** The folder holding initdb and pg_ctl, or undefined when no PostgreSQL server is installed. */
export function postgresBinaries(): string | undefined {
	const base = '/usr/lib/postgresql';
	const versions = fs.existsSync(base)
		? fs
				.readdirSync(base)
				.filter((name) => fs.existsSync(path.join(base, name, 'bin', 'initdb')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	return versions.length > 0 ? path.join(base, versions[0], 'bin') : undefined;
}

/** Whether this process is root, so the server must run as the `postgres` user. */
const asRoot = process.getuid?.() === 0;

async function runAsServerUser(command: string, args: string[]): Promise<void> {
	if (asRoot) await run('runuser', ['-u', 'postgres', '--', command, ...args]);
	else await run(command, args);
}

/** Creates and starts a throwaway cluster; call `destroy()` when done. */
export async function createThrowawayPostgres(): Promise<ThrowawayPostgres> {
	const bin = postgresBinaries();
	if (!bin) throw new Error('no PostgreSQL server binaries (initdb) under /usr/lib/postgresql');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-throwaway-pg-'));
	const dataDir = path.join(dir, 'data');
	if (asRoot) await run('chown', ['postgres:', dir]);
	const port = await freePort();
	await runAsServerUser(path.join(bin, 'initdb'), [
		'-D',
		dataDir,
		'-U',
		'postgres',
		'-A',
		'trust',
		'--no-sync'
	]);
	const pgCtl = path.join(bin, 'pg_ctl');
	const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
	let running = false;
	const cluster: ThrowawayPostgres = {
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		async start() {
			if (running) return;
			await runAsServerUser(pgCtl, [
				'-D',
				dataDir,
				'-o',
				serverOptions,
				'-l',
				path.join(dir, 'server.log'),
				'-w',
				'start'
			]);
			running = true;
		},
		async stop() {
			if (!running) return;
			await runAsServerUser(pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
			running = false;
		},
		async destroy() {
			if (running) await cluster.stop().catch(() => undefined);
			fs.rmSync(dir, { recursive: true, force: true });
		}
	};
	await cluster.start();
	return cluster;
}
