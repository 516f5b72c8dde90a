/**
 * The `dailypapers` command: serve, migrate and import. Each command is a thin
 * shell over the same services the web app uses; exit codes mean something
 * (0 done, 1 failed or nothing imported, 2 wrong usage).
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../lib/server/config';
import { createDb, type Store } from '../lib/server/db/create-db';
import { migrateToLatest } from '../lib/server/db/migrate';
import { fetchArxivByIds } from '../lib/server/ingest/arxiv-api';
import { importArxivSnapshot } from '../lib/server/ingest/arxiv-snapshot.import';
import {
	OAI_METADATA_PREFIXES,
	oaiDay,
	type OaiMetadataPrefix
} from '../lib/server/ingest/arxiv-oai';
import { HarvestFailedError, HarvestStartError } from '../lib/server/ingest/arxiv-oai.harvest';
import { runArxivHarvestJob } from '../lib/server/jobs/arxiv-harvest.job';
import { importHfDaily } from '../lib/server/ingest/hf-daily.import';
import {
	formatProblem,
	type ImportProblem,
	type ImportSummary
} from '../lib/server/ingest/import-report';
import { seedIfEmpty } from '../lib/server/ingest/seed';
import { createLogger } from '../lib/server/log';
import { countRows } from '../lib/server/papers/paper.repository';
import { savePapers } from '../lib/server/papers/paper.service';
import { runBeirEval } from '../lib/server/search/eval/beir';
import {
	loadEmbeddingModel,
	openEmbeddingModel
} from '../lib/server/search/embeddings/load-embedding-model';
import {
	EmbeddingModelError,
	type EmbeddingProvider
} from '../lib/server/search/embeddings/provider';
import { SearchReplica } from '../lib/server/search/search-replica';
import { progressBar } from './progress';

const USAGE = `Usage: dailypapers <command> [options]

Commands:
  serve [--migrate] [--seed]      serve the site on PORT (default 3000); --migrate applies
                                  pending migrations first, --seed fills an empty database
  migrate                         apply pending database migrations
  import hf-daily <file|dir|url>...   import Hugging Face daily-papers JSON
  import arxiv-id <id...>         fetch papers from the arXiv API by id and import them
  import arxiv-snapshot <file[.gz]> [--restart]
                                  import arXiv's metadata snapshot (JSON lines); resumes
                                  where an interrupted run stopped unless --restart
  import arxiv-oai [--set <set>] [--from YYYY-MM-DD] [--until YYYY-MM-DD]
                  [--metadata-prefix arXivRaw|arXiv] [--dry-run]
                                  harvest arXiv over OAI-PMH (DP_ARXIV_OAI_URL), e.g. --set cs;
                                  without --from it continues from the set's last harvest;
                                  --dry-run fetches and parses but writes nothing
  index build                     rebuild the search replica (DP_INDEX_DIR) from the store
  index sync                      catch the replica up with the store's change feed
  index stats                     print the replica's size and position as JSON
  eval --beir <dir> [--run file] [--embedding-model <dir|owner/name>]
                                  search quality on a BEIR collection: nDCG@10, Recall@100,
                                  MRR@10 for lexical, semantic and hybrid; --run writes a
                                  TREC run file of the hybrid default; --embedding-model also
                                  measures that model (model2vec or ONNX) on the semantic side

Configuration comes from the environment: DP_DB_PATH (SQLite file, default ./data/dailypapers.db)
or DATABASE_URL=postgres://... ; DP_SEED, DP_ARXIV_API_URL, DP_LOG_LEVEL. See the README.`;

class UsageError extends Error {}

const MAX_PROBLEMS_SHOWN = 200;

function printProblems(problems: ImportProblem[]) {
	for (const problem of problems.slice(0, MAX_PROBLEMS_SHOWN)) {
		console.error(`skipped: ${formatProblem(problem)}`);
	}
	if (problems.length > MAX_PROBLEMS_SHOWN) {
		console.error(`... and ${problems.length - MAX_PROBLEMS_SHOWN} more problems`);
	}
}

function printSummary(summary: ImportSummary) {
	console.log(
		`imported ${summary.records - summary.skipped} of ${summary.records} records from ${summary.sources} source(s): ` +
			`${summary.inserted} new, ${summary.updated} updated, ${summary.unchanged} unchanged papers; ` +
			`${summary.picksAdded} new daily picks; ${summary.skipped} skipped; ${summary.problems.length} problem(s)`
	);
}

/** Non-zero only when there was input and none of it could be imported. */
function importExitCode(summary: ImportSummary): number {
	const imported = summary.records - summary.skipped;
	return imported === 0 && summary.problems.length > 0 ? 1 : 0;
}

