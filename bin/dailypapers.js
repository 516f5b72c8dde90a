#!/usr/bin/env node
// The `dailypapers` command. Rebuilds the bundled CLI when its sources changed
// (so `npx dailypapers` works in a clone right after `npm install`), then runs it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist', 'cli.js');

function newest(dir) {
	let latest = 0;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
	}
	return latest;
}

const builtAt = fs.existsSync(bundle) ? fs.statSync(bundle).mtimeMs : 0;
const sources = [path.join(root, 'src', 'lib'), path.join(root, 'src', 'cli')];
if (builtAt < Math.max(...sources.map(newest))) {
	const { buildCli } = await import(
		pathToFileURL(path.join(root, 'scripts', 'build-cli.mjs')).href
	);
	await buildCli();
}
await import(pathToFileURL(bundle).href);
