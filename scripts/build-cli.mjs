// Bundles the `dailypapers` CLI (src/cli/main.ts and the server modules it
// uses) into dist/cli.js; npm packages stay external.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** esbuild options shared by every bundled Node entry point (CLI, worker, benchmarks). */
export const nodeBundle = {
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	packages: 'external',
	alias: { $lib: path.join(root, 'src/lib') },
	logLevel: 'warning'
};

/** Builds dist/cli.js and the snapshot import's parse worker beside it. */
export async function buildCli() {
	await build({
		...nodeBundle,
		entryPoints: {
			cli: path.join(root, 'src/cli/main.ts'),
			'arxiv-snapshot.worker': path.join(root, 'src/lib/server/ingest/arxiv-snapshot.worker.ts')
		},
		outdir: path.join(root, 'dist'),
		sourcemap: true
	});
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	await buildCli();
}
