/**
 * The arXiv harvest job: harvests one or more OAI-PMH sets in turn while holding
 * the `lease:arxiv-oai` lease, so that of several processes sharing a store (app
 * nodes, a CLI run) only one harvests at a time. Run daily by
 * harvest-scheduler.ts and once by `dailypapers import arxiv-oai`.
 *
 * The lease is short and renewed while the harvest runs; a holder that dies
 * stops renewing and the lease expires. A holder that fails to renew (the store
 * is unreachable, or another process took over an expired lease) stops its
 * harvest after the page in hand; the checkpoint makes the next run resume.
 */
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/create-db';
import {
	harvestArxivOai,
	type HarvestSummary,
	type OaiHarvestOptions
} from '../ingest/arxiv-oai.harvest';
import { releaseLease, tryAcquireLease, type LeaseValue } from './lease.repository';

export const HARVEST_LEASE = 'lease:arxiv-oai';
const DEFAULT_LEASE_MS = 5 * 60_000;

export interface HarvestJobOptions extends Omit<OaiHarvestOptions, 'set'> {
	/** Sets to harvest in turn; `[undefined]` harvests all of arXiv. */
	sets: (string | undefined)[];
	/** Who this process is, in the lease (default host:pid:random). */
	holder?: string;
	/** How long the lease lasts without renewal; renewed every third of it. Default 5 min. */
	leaseMs?: number;
}

export type HarvestJobResult =
	| { status: 'done'; summaries: HarvestSummary[] }
	/** Another process holds the lease: nothing was harvested. */
	| { status: 'busy'; lease: LeaseValue };

/** A holder id naming this process, unique per call. */
export function leaseHolder(): string {
	return `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Harvests `options.sets` one after the other under the lease. Returns `busy`
 * when another process holds it. A dry run takes no lease (it writes nothing).
 * Errors of a set's harvest (HarvestFailedError, HarvestStartError) propagate
 * after the lease is released; sets after it are not harvested.
 */
export async function runArxivHarvestJob(
	db: Db,
	options: HarvestJobOptions
): Promise<HarvestJobResult> {
	const { sets, leaseMs = DEFAULT_LEASE_MS, ...harvestOptions } = options;
	const runSets = async (signal?: AbortSignal) => {
		const summaries: HarvestSummary[] = [];
		for (const set of sets) {
			if (signal?.aborted) break;
			summaries.push(await harvestArxivOai(db, { ...harvestOptions, set, signal }));
		}
		return summaries;
	};
	if (options.dryRun) return { status: 'done', summaries: await runSets(options.signal) };

	const holder = options.holder ?? leaseHolder();
	const held = await tryAcquireLease(db, HARVEST_LEASE, holder, leaseMs);
	if (held) return { status: 'busy', lease: held };

	// Stops the harvest when the caller aborts or the lease is lost.
	const stop = new AbortController();
	const onAbort = () => stop.abort(options.signal?.reason);
	options.signal?.addEventListener('abort', onAbort, { once: true });
	if (options.signal?.aborted) onAbort();
	let renewing: Promise<void> = Promise.resolve();
	const renewal = setInterval(
		() => {
			renewing = tryAcquireLease(db, HARVEST_LEASE, holder, leaseMs).then(
				(other) => {
					if (other) {
						options.log?.warn({ holder: other.holder }, 'harvest lease lost; stopping');
						stop.abort(new Error(`the harvest lease was taken by ${other.holder}`));
					}
				},
				(error: unknown) => {
					options.log?.warn({ err: error }, 'harvest lease could not be renewed; stopping');
					stop.abort(error);
				}
			);
		},
		Math.max(10, Math.floor(leaseMs / 3))
	);
	try {
		return { status: 'done', summaries: await runSets(stop.signal) };
	} finally {
		clearInterval(renewal);
		options.signal?.removeEventListener('abort', onAbort);
		await renewing;
		await releaseLease(db, HARVEST_LEASE, holder).catch(() => undefined);
	}
}
