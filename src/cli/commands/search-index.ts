/**
 * `dailypapers index build|sync|stats`: the search replica (DP_INDEX_DIR),
 * rebuilt from the store, caught up with its change feed, or described.
 */
import { createLogger } from '../../lib/server/log';
import { countPapers } from '../../lib/server/papers/paper.service';
import { loadEmbeddingModel } from '../../lib/server/search/embeddings/load-embedding-model';
import type { EmbeddingProvider } from '../../lib/server/search/embeddings/provider';
import { SearchReplica } from '../../lib/server/search/search-replica';
import { progressBar } from '../progress';
import { UsageError, withStore, type Command } from '../shared';

export const indexCommand: Command = ({ args, config: readConfig }) => {
	const config = readConfig();
	const [action] = args;
	return withStore(config, async ({ db }) => {
		// The configured embedding model (if it loads) embeds the papers as the server would.
		const withModel = async <T>(work: (model: EmbeddingProvider | null) => Promise<T>) => {
			const log = createLogger(config.logLevel);
			const { provider } = await loadEmbeddingModel(config.embeddings, log);
			try {
				return await work(provider);
			} finally {
				await provider?.dispose?.();
			}
		};
		if (action === 'build') {
			const bar = progressBar();
			bar.start?.(await countPapers(db), 'papers');
			const replica = await withModel((model) =>
				SearchReplica.build(
					db,
					config.indexDir,
					(done) => bar.advance?.(done, { records: done }),
					model
				)
			);
			bar.stop?.();
			await replica.save();
			console.log(JSON.stringify(await replica.stats(db)));
			return 0;
		}
		if (action === 'sync') {
			const { replica, changed } = await withModel(async (model) => {
				const opened = await SearchReplica.open(db, config.indexDir, undefined, model);
				return { replica: opened, changed: await opened.sync(db) };
			});
			// A replica built or re-embedded by open() is unsaved too.
			if (replica.hasUnsavedChanges) await replica.save();
			console.log(`indexed ${changed} changed paper(s); the replica is at seq ${replica.seq}`);
			return 0;
		}
		if (action === 'stats') {
			const replica = await SearchReplica.load(config.indexDir);
			if (!replica) {
				console.error(`no search replica in ${config.indexDir} (run "dailypapers index build")`);
				return 1;
			}
			console.log(JSON.stringify(await replica.stats(db), null, 2));
			return 0;
		}
		throw new UsageError(`unknown index action "${action ?? ''}" (use build, sync or stats)`);
	});
};
