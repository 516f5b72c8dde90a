/**
 * The job scheduler, started with the server (app.ts): every node runs one, and
 * for each job whose slot is due (schedule.ts) it tries the job's lease; the
 * node that gets it runs the job and records the slot in `job_runs`, the others
 * see the lease taken (or the slot done) and skip. A node that dies stops
 * renewing its lease; once it lapses, another node's next poll takes the slot
 * over. `stop()` stops taking work, aborts running jobs (they finish the unit
 * in hand) and waits for them, so the store can be closed last.
 */
import type { Db } from '../db/create-db';
import { isDatabaseUnreachable, reasonOf } from '../db/database-unavailable';
import type { Logger } from '../log';
import type { JobDefinition, JobOutcome } from './job';
import { ensureJobRun, findJobRun, markJobFinished, markJobStarted } from './job-run.repository';
import type { LeaseValue } from './lease.repository';
import { leaseHolder, runWithLease } from './lease.service';
import { describeSchedule, dueSlot, latestSlot, msUntilNextSlot } from './schedule';

export type JobRunResult =
	| { status: 'ok' }
	| { status: 'failed'; error: string }
	/** Aborted (lease lost or shutting down) before it finished; the slot stays due. */
	| { status: 'stopped'; reason: string }
	/** Another node holds the job's lease. */
	| { status: 'busy'; lease: LeaseValue }
	/** Another node finished this slot while we waited for the lease. */
	| { status: 'done-elsewhere' };

