/**
 * This node's search runtime: opens (or builds) the replica at start-up, then
 * follows the store's change feed every second, so a write is searchable on
 * this node within about a second; saves the replica now and then and on stop.
 */
import type { Db } from '../db/create-db';
import { isDatabaseUnreachable, reasonOf } from '../db/database-unavailable';
import type { Logger } from '../log';
import type { EmbeddingProvider } from './embeddings/provider';
import { SearchReplica } from './search-replica';

export interface SearchNodeOptions {
	syncIntervalMs?: number;
	saveIntervalMs?: number;
	/** The embedding model whose paper vectors the replica keeps, if one is loaded. */
	embeddings?: EmbeddingProvider | null;
}

/** The longest pause between sync attempts while the database is away. */
const MAX_OUTAGE_RETRY_MS = 4000;

/** Owns the replica and its follow loop. */
export class SearchNode {
	private timer: NodeJS.Timeout | undefined;
	private syncing: Promise<void> | undefined;
	private unsaved = 0;
	private lastSave = Date.now();
	/** While the database is away: when it went, and when the next attempt may run (backoff). */
	private outage: { since: number; retryAt: number; delayMs: number } | undefined;

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
		// While the database is away, ticks wait out the backoff; search serves from memory.
		// (Checked outside the async body: one that returns before its first await would
		// clear `syncing` before `??=` stores its promise, and no sync would start again.)
		if (!this.syncing && this.outage && Date.now() < this.outage.retryAt) return Promise.resolve();
		this.syncing ??= (async () => {
			try {
				const changed = await this.replica.sync(this.db);
				this.unsaved += changed;
				if (this.outage) {
					const seconds = ((Date.now() - this.outage.since) / 1000).toFixed(1);
					this.log.info(
						`the database answers again; search replica sync resumed after ${seconds} s`
					);
					this.outage = undefined;
				}
				if (this.unsaved > 0 && Date.now() - this.lastSave >= this.options.saveIntervalMs) {
					await this.save();
				}
			} catch (error) {
				if (isDatabaseUnreachable(error)) this.noteOutage(error);
				else this.log.error({ err: error }, 'search replica sync failed; will retry');
			} finally {
				this.syncing = undefined;
			}
		})();
		return this.syncing;
	}

	/**
	 * One warning when the database goes away (not a stack trace per tick), then
	 * retries at a doubling interval capped at 4 s, so sync resumes within seconds
	 * of its return.
	 */
	private noteOutage(error: unknown): void {
		const now = Date.now();
		if (!this.outage) {
			this.log.warn(
				{ reason: reasonOf(error) },
				'the database is unavailable; search serves from memory and its sync retries with backoff'
			);
			this.outage = { since: now, retryAt: now, delayMs: this.options.syncIntervalMs };
		} else {
			this.outage.delayMs = Math.min(this.outage.delayMs * 2, MAX_OUTAGE_RETRY_MS);
		}
		this.outage.retryAt = now + this.outage.delayMs;
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
