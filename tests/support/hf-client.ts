/**
 * Hugging Face's own Python client (`huggingface_hub`), installed offline from the
 * local wheel folder into a virtual environment cached under node_modules/.cache,
 * so tests can drive the server with the requests HF's users really send.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const HF_HUB_VERSION = '1.33.0';
const WHEELS = process.env.DP_PYPI_WHEELS ?? '/opt/pypi/files';
const root = path.resolve(import.meta.dirname, '../..');
const venv = path.join(
	root,
	'node_modules',
	'.cache',
	'hf-venv',
	`huggingface_hub-${HF_HUB_VERSION}`
);
const python = path.join(venv, 'bin', 'python');
const ready = path.join(venv, '.installed');

/** Why the client cannot be installed here (no python3, no wheels), or null when it can. */
export function hfClientUnavailable(): string | null {
	if (spawnSync('python3', ['--version']).status !== 0) return 'python3 is not installed';
	if (!fs.existsSync(WHEELS)) return `the wheel folder ${WHEELS} is absent`;
	return null;
}

/** The venv's python with huggingface_hub installed, made once and reused. */
export function hfClientPython(): string {
	if (fs.existsSync(ready)) return python;
	fs.rmSync(venv, { recursive: true, force: true });
	fs.mkdirSync(path.dirname(venv), { recursive: true });
	execFileSync('python3', ['-m', 'venv', venv], { stdio: 'pipe' });
	execFileSync(
		python,
		[
			'-m',
			'pip',
			'install',
			'--quiet',
			'--no-index',
			'--find-links',
			WHEELS,
			`huggingface_hub==${HF_HUB_VERSION}`
		],
		{ stdio: 'pipe', timeout: 120_000 }
	);
	fs.writeFileSync(ready, `${HF_HUB_VERSION}\n`);
	return python;
}

/** Runs a Python script with the client's interpreter; its stdout parsed as JSON. */
export function runHfClient(script: string, args: string[], home: string): unknown {
	const result = spawnSync(hfClientPython(), ['-c', script, ...args], {
		encoding: 'utf8',
		timeout: 120_000,
		env: {
			PATH: process.env.PATH ?? '',
			// No saved token, no telemetry, nothing read from the user's own HF setup.
			HF_HOME: home,
			HF_HUB_DISABLE_TELEMETRY: '1',
			HF_HUB_DISABLE_IMPLICIT_TOKEN: '1'
		}
	});
	if (result.status !== 0) throw new Error(`python failed (${result.status}):\n${result.stderr}`);
	return JSON.parse(result.stdout) as unknown;
}
