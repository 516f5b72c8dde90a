/**
 * `dailypapers jobs list` and `dailypapers jobs run <name> [--dry-run]`: the
 * background jobs of jobs/registry.ts, shown with their schedules and last runs,
 * or run once now — under the same lease as the servers' schedulers, so a CLI
 * run and a scheduled one never overlap.
 */
import { migrateToLatest } from '../../lib/server/db/migrate';
import { listJobStatuses } from '../../lib/server/jobs/job-status.service';
import { leaseHolder } from '../../lib/server/jobs/lease.service';
import { createJobs } from '../../lib/server/jobs/registry';
import { runJob } from '../../lib/server/jobs/scheduler';
import { createLogger } from '../../lib/server/log';
import { interruption, UsageError, withStore, type Command } from '../shared';

/** Pads columns to their widest cell. */
function table(rows: string[][]): string {
	const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
	return rows
		.map((row) =>
			row
				.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column])))
				.join('  ')
		)
		.join('\n');
}

export const jobsCommand: Command = ({ args, flags, config: readConfig }) => {
	const config = readConfig();
	const jobs = createJobs(config);
	const [action, name, ...extra] = args;
	const names = jobs.map((j) => j.name).join(', ');
	if (action === 'list') {
		if (name !== undefined) throw new UsageError('jobs list takes no arguments');
		return withStore(config, async ({ db }) => {
			await migrateToLatest(db);
			const statuses = await listJobStatuses(db, jobs);
			const rows = statuses.map((s) => [s.name, s.schedule, s.lastRun, s.nextDue]);
			console.log(table([['NAME', 'SCHEDULE', 'LAST RUN', 'NEXT DUE'], ...rows]));
			for (const status of statuses) console.log(`\n${status.name}: ${status.description}`);
			return 0;
		});
	}
	if (action === 'run') {
		if (name === undefined) throw new UsageError(`jobs run needs a job's name (${names})`);
		if (extra.length > 0) throw new UsageError('jobs run takes one job name');
		const job = jobs.find((j) => j.name === name);
		if (!job) throw new UsageError(`unknown job "${name}" (use ${names})`);
		return withStore(config, async ({ db }) => {
			await migrateToLatest(db);
			if (job.off) console.log(`note: ${job.name} is not scheduled (${job.off})`);
			const dryRun = flags['dry-run'];
			const result = await runJob(db, job, {
				node: leaseHolder(),
				log: createLogger(config.logLevel),
				dryRun,
				// Ctrl-C stops the job after the unit in hand and releases the lease.
				signal: interruption()
			});
			const prefix = dryRun ? 'dry run, nothing written: ' : '';
			switch (result.status) {
				case 'ok':
				case 'done-elsewhere':
					console.log(`${prefix}job ${job.name} done`);
					return 0;
				case 'failed':
					console.error(`dailypapers: job ${job.name} failed: ${result.error}`);
					return 1;
				case 'stopped':
					console.error(`dailypapers: job ${job.name} stopped: ${result.reason}`);
					return 1;
				case 'busy':
					console.error(
						`dailypapers: another process runs ${job.name} (${result.lease.holder}, lease until ` +
							`${result.lease.until}); try again later`
					);
					return 1;
			}
		});
	}
	throw new UsageError(`unknown jobs action "${action ?? ''}" (use list or run)`);
};
