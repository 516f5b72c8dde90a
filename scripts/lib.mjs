// Helpers shared by `npm start` and `npm test`. Only Node built-ins here: this
// runs before dependencies are installed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs a command in the project root, inheriting stdio; exits the process on failure. */
export function run(command, args, options = {}) {
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
	if (result.status !== 0) {
		console.error(
			`\n✗ ${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`
		);
		process.exit(result.status || 1);
	}
}

function mtime(file) {
	try {
		return fs.statSync(file).mtimeMs;
	} catch {
		return 0;
	}
}

/** Newest modification time of the files under the given paths. */
export function newestMtime(paths) {
	let newest = 0;
	const visit = (file) => {
		let stat;
		try {
			stat = fs.statSync(file);
		} catch {
			return;
		}
		if (stat.isDirectory()) {
			for (const name of fs.readdirSync(file)) visit(path.join(file, name));
		} else {
			newest = Math.max(newest, stat.mtimeMs);
		}
	};
	for (const p of paths) visit(path.join(root, p));
	return newest;
}

/** Installs dependencies from the lock file when node_modules is missing or older than it. */
export function ensureDependencies() {
	const installed = path.join(root, 'node_modules', '.package-lock.json');
	const lock = path.join(root, 'package-lock.json');
	if (fs.existsSync(installed) && mtime(installed) >= mtime(lock)) return;
	console.log('› installing dependencies (npm ci)');
	// npm 11 skips onnxruntime-node's CUDA download through package.json allowScripts; npm 10
	// (Node 20's) ignores that field, and the install script itself reads this variable.
	run('npm', ['ci', '--no-audit', '--no-fund'], {
		env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' }
	});
}

const BUILD_INPUTS = [
	'src',
	'static',
	'package-lock.json',
	'svelte.config.js',
	'vite.config.ts',
	'scripts/build-cli.mjs'
];
const BUILD_STAMP = path.join(root, 'build', '.built-at');

/** Builds the site (vite) and the CLI when any of their inputs changed since the last build. */
export function ensureBuilt({ force = false } = {}) {
	if (!force && fs.existsSync(BUILD_STAMP) && mtime(BUILD_STAMP) >= newestMtime(BUILD_INPUTS))
		return;
	console.log('› building the site');
	run(process.execPath, [
		path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
		'build',
		'--logLevel',
		'warn'
	]);
	run(process.execPath, [path.join(root, 'scripts', 'build-cli.mjs')]);
	fs.writeFileSync(BUILD_STAMP, new Date().toISOString());
}
