/**
 * The trending job: every 10 minutes, scores the papers of the last month and
 * stores the day, week and month rankings that /trending and
 * `/api/daily_papers?sort=trending` read (trending/trending.service.ts).
 * Run once by `dailypapers jobs run trending`.
 */
import { refreshTrending } from '../trending/trending.service';
import type { JobDefinition } from './job';
import { everyMinutes } from './schedule';

/** The scheduled refresh of the trending windows. */
export function trendingJob(): JobDefinition {
	return {
		name: 'trending',
		schedule: everyMinutes(10),
		description: 'rank the last month of papers by trending score (day, week, month)',
		async run({ db, log, now, dryRun }) {
			const counts = await refreshTrending(db, { now, dryRun });
			log.info({ ...counts, dryRun }, 'trending windows computed');
		}
	};
}
