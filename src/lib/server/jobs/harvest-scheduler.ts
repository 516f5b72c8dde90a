/**
 * The daily arXiv harvest, started with the server (app.ts): once a day at
 * DP_HARVEST_HOUR_UTC it runs the harvest job (arxiv-harvest.job.ts) for every
 * set in DP_HARVEST_SETS, each continuing from its stored datestamp (a set
 * never harvested starts from yesterday). Every node schedules it; the job's
 * lease lets one of them harvest and the others skip. `stop()` (at shutdown)
 * cancels the timer and stops a running harvest after the page in hand, so the
 * store can be closed last.
 */
import type { Db } from '../db/create-db';
import type { HarvestConfig } from '../config';
import type { Logger } from '../log';
import { runArxivHarvestJob, type HarvestJobOptions } from './arxiv-harvest.job';

export interface HarvestScheduler {
	/** Runs the harvest now (as the timer would); resolves when it has finished. */
	runNow(): Promise<void>;
	/** Cancels the timer and stops a running harvest; resolves when it has stopped. */
	stop(): Promise<void>;
}

const DAY_MS = 24 * 60 * 60_000;

/** Milliseconds from `now` to the next `hourUtc`:00 UTC (a full day when it is that instant). */
export function msUntilNextRun(now: Date, hourUtc: number): number {
	const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hourUtc);
	const wait = next - now.getTime();
	return wait > 0 ? wait : wait + DAY_MS;
}

/** `YYYY-MM-DD` of the day before `now` (UTC). */
function yesterday(now: Date): string {
	return new Date(now.getTime() - DAY_MS).toISOString().slice(0, 10);
}

/**
 * Schedules the daily harvest. With no sets configured it schedules nothing (and
 * says so). `overrides` let tests shorten the courtesy delay and the lease.
 */
export function startHarvestScheduler(
	db: Db,
	config: Readonly<HarvestConfig>,
	log: Logger,
	overrides: Partial<HarvestJobOptions> = {}
): HarvestScheduler {
	if (config.sets.length === 0) {
		log.info('scheduled arXiv harvest is off (DP_HARVEST_SETS is empty)');
		return { runNow: async () => undefined, stop: async () => undefined };
	}
	const stopping = new AbortController();
	let timer: NodeJS.Timeout | undefined;
	let running: Promise<void> | null = null;

	/** One set under the lease; a failing set is logged and does not hold up the others. */
	const harvestSet = async (set: string, now: Date) => {
		try {
			const result = await runArxivHarvestJob(db, {
				sets: [set],
				baseUrl: config.oaiUrl,
				minDelayMs: config.delayMs,
				defaultFrom: yesterday(now),
				log,
				signal: stopping.signal,
				...overrides
			});
			if (result.status === 'busy') {
				log.info(
					{ set, holder: result.lease.holder },
					'arXiv harvest skipped: another process runs it'
				);
				return;
			}
			for (const s of result.summaries) {
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
						complete: s.complete
					},
					s.complete ? 'arXiv harvest done' : 'arXiv harvest stopped; the next run resumes it'
				);
			}
		} catch (error) {
			log.error({ set, err: error }, 'arXiv harvest failed; the next run resumes it');
		}
	};

	const harvest = async () => {
		const now = new Date();
		for (const set of config.sets) {
			if (stopping.signal.aborted) return;
			await harvestSet(set, now);
		}
	};

	const runNow = () => {
		running ??= harvest().finally(() => {
			running = null;
		});
		return running;
	};

	const schedule = () => {
		if (stopping.signal.aborted) return;
		const wait = msUntilNextRun(new Date(), config.hourUtc);
		timer = setTimeout(() => {
			void runNow().then(schedule);
		}, wait);
		// A pending harvest must not keep a process alive that is otherwise done.
		timer.unref();
	};
	schedule();
	log.info({ sets: config.sets, hourUtc: config.hourUtc }, 'scheduled the daily arXiv harvest');

	return {
		runNow,
		async stop() {
			clearTimeout(timer);
			stopping.abort(new Error('the server is shutting down'));
			await running;
		}
	};
}