export interface RunJobOptions {
	/** This node's name, also its lease holder id. */
	node: string;
	log: Logger;
	signal?: AbortSignal;
	/** Run without the lease and without recording the run: the job writes nothing. */
	dryRun?: boolean;
	leaseMs?: number;
	/** The schedule slot this run is for; none for a run on demand. */
	slot?: Date;
	now?: () => Date;
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * Runs `job` once under its lease and records the run in `job_runs` (with
 * `slot`, that slot as done). Used by the scheduler and by `dailypapers jobs run`.
 */
export async function runJob(
	db: Db,
	job: JobDefinition,
	options: RunJobOptions
): Promise<JobRunResult> {
	const { node, log, slot, dryRun = false } = options;
	const clock = options.now ?? (() => new Date());
	const fields = { job: job.name, node, slot: slot?.toISOString() };
	const attempt = async (signal: AbortSignal): Promise<JobRunResult> => {
		const now = clock();
		let outcome: JobOutcome | void;
		try {
			outcome = await job.run({ db, log, signal, dryRun, now, node });
		} catch (error) {
			if (signal.aborted) return { status: 'stopped', reason: messageOf(signal.reason) };
			log.error({ ...fields, err: error }, `job ${job.name} failed`);
			return { status: 'failed', error: messageOf(error) };
		}
		if (signal.aborted) return { status: 'stopped', reason: messageOf(signal.reason) };
		return outcome?.error ? { status: 'failed', error: outcome.error } : { status: 'ok' };
	};
	if (dryRun) return attempt(options.signal ?? new AbortController().signal);

	const leased = await runWithLease(
		db,
		job.name,
		async (signal) => {
			const run = await findJobRun(db, job.name);
			if (slot && run?.last_slot && Date.parse(run.last_slot) >= slot.getTime()) {
				return { status: 'done-elsewhere' } as const;
			}
			await markJobStarted(db, job.name, node, clock());
			log.info(fields, `job ${job.name} started on ${node}`);
			const result = await attempt(signal);
			if (result.status === 'stopped') {
				// A lost lease may belong to another node by now: leave the slot due for it.
				await markJobFinished(db, job.name, node, {
					status: 'stopped',
					error: result.reason,
					at: clock()
				}).catch(() => undefined);
			} else if (result.status === 'ok' || result.status === 'failed') {
				await markJobFinished(db, job.name, node, {
					status: result.status,
					error: result.status === 'failed' ? result.error : undefined,
					slot,
					at: clock()
				});
			}
			log.info({ ...fields, status: result.status }, `job ${job.name} ${result.status} on ${node}`);
			return result;
		},
		{ holder: node, leaseMs: options.leaseMs, signal: options.signal, log }
	);
	if (leased.status === 'busy') {
		log.debug({ ...fields, holder: leased.lease.holder }, `job ${job.name} is running elsewhere`);
		return leased;
	}
	return leased.value;
}

export interface SchedulerOptions {
	log: Logger;
	/** This node's name in leases, `job_runs` and logs (default host:pid:random). */
	node?: string;
	/** The longest sleep between two looks at the store (default 30 s). */
	pollMs?: number;
	leaseMs?: number;
	/** The clock (tests move it). */
	now?: () => Date;
}

export interface Scheduler {
	readonly node: string;
	/** Runs the job now, outside its schedule; resolves when it has finished. */
	runNow(name: string): Promise<JobRunResult>;
	/** Stops taking work, aborts running jobs and waits for them. */
	stop(): Promise<void>;
}

/**
 * Starts scheduling `jobs` (those with `off` set are only logged). A job never
 * seen before starts from its latest slot, so a fresh node does not run every
 * job at start-up; a node back from downtime runs each missed job once.
 */
export function startScheduler(
	db: Db,
	jobs: readonly JobDefinition[],
	options: SchedulerOptions
): Scheduler {
	const { log, pollMs = 30_000, leaseMs } = options;
	const node = options.node ?? leaseHolder();
	const clock = options.now ?? (() => new Date());
	const scheduled = jobs.filter((job) => !job.off);
	const stopping = new AbortController();
	const running = new Map<string, Promise<JobRunResult>>();
	let timer: NodeJS.Timeout | undefined;
	let ticking: Promise<void> = Promise.resolve();
	// While the database is away each poll fails: warn once, say when it is back.
	let databaseAway = false;
	const noteFailure = (error: unknown, message: string, fields: Record<string, unknown>) => {
		if (!isDatabaseUnreachable(error)) {
			log.warn({ ...fields, node, err: error }, message);
		} else if (!databaseAway) {
			databaseAway = true;
			log.warn(
				{ node, reason: reasonOf(error) },
				'the database is unavailable; jobs wait and the scheduler retries at its next poll'
			);
		}
	};
	const noteSuccess = () => {
		if (!databaseAway) return;
		databaseAway = false;
		log.info({ node }, 'the database answers again; the scheduler resumed');
	};

	for (const job of jobs) {
		if (job.off) log.info({ job: job.name, node }, `job ${job.name} is off: ${job.off}`);
	}

	const start = (job: JobDefinition, slot?: Date) => {
		const existing = running.get(job.name);
		if (existing) return existing;
		const run = runJob(db, job, { node, log, slot, leaseMs, signal: stopping.signal, now: clock })
			.catch((error: unknown): JobRunResult => {
				log.error({ job: job.name, node, err: error }, `job ${job.name} could not run`);
				return { status: 'failed', error: messageOf(error) };
			})
			.finally(() => running.delete(job.name));
		running.set(job.name, run);
		return run;
	};

	const tick = async () => {
		const now = clock();
		for (const job of scheduled) {
			if (stopping.signal.aborted) return;
			if (running.has(job.name)) continue;
			try {
				const run = await findJobRun(db, job.name);
				noteSuccess();
				const slot = dueSlot(job.schedule, now, run ? run.last_slot : null);
				if (slot) void start(job, slot);
			} catch (error) {
				noteFailure(error, 'could not read the job schedule', { job: job.name });
			}
		}
	};

	const sleepThenTick = () => {
		if (stopping.signal.aborted) return;
		const now = clock();
		const untilNext = Math.min(pollMs, ...scheduled.map((j) => msUntilNextSlot(j.schedule, now)));
		timer = setTimeout(() => {
			ticking = tick().finally(sleepThenTick);
		}, untilNext);
		// Pending work must not keep a process alive that is otherwise done.
		timer.unref();
	};

	if (scheduled.length > 0) {
		const now = clock();
		ticking = (async () => {
			for (const job of scheduled) {
				await ensureJobRun(db, job.name, latestSlot(job.schedule, now).toISOString());
			}
			await tick();
		})()
			.catch((error: unknown) => noteFailure(error, 'could not read the job schedules', {}))
			.finally(sleepThenTick);
		for (const job of scheduled) {
			log.info(
				{ job: job.name, node, schedule: describeSchedule(job.schedule) },
				`scheduled job ${job.name} (${describeSchedule(job.schedule)}) on ${node}`
			);
		}
	}

	return {
		node,
		runNow(name) {
			const job = jobs.find((j) => j.name === name);
			if (!job) return Promise.reject(new Error(`no job named "${name}"`));
			return start(job);
		},
		async stop() {
			stopping.abort(new Error('the server is shutting down'));
			clearTimeout(timer);
			await ticking;
			await Promise.all(running.values());
		}
	};
}
