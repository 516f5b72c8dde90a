/** A progress bar on stderr for long imports (records/s and ETA), quiet when not a terminal. */
import cliProgress from 'cli-progress';
import type { ImportProblem, ImportProgress } from '../lib/server/ingest/import-report';

/** Progress callbacks that draw a bar and collect problems to print afterwards. */
export function progressBar(): ImportProgress & { problems: ImportProblem[] } {
	const problems: ImportProblem[] = [];
	const started = Date.now();
	let records = 0;
	const bar = new cliProgress.SingleBar(
		{
			format:
				' {bar} {percentage}% | {value}/{total} {unit} | {records} records, {rate}/s | ETA {eta_formatted}',
			stream: process.stderr,
			hideCursor: true,
			noTTYOutput: false,
			notTTYSchedule: 5000
		},
		cliProgress.Presets.shades_classic
	);
	const rate = () => Math.round(records / Math.max(0.001, (Date.now() - started) / 1000));
	return {
		problems,
		start(total, unit) {
			bar.start(total, 0, { unit, records: 0, rate: 0 });
		},
		advance(done, info) {
			records = info.records;
			bar.update(done, { records, rate: rate() });
		},
		problem(problem) {
			problems.push(problem);
		},
		stop() {
			bar.stop();
		}
	};
}
