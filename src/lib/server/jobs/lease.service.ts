/**
 * `runWithLease`: run a piece of work while holding a job's lease, for app
 * nodes and CLI runs that share one store. The lease is short and renewed while
 * the work runs; a holder that dies stops renewing and the lease lapses, so
 * another node can take over. A holder that fails to renew (the store is
 * unreachable, or another node took an expired lease over) aborts the work
 * through its AbortSignal.
 */
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/create-db';
import { releaseLease, tryAcquireLease, type LeaseValue } from './lease.repository';

/** Five minutes: long enough for a slow store, short enough for a quick takeover. */
export const DEFAULT_LEASE_MS = 5 * 60_000;

export interface LeaseOptions {
	/** Who this process is, in the lease (default host:pid:random). */
	holder?: string;
	/** How long the lease lasts without renewal; renewed every third of it. Default 5 min. */
	leaseMs?: number;
	/** Aborts the work (as losing the lease does); the lease is released after it stops. */
	signal?: AbortSignal;
	/** Told when the lease is lost. */
	log?: { warn(object: object, message: string): void };
}

export type LeaseResult<T> =
	| { status: 'done'; value: T; holder: string }
	/** Another process holds the lease: the work did not run. */
	| { status: 'busy'; lease: LeaseValue };

/** A holder id naming this process, unique per call. */
export function leaseHolder(): string {
	return `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Runs `work` while holding the lease `name`: returns `busy` without running it
 * when another holder has the lease; otherwise renews the lease every third of
 * `leaseMs`, aborts `work`'s signal if a renewal fails or finds another holder,
 * and releases the lease when `work` settles (also when it throws).
 *
 * @example
 * const result = await runWithLease(db, 'trending', (signal) => recomputeTrending(db, signal));
 * if (result.status === 'busy') log.info(`${result.lease.holder} is on it`);
 */
export async function runWithLease<T>(
	db: Db,
	name: string,
	work: (signal: AbortSignal) => Promise<T>,
	options: LeaseOptions = {}
): Promise<LeaseResult<T>> {
	const { holder = leaseHolder(), leaseMs = DEFAULT_LEASE_MS, signal, log } = options;
	const held = await tryAcquireLease(db, name, holder, leaseMs);
	if (held) return { status: 'busy', lease: held };

	const stop = new AbortController();
	const onAbort = () => stop.abort(signal?.reason);
	signal?.addEventListener('abort', onAbort, { once: true });
	if (signal?.aborted) onAbort();
	let renewing: Promise<void> = Promise.resolve();
	const renewal = setInterval(
		() => {
			renewing = tryAcquireLease(db, name, holder, leaseMs).then(
				(other) => {
					if (other) {
						log?.warn({ lease: name, holder: other.holder }, 'lease lost; stopping');
						stop.abort(new Error(`the ${name} lease was taken by ${other.holder}`));
					}
				},
				(error: unknown) => {
					log?.warn({ lease: name, err: error }, 'lease could not be renewed; stopping');
					stop.abort(new Error(`the ${name} lease could not be renewed`, { cause: error }));
				}
			);
		},
		Math.max(10, Math.floor(leaseMs / 3))
	);
	try {
		return { status: 'done', value: await work(stop.signal), holder };
	} finally {
		clearInterval(renewal);
		signal?.removeEventListener('abort', onAbort);
		await renewing;
		await releaseLease(db, name, holder).catch(() => undefined);
	}
}
