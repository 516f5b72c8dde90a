/** Small pieces every benchmark needs. */
import fs from 'node:fs';
import path from 'node:path';

export { freePort } from '../tests/support/app-server';

/**
 * The project root: the nearest folder above this module with package.json
 * (benchmarks run bundled from dist/run/ by scripts/run-ts.mjs, or from bench/).
 */
export function projectRoot(): string {
	let dir = import.meta.dirname;
	for (let i = 0; i < 6; i += 1) {
		if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
		dir = path.dirname(dir);
	}
	return process.cwd();
}
