/**
 * The `job_runs` table: per job, the last schedule slot it finished and how its
 * last run went. The slot is only ever moved forward, by the lease holder.
 */
import type { Selectable } from 'kysely';
import type { Db } from '../db/create-db';
import type { JobRunsTable } from '../db/schema';

export type JobRunRow = Selectable<JobRunsTable>;

/**
 * Gives the job `lastSlot` as its starting point unless it has one: a job only
 * run from the CLI so far has a row but no slot, and must not run at start-up either.
 */
export async function ensureJobRun(db: Db, name: string, lastSlot: string): Promise<void> {
	await db
		.insertInto('job_runs')
		.values({ name, last_slot: lastSlot, status: 'never' })
		.onConflict((oc) =>
			oc.column('name').doUpdateSet({ last_slot: lastSlot }).where('job_runs.last_slot', 'is', null)
		)
		.execute();
}

/** The job's row, or undefined before the job was first scheduled or run. */
export async function findJobRun(db: Db, name: string): Promise<JobRunRow | undefined> {
	return db.selectFrom('job_runs').selectAll().where('name', '=', name).executeTakeFirst();
}

/** Every job's row. */
export async function listJobRuns(db: Db): Promise<JobRunRow[]> {
	return db.selectFrom('job_runs').selectAll().orderBy('name').execute();
}

/** Records that `node` started the job at `at`. */
export async function markJobStarted(db: Db, name: string, node: string, at: Date): Promise<void> {
	const started = { node, status: 'running', started_at: at.toISOString() };
	await db
		.insertInto('job_runs')
		.values({ name, last_slot: null, ...started })
		.onConflict((oc) =>
			oc.column('name').doUpdateSet({ ...started, finished_at: null, error: null })
		)
		.execute();
}

/**
 * Records how `node`'s run ended; `slot` (when given) becomes the last slot run.
 * Nothing is written when another node has started the job since (it took the lease over).
 */
export async function markJobFinished(
	db: Db,
	name: string,
	node: string,
	end: { status: 'ok' | 'failed' | 'stopped'; error?: string; slot?: Date; at: Date }
): Promise<void> {
	await db
		.updateTable('job_runs')
		.set({
			status: end.status,
			error: end.error ?? null,
			finished_at: end.at.toISOString(),
			...(end.slot ? { last_slot: end.slot.toISOString() } : {})
		})
		.where('name', '=', name)
		.where('node', '=', node)
		.execute();
}
