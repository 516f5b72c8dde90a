// `npm start`: install what is missing, build what changed, then migrate the
// database, seed it on first run, and serve the site on PORT (default 3000).
import path from 'node:path';
import { ensureBuilt, ensureDependencies, root } from './lib.mjs';

ensureDependencies();
ensureBuilt();
process.argv = [
	process.argv[0],
	path.join(root, 'bin', 'dailypapers.js'),
	'serve',
	'--migrate',
	'--seed'
];
await import('../bin/dailypapers.js');
