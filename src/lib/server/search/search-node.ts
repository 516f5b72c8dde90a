/**
 * This node's search runtime: opens (or builds) the replica at start-up, then
 * follows the store's change feed every second, so a write is searchable on
 * this node within about a second; saves the replica now and then and on stop.
 *
 * The replica folder is a cache: when it cannot be written (read-only mount, full disk, a file
 * in its place) search keeps serving from memory, `/healthz` says the replica is not persisted,
 * and saving is retried with a growing pause, one warning per attempt: never a crash, never a
 * log line every second.
 */
import type { Db } from '../db/create-db';
import { isDatabaseUnreachable, reasonOf } from '../db/database-unavailable';
import type { Logger } from '../log';
import type { EmbeddingProvider } from './embeddings/provider';
import { SearchReplica } from './search-replica';

export interface SearchNodeOptions {
	syncIntervalMs?: number;
	saveIntervalMs?: number;
	/** The pause before retrying a failed save; it doubles on each failure up to `saveRetryMaxMs`. */
	saveRetryMs?: number;
	saveRetryMaxMs?: number;
	/** The embedding model whose paper vectors the replica keeps, if one is loaded. */
	embeddings?: EmbeddingProvider | null;
}

/** The longest pause between sync attempts while the database is away. */
const MAX_OUTAGE_RETRY_MS = 4000;

/** Whether the replica in memory is also on disk, and if not, why and when saving is retried. */
export interface ReplicaPersistence {
	persisted: boolean;
	/** The last save's failure, e.g. `EROFS: read-only file system, open '…'`. */
	error?: string;
	/** When saving failed first in the current run of failures, and when it is tried next (ISO 8601). */
	failingSince?: string;
	nextAttemptAt?: string;
}

/** Owns the replica and its follow loop. */
export class SearchNode {
	private timer: NodeJS.Timeout | undefined;
	private syncing: Promise<void> | undefined;
	private nextSaveAt: number;
	private saveFailures = 0;
	private persistenceValue: ReplicaPersistence = { persisted: true };
	/** While the database is away: when it went, and when the next attempt may run (backoff). */
	private outage: { since: number; retryAt: number; delayMs: number } | undefined;

	private constructor(
		readonly replica: SearchReplica,
		private readonly db: Db,
		private readonly log: Logger,
		private readonly options: Required<SearchNodeOptions>
	) {
		this.nextSaveAt = Date.now() + options.saveIntervalMs;
	}

	/** Whether the replica is saved in its folder (health shows it). */
	get persistence(): ReplicaPersistence {
		return this.persistenceValue;
	}

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
			saveRetryMs: options.saveRetryMs ?? 120_000,
			saveRetryMaxMs: options.saveRetryMaxMs ?? 30 * 60_000,
			embeddings: options.embeddings ?? null
		});
		// A freshly built replica is saved at once, so the next start loads instead of rebuilding.
		if (replica.hasUnsavedChanges) await node.trySave();
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
				await this.replica.sync(this.db);
				if (this.outage) {
					const seconds = ((Date.now() - this.outage.since) / 1000).toFixed(1);
					this.log.info(
						`the database answers again; search replica sync resumed after ${seconds} s`
					);
					this.outage = undefined;
				}
				if (this.replica.hasUnsavedChanges && Date.now() >= this.nextSaveAt) {
					await this.trySave();
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

	/** Saves the replica; a failure is logged once (no stack: it is the disk, not a bug) and retried later. */
	private async trySave(): Promise<boolean> {
		const now = Date.now();
		try {
			await this.replica.save();
		} catch (error) {
			const pauseMs = Math.min(
				this.options.saveRetryMs * 2 ** this.saveFailures,
				this.options.saveRetryMaxMs
			);
			this.saveFailures++;
			this.nextSaveAt = now + pauseMs;
			const reason = error instanceof Error ? error.message : String(error);
			this.persistenceValue = {
				persisted: false,
				error: reason,
				failingSince: this.persistenceValue.failingSince ?? new Date(now).toISOString(),
				nextAttemptAt: new Date(this.nextSaveAt).toISOString()
			};
			this.log.warn(
				{
					dir: this.replica.dir,
					code: (error as NodeJS.ErrnoException).code,
					reason,
					failures: this.saveFailures,
					retryInSeconds: Math.round(pauseMs / 1000)
				},
				'search replica cannot be saved to its folder: search serves from memory, and a restart rebuilds it until the folder is writable'
			);
			return false;
		}
		if (this.saveFailures > 0) {
			this.log.info({ dir: this.replica.dir }, 'search replica saved again');
		}
		this.saveFailures = 0;
		this.nextSaveAt = now + this.options.saveIntervalMs;
		this.persistenceValue = { persisted: true };
		return true;
	}

	/** Stops following and saves what is unsaved (a failure is logged, not thrown). */
	async stop(): Promise<void> {
		clearInterval(this.timer);
		await this.syncing;
		if (this.replica.hasUnsavedChanges) await this.trySave();
	}
}
