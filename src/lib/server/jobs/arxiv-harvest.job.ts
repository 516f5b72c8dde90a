/**
 * The arXiv harvest job: harvests OAI-PMH sets in turn while holding the
 * `arxiv-harvest` lease, so that of several processes sharing a store (app
 * nodes, a CLI run) only one harvests at a time. Scheduled daily at
 * DP_HARVEST_HOUR_UTC for every set in DP_HARVEST_SETS (off when that is empty),
 * each continuing from its stored datestamp (a set never harvested starts from
 * yesterday); run once by `dailypapers jobs run arxiv-harvest` and, for one set
 * with explicit dates, by `dailypapers import arxiv-oai`.
 *
 * A holder that loses the lease stops its harvest after the page in hand; the
 * checkpoint makes the next run resume.
 */
import type { Db } from '../db/create-db';
import type { HarvestConfig } from '../config';
import {
	harvestArxivOai,
	HarvestConfigurationError,
	type HarvestSummary,
	type OaiHarvestOptions
} from '../ingest/arxiv-oai.harvest';
import type { JobDefinition } from './job';
import type { LeaseValue } from './lease.repository';
import { runWithLease, type LeaseOptions } from './lease.service';
import { daily } from './schedule';

export const HARVEST_LEASE = 'arxiv-harvest';

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

const DAY_MS = 24 * 60 * 60_000;

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
	const { sets, leaseMs, holder, ...harvestOptions } = options;
	const runSets = async (signal?: AbortSignal) => {
		const summaries: HarvestSummary[] = [];
		for (const set of sets) {
			if (signal?.aborted) break;
			summaries.push(await harvestArxivOai(db, { ...harvestOptions, set, signal }));
		}
		return summaries;
	};
	if (options.dryRun) return { status: 'done', summaries: await runSets(options.signal) };
	const lease: LeaseOptions = { holder, leaseMs, signal: options.signal, log: options.log };
	const result = await runWithLease(db, HARVEST_LEASE, runSets, lease);
	return result.status === 'busy' ? result : { status: 'done', summaries: result.value };
}

/**
 * The scheduled harvest of `config.sets`. A failing set is logged and does not
 * hold up the others; the run is then recorded as failed. `overrides` let tests
 * shorten the courtesy delay and backoff or fix the dates.
 */
export function arxivHarvestJob(
	config: Readonly<HarvestConfig>,
	overrides: Partial<OaiHarvestOptions> = {}
): JobDefinition {
	return {
		name: HARVEST_LEASE,
		schedule: daily(config.hourUtc),
		description: `harvest arXiv over OAI-PMH, sets: ${config.sets.join(', ') || 'none'}`,
		off: config.sets.length === 0 ? 'DP_HARVEST_SETS is empty' : undefined,
		async run({ db, log, signal, dryRun, now }) {
			const failed: string[] = [];
			for (const set of config.sets) {
				if (signal.aborted) break;
				try {
					const s = await harvestArxivOai(db, {
						set,
						baseUrl: config.oaiUrl,
						minDelayMs: config.delayMs,
						defaultFrom: new Date(now.getTime() - DAY_MS).toISOString().slice(0, 10),
						dryRun,
						log,
						signal,
						...overrides
					});
					log.info(
						{
							set: s.set,
							from: s.from,
							pages: s.pages,
							inserted: s.inserted,
							updated: s.updated,
							unchanged: s.unchanged,
							skipped: s.skipped,
							deleted: s.deleted,
							lastDatestamp: s.lastDatestamp,
							complete: s.complete,
							noRecordsMatch: s.noRecordsMatch,
							restartedAfterBadToken: s.restartedAfterBadToken
						},
						!s.complete
							? 'arXiv harvest stopped; the next run resumes it'
							: s.noRecordsMatch !== null && s.records === 0
								? 'arXiv harvest done: nothing new'
								: 'arXiv harvest done'
					);
				} catch (error) {
					log.error(
						{ set, err: error },
						error instanceof HarvestConfigurationError
							? 'arXiv harvest misconfigured: check DP_HARVEST_SETS; retrying will not help'
							: 'arXiv harvest failed; the next run resumes it'
					);
					failed.push(`${set}: ${error instanceof Error ? error.message : String(error)}`);
				}
			}
			return failed.length ? { error: `harvest failed for ${failed.join('; ')}` } : {};
		}
	};
}
