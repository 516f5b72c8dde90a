/**
 * This node's search runtime: opens (or builds) the replica at start-up, then
 * follows the store's change feed every second, so a write is searchable on
 * this node within about a second; saves the replica now and then and on stop.
 */
import type { Db } from '../db/create-db';
import type { Logger } from '../log';
import type { EmbeddingProvider } from './embeddings/provider';
import { SearchReplica } from './search-replica';

export interface SearchNodeOptions {
	syncIntervalMs?: number;
	saveIntervalMs?: number;
	/** The embedding model whose paper vectors the replica keeps, if one is loaded. */
	embeddings?: EmbeddingProvider | null;
}

/** Owns the replica and its follow loop. */
export class SearchNode {
	private timer: NodeJS.Timeout | undefined;
	private syncing: Promise<void> | undefined;
	private unsaved = 0;
	private lastSave = Date.now();

	private constructor(
		readonly replica: SearchReplica,
		private readonly db: Db,
		private readonly log: Logger,
		private readonly options: Required<SearchNodeOptions>
	) {}

	/** Opens the replica in `dir` (building it when absent) and starts following the store. */
	static async start(
		db: Db,
		dir: string,
		log: Logger,
		options: SearchNodeOptions = {}
	): Promise<SearchNode> {
		const replica = await SearchReplica.open(db, dir, log, options.embeddings);
		const node = new SearchNode(replica, db, log, {
			syncIntervalMs: options.syncIntervalMs ?? 1000,
			saveIntervalMs: options.saveIntervalMs ?? 60_000,
			embeddings: options.embeddings ?? null
		});
		await node.syncNow();
		node.timer = setInterval(() => void node.syncNow(), node.options.syncIntervalMs);
		node.timer.unref();
		return node;
	}

	/** Catches up with the store now (joins a sync already under way). */
	syncNow(): Promise<void> {
		this.syncing ??= (async () => {
			try {
				const changed = await this.replica.sync(this.db);
				this.unsaved += changed;
				if (this.unsaved > 0 && Date.now() - this.lastSave >= this.options.saveIntervalMs) {
					await this.save();
				}
			} catch (error) {
				this.log.error({ err: error }, 'search replica sync failed; will retry');
			} finally {
				this.syncing = undefined;
			}
		})();
		return this.syncing;
	}

	private async save(): Promise<void> {
		await this.replica.save();
		this.unsaved = 0;
		this.lastSave = Date.now();
	}

	/** Stops following and saves what is unsaved. */
	async stop(): Promise<void> {
		clearInterval(this.timer);
		await this.syncing;
		if (this.unsaved > 0) await this.save();
	}
}
