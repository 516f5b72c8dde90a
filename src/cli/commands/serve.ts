/**
 * `dailypapers serve [--migrate] [--seed]`: migrates and seeds when asked, then
 * loads the built SvelteKit server (build/index.js), which keeps running.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { migrateToLatest } from '../../lib/server/db/migrate';
import { waitForStore } from '../../lib/server/db/wait-for-store';
import { seedIfEmpty } from '../../lib/server/ingest/seed';
import { createLogger } from '../../lib/server/log';
import { withStore, type Command } from '../shared';

export const serveCommand: Command = async ({ flags, config: readConfig }) => {
	const config = readConfig();
	const log = createLogger(config.logLevel);
	await withStore(config, async (store) => {
		const { db } = store;
		// A database still starting (or restarting) is waited for, not a reason to exit.
		await waitForStore(store, config, log);
		if (flags.migrate) {
			const applied = await migrateToLatest(db);
			if (applied.length) log.info({ applied }, 'applied migrations');
		}
		if (flags.seed) await seedIfEmpty(db, config, log);
	});
	// The CLI is bundled into dist/cli.js: the server build sits beside dist/.
	const here = path.dirname(fileURLToPath(import.meta.url));
	const server = path.resolve(here, '../build/index.js');
	process.env.PORT = String(config.port);
	process.env.HOST = config.host;
	log.info({ port: config.port }, `serving on http://localhost:${config.port}`);
	await import(pathToFileURL(server).href);
	return 0;
};
