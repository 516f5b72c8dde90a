/**
 * What a background job is: a name, a schedule, a description and a `run`.
 * Each job lives in its own `*.job.ts` file and is listed in registry.ts; the
 * scheduler runs it on its schedule and `dailypapers jobs run <name>` once.
 */
import type { Db } from '../db/create-db';
import type { Logger } from '../log';
import type { Schedule } from './schedule';

export interface JobContext {
	db: Db;
	/** Carries the job's and the node's names. */
	log: Logger;
	/** Aborted when the lease is lost or the process stops: finish the unit in hand and return. */
	signal: AbortSignal;
	/** Do the reading and computing, write nothing (`jobs run <name> --dry-run`). */
	dryRun: boolean;
	/** When the run started. */
	now: Date;
	/** Which node runs it (the lease holder). */
	node: string;
}

/** What a run reports; `error` records the run as failed (the job has logged the details). */
export interface JobOutcome {
	error?: string;
}

export interface JobDefinition {
	/** Also the lease's name and the CLI's: `dailypapers jobs run <name>`. */
	name: string;
	schedule: Schedule;
	/** One line for `jobs list`. */
	description: string;
	/** Why the job is not scheduled (e.g. a setting is empty); it still runs from the CLI. */
	off?: string;
	run(context: JobContext): Promise<JobOutcome | void>;
}
