// `npm test`: install what is missing (Chromium too, as root), then run the
// whole gate: formatting, lint, type-check, build, unit, database (SQLite and
// PostgreSQL) and browser tests.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureBuilt, ensureDependencies, root, run } from './lib.mjs';

const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const chromium = process.env.DP_CHROMIUM ?? '/usr/bin/chromium';

function ensureChromium() {
	if (fs.existsSync(chromium)) return;
	if (process.getuid?.() === 0) {
		console.log('› installing Chromium for the browser tests (apt-get)');
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		run('apt-get', ['update', '-q'], { env });
		run('apt-get', ['install', '-y', '-q', 'chromium'], { env });
	} else if (process.env.CI === 'true') {
		console.error(
			`✗ ${chromium} is missing and this is not root: install Debian's chromium package`
		);
		process.exit(1);
	} else {
		console.warn(`! ${chromium} is missing and this is not root: browser tests will be skipped`);
	}
}

function postgresHint() {
	const probe = spawnSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432'], { stdio: 'ignore' });
	if (probe.status !== 0 && probe.error === undefined) {
		console.warn(
			'! PostgreSQL at 127.0.0.1:5432 is not answering: PostgreSQL suites will skip (fail in CI)'
		);
	}
}

ensureDependencies();
ensureChromium();
postgresHint();
run(bin('svelte-kit'), ['sync']);
console.log('› prettier');
run(bin('prettier'), ['--check', '--log-level', 'warn', '.']);
console.log('› eslint');
run(bin('eslint'), ['.']);
console.log('› svelte-check');
run(bin('svelte-check'), ['--fail-on-warnings', '--threshold', 'warning', '--output', 'human']);
ensureBuilt();
console.log('› vitest');
run(bin('vitest'), ['run', ...process.argv.slice(2)]);
