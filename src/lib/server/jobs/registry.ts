/**
 * Every background job, built from the configuration. Adding a job is a
 * `<name>.job.ts` file exporting a JobDefinition (see job.ts) and its line
 * below; the scheduler, `dailypapers jobs list` and `jobs run` pick it up.
 */
import type { Config } from '../config';
import { arxivHarvestJob } from './arxiv-harvest.job';
import type { JobDefinition } from './job';
import { trendingJob } from './trending.job';

/** The jobs of this site, in the order `jobs list` shows them. */
export function createJobs(config: Readonly<Config>): JobDefinition[] {
	return [arxivHarvestJob(config.harvest), trendingJob()];
}
