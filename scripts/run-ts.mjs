// Runs a TypeScript entry point (a benchmark or a one-off tool) that imports
// the project's modules: bundles it with esbuild into a temporary file next to
// node_modules, then imports it. Usage: node scripts/run-ts.mjs <file.ts> [args...]
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { nodeBundle } from './build-cli.mjs';
import { root } from './lib.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
	console.error('usage: node scripts/run-ts.mjs <file.ts> [args...]');
	process.exit(2);
}
const outDir = path.join(root, 'dist', 'run');
fs.mkdirSync(outDir, { recursive: true });
const outfile = path.join(outDir, `${path.basename(entry, '.ts')}.mjs`);
await build({ ...nodeBundle, entryPoints: [path.resolve(entry)], outfile });
process.argv = [process.argv[0], outfile, ...args];
await import(pathToFileURL(outfile).href);