async function withStore<T>(config: Config, work: (store: Store) => Promise<T>): Promise<T> {
	const store = createDb(config.database);
	try {
		return await work(store);
	} finally {
		await store.close();
	}
}

interface HarvestFlags {
	set?: string;
	from?: string;
	until?: string;
	'metadata-prefix'?: string;
	'dry-run': boolean;
}

/** Aborts on the first SIGINT or SIGTERM (a second one kills the process as usual). */
function interruption(): AbortSignal {
	const controller = new AbortController();
	const stop = () => controller.abort(new Error('interrupted'));
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	return controller.signal;
}

/** `import arxiv-oai`: the harvest job, run once (under the same lease as the server's). */
async function harvestCommand(config: Config, flags: HarvestFlags): Promise<number> {
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

async function importCommand(
	config: Config,
	args: string[],
	flags: { restart: boolean } & HarvestFlags
): Promise<number> {
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
		const fetched = await fetchArxivByIds(targets, { baseUrl: config.arxivApiUrl });
		const problems: ImportProblem[] = fetched.skipped.map((s) => ({
			source: config.arxivApiUrl,
			record: s.index,
			id: s.id,
			reason: s.reason
		}));
		const found = new Set(fetched.papers.map((p) => p.id));
		for (const id of targets) {
			const bare = id.replace(/v\d+$/, '');
			if (!found.has(bare))
				problems.push({
					source: config.arxivApiUrl,
					record: null,
					id,
					reason: 'arXiv returned no such paper'
				});
		}
		return withStore(config, async ({ db }) => {
			await migrateToLatest(db);
			const saved = await savePapers(db, fetched.papers);
			const summary: ImportSummary = {
				sources: 1,
				records: targets.length,
				...saved,
				skipped: targets.length - fetched.papers.length,
				problems
			};
			printProblems(problems);
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
}

async function indexCommand(config: Config, args: string[]): Promise<number> {
	const [action] = args;
	return withStore(config, async ({ db }) => {
		// The configured embedding model (if it loads) embeds the papers as the server would.
		const withModel = async <T>(work: (model: EmbeddingProvider | null) => Promise<T>) => {
			const log = createLogger(config.logLevel);
			const { provider } = await loadEmbeddingModel(config.embeddings, log);
			try {
				return await work(provider);
			} finally {
				await provider?.dispose?.();
			}
		};
		if (action === 'build') {
			const bar = progressBar();
			const total = (await countRows(db)).papers;
			bar.start?.(total, 'papers');
			const replica = await withModel((model) =>
				SearchReplica.build(
					db,
					config.indexDir,
					(done) => bar.advance?.(done, { records: done }),
					model
				)
			);
			bar.stop?.();
			await replica.save();
			console.log(JSON.stringify(await replica.stats(db)));
			return 0;
		}
		if (action === 'sync') {
			const { replica, changed } = await withModel(async (model) => {
				const opened = await SearchReplica.open(db, config.indexDir, undefined, model);
				return { replica: opened, changed: await opened.sync(db) };
			});
			if (changed > 0) await replica.save();
			console.log(`indexed ${changed} changed paper(s); the replica is at seq ${replica.seq}`);
			return 0;
		}
		if (action === 'stats') {
			const replica = await SearchReplica.load(config.indexDir);
			if (!replica) {
				console.error(`no search replica in ${config.indexDir} (run "dailypapers index build")`);
				return 1;
			}
			console.log(JSON.stringify(await replica.stats(db), null, 2));
			return 0;
		}
		throw new UsageError(`unknown index action "${action ?? ''}" (use build, sync or stats)`);
	});
}

async function serveCommand(
	config: Config,
	flags: { migrate: boolean; seed: boolean }
): Promise<number> {
	const log = createLogger(config.logLevel);
	await withStore(config, async ({ db }) => {
		if (flags.migrate) {
			const applied = await migrateToLatest(db);
			if (applied.length) log.info({ applied }, 'applied migrations');
		}
		if (flags.seed) await seedIfEmpty(db, config, log);
	});
	const here = path.dirname(fileURLToPath(import.meta.url));
	const server = path.resolve(here, '../build/index.js');
	process.env.PORT = String(config.port);
	process.env.HOST = config.host;
	log.info({ port: config.port }, `serving on http://localhost:${config.port}`);
	await import(pathToFileURL(server).href);
	return 0;
}

/** Runs the command line; returns the exit code (serve keeps running). */
export async function main(argv: string[]): Promise<number> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			migrate: { type: 'boolean', default: false },
			seed: { type: 'boolean', default: false },
			restart: { type: 'boolean', default: false },
			set: { type: 'string' },
			from: { type: 'string' },
			until: { type: 'string' },
			'metadata-prefix': { type: 'string' },
			'dry-run': { type: 'boolean', default: false },
			beir: { type: 'string' },
			run: { type: 'string' },
			'embedding-model': { type: 'string' },
			help: { type: 'boolean', short: 'h', default: false }
		}
	});
	const [command, ...rest] = positionals;
	if (values.help || !command) {
		console.log(USAGE);
		return command || values.help ? 0 : 2;
	}
	if (command === 'eval') {
		if (!values.beir)
			throw new UsageError('eval needs --beir <dir> (corpus.jsonl, queries.jsonl, qrels/test.tsv)');
		const spec = values['embedding-model'];
		const model = spec
			? await openEmbeddingModel(spec, loadConfig().embeddings, createLogger('info'))
			: undefined;
		try {
			await runBeirEval(values.beir, { runFile: values.run, embeddings: model?.provider });
		} finally {
			await model?.provider.dispose?.();
		}
		return 0;
	}
	const config = loadConfig();
	switch (command) {
		case 'serve':
			return serveCommand(config, { migrate: values.migrate, seed: values.seed });
		case 'migrate':
			return withStore(config, async ({ db }) => {
				const applied = await migrateToLatest(db);
				console.log(
					applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date'
				);
				return 0;
			});
		case 'import':
			return importCommand(config, rest, values);
		case 'index':
			return indexCommand(config, rest);
		default:
			throw new UsageError(`unknown command "${command}"`);
	}
}

main(process.argv.slice(2)).then(
	(code) => {
		if (code !== 0) process.exitCode = code;
	},
	(error: unknown) => {
		if (
			error instanceof UsageError ||
			(error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
		) {
			console.error(`dailypapers: ${(error as Error).message}\n\n${USAGE}`);
			process.exitCode = 2;
		} else if (error instanceof ConfigError) {
			console.error(error.message);
			process.exitCode = 2;
		} else if (error instanceof EmbeddingModelError) {
			console.error(`dailypapers: ${error.message}`);
			process.exitCode = 1;
		} else {
			console.error(`dailypapers: ${error instanceof Error ? error.message : String(error)}`);
			if (error instanceof Error && error.cause) console.error('  cause:', error.cause);
			process.exitCode = 1;
		}
	}
);
