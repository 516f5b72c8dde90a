/**
 * `dailypapers import hf-daily|arxiv-id|arxiv-snapshot|arxiv-oai`: one source
 * each, run once; the report lists what was skipped and why.
 */
import type { Config } from '../../lib/server/config';
import { migrateToLatest } from '../../lib/server/db/migrate';
import { importArxivIds } from '../../lib/server/ingest/arxiv-id.import';
import { importArxivSnapshot } from '../../lib/server/ingest/arxiv-snapshot.import';
import {
	OAI_METADATA_PREFIXES,
	oaiDay,
	type OaiMetadataPrefix
} from '../../lib/server/ingest/arxiv-oai';
import {
	HarvestConfigurationError,
	HarvestFailedError,
	HarvestStartError
} from '../../lib/server/ingest/arxiv-oai.harvest';
import { importHfDaily } from '../../lib/server/ingest/hf-daily.import';
import { runArxivHarvestJob } from '../../lib/server/jobs/arxiv-harvest.job';
import { progressBar } from '../progress';
import {
	importExitCode,
	interruption,
	printProblems,
	printSummary,
	UsageError,
	withStore,
	type CliFlags,
	type Command
} from '../shared';

/** `import arxiv-oai`: the harvest job, run once (under the same lease as the server's). */
async function harvestCommand(config: Config, flags: CliFlags): Promise<number> {
	const day = (name: 'from' | 'until') => {
		const text = flags[name];
		if (text === undefined) return undefined;
		const parsed = oaiDay(text);
		if (!parsed || parsed !== text) throw new UsageError(`--${name} must be a date YYYY-MM-DD`);
		return parsed;
	};
	const prefix = flags['metadata-prefix'] ?? 'arXivRaw';
	if (!(OAI_METADATA_PREFIXES as readonly string[]).includes(prefix)) {
		throw new UsageError(`--metadata-prefix must be arXivRaw or arXiv, not "${prefix}"`);
	}
	const options = {
		sets: [flags.set],
		from: day('from'),
		until: day('until'),
		metadataPrefix: prefix as OaiMetadataPrefix,
		dryRun: flags['dry-run'],
		baseUrl: config.harvest.oaiUrl,
		minDelayMs: config.harvest.delayMs,
		progress: progressBar(),
		// Ctrl-C stops after the page in hand, so the lease is released and the checkpoint kept.
		signal: interruption()
	};
	return withStore(config, async ({ db }) => {
		await migrateToLatest(db);
		let result;
		try {
			result = await runArxivHarvestJob(db, options);
		} catch (error) {
			if (error instanceof HarvestStartError) throw new UsageError(error.message);
			if (error instanceof HarvestConfigurationError) {
				// Exit 2 like other configuration errors; the usage text would not help here.
				options.progress.stop?.();
				console.error(`dailypapers: ${error.message}`);
				return 2;
			}
			if (!(error instanceof HarvestFailedError)) throw error;
			options.progress.stop?.();
			printProblems(error.summary.problems);
			printSummary(error.summary);
			console.error(`dailypapers: ${error.message}`);
			return 1;
		}
		if (result.status === 'busy') {
			console.error(
				`dailypapers: another process is harvesting (${result.lease.holder}, lease until ` +
					`${result.lease.until}); try again later`
			);
			return 1;
		}
		const summary = result.summaries[0];
		printProblems(summary.problems);
		if (summary.resumedFromToken) console.log('resumed an unfinished harvest from its token');
		if (summary.restartedAfterBadToken) {
			console.log(
				`arXiv no longer knew the resumption token: harvested again from ${summary.from}`
			);
		}
		if (summary.noRecordsMatch !== null && summary.records === 0) {
			console.log(
				`nothing new since ${summary.from}: arXiv has no records in that range ` +
					`(noRecordsMatch: ${summary.noRecordsMatch})`
			);
		}
		printSummary(summary);
		const next = summary.complete
			? `next harvest starts from ${summary.lastDatestamp ?? summary.from}`
			: 'interrupted: run the same command again to resume from the stored resumption token';
		console.log(
			`${summary.dryRun ? 'dry run, nothing written: ' : ''}${summary.pages} page(s) from ` +
				`${summary.from}${summary.until ? ` to ${summary.until}` : ''}; ` +
				`${summary.deleted} deleted record(s); ${next}`
		);
		return summary.complete ? importExitCode(summary) : 1;
	});
}

export const importCommand: Command = ({ args, flags, config: readConfig }) => {
	const config = readConfig();
	const [source, ...targets] = args;
	if (source === 'hf-daily') {
		if (targets.length === 0)
			throw new UsageError('import hf-daily needs at least one file, folder or URL');
		return withStore(config, async ({ db }) => {
			await migrateToLatest(db);
			const progress = progressBar();
			const summary = await importHfDaily(db, targets, { progress });
			printProblems(summary.problems);
			printSummary(summary);
			return importExitCode(summary);
		});
	}
	if (source === 'arxiv-id') {
		if (targets.length === 0) throw new UsageError('import arxiv-id needs at least one arXiv id');
		return withStore(config, async ({ db }) => {
			await migrateToLatest(db);
			const summary = await importArxivIds(db, targets, { baseUrl: config.arxivApiUrl });
			printProblems(summary.problems);
			printSummary(summary);
			return importExitCode(summary);
		});
	}
	if (source === 'arxiv-snapshot') {
		if (targets.length !== 1) {
			throw new UsageError('import arxiv-snapshot needs exactly one file (.jsonl or .jsonl.gz)');
		}
		return withStore(config, async ({ db }) => {
			await migrateToLatest(db);
			const summary = await importArxivSnapshot(db, targets[0], {
				progress: progressBar(),
				restart: flags.restart,
				parseWorker: new URL('./arxiv-snapshot.worker.js', import.meta.url)
			});
			printProblems(summary.problems);
			if (summary.resumedAfterLine > 0) {
				console.log(
					`resumed after line ${summary.resumedAfterLine} (an earlier run stopped there)`
				);
			}
			printSummary(summary);
			return importExitCode(summary);
		});
	}
	if (source === 'arxiv-oai') {
		if (targets.length > 0) throw new UsageError('import arxiv-oai takes options only (--set cs)');
		return harvestCommand(config, flags);
	}
	throw new UsageError(
		`unknown import source "${source ?? ''}" (use hf-daily, arxiv-id, arxiv-snapshot or arxiv-oai)`
	);
};
