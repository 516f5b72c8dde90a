/**
 * What `dailypapers jobs list` shows: each registered job with its schedule, its
 * last run as recorded in `job_runs`, and when it is next due.
 */
import type { Db } from '../db/create-db';
import type { JobDefinition } from './job';
import { listJobRuns, type JobRunRow } from './job-run.repository';
import { describeSchedule, dueSlot, nextSlot } from './schedule';

export interface JobStatus {
	name: string;
	description: string;
	schedule: string;
	/** `never`, or the last run's status, time and node (and error). */
	lastRun: string;
	/** `off: <why>`, `now (slot …)` or the ISO time of the next slot. */
	nextDue: string;
}

function describeLastRun(run: JobRunRow | undefined): string {
	if (!run || run.status === 'never') return 'never';
	const at = run.finished_at ?? run.started_at ?? '';
	return `${run.status} ${at} on ${run.node ?? '?'}${run.error ? ` (${run.error})` : ''}`;
}

function describeNextDue(job: JobDefinition, run: JobRunRow | undefined, now: Date): string {
	if (job.off) return `off: ${job.off}`;
	// Before any scheduler saw the job, its first slot is the next one.
	const due = run && dueSlot(job.schedule, now, run.last_slot);
	return due ? `now (slot ${due.toISOString()})` : nextSlot(job.schedule, now).toISOString();
}

/** The status of every job in `jobs`, in their order, as of `now`. */
export async function listJobStatuses(
	db: Db,
	jobs: readonly JobDefinition[],
	now: Date = new Date()
): Promise<JobStatus[]> {
	const runs = new Map((await listJobRuns(db)).map((run) => [run.name, run]));
	return jobs.map((job) => ({
		name: job.name,
		description: job.description,
		schedule: describeSchedule(job.schedule),
		lastRun: describeLastRun(runs.get(job.name)),
		nextDue: describeNextDue(job, runs.get(job.name), now)
	}));
}
