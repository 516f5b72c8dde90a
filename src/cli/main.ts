/**
 * The `dailypapers` command: serve, migrate, import, index, eval, jobs and user. Each
 * command is a thin shell (commands/*.ts) over the same services the web app
 * uses; exit codes mean something (0 done, 1 failed or nothing imported, 2 wrong
 * usage or configuration — also when arXiv rejects a harvest's set or dates).
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../lib/server/config';
import { EmbeddingModelError } from '../lib/server/search/embeddings/provider';
import { evalCommand } from './commands/eval';
import { importCommand } from './commands/import';
import { indexCommand } from './commands/search-index';
import { jobsCommand } from './commands/jobs';
import { migrateCommand } from './commands/migrate';
import { serveCommand } from './commands/serve';
import { userCommand } from './commands/user';
import { UsageError, type Command } from './shared';

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
  jobs list                       the background jobs: schedule, last run, next due
  jobs run <name> [--dry-run]     run a background job once now (e.g. arxiv-harvest), under
                                  the lease the servers' schedulers use
  user create [--admin] <email>   add a member (--admin: as admin, or make an existing one admin)
  user role <username> <member|moderator|admin>
                                  change a member's role
  user ban <username>             ban a member: their sessions end and they cannot sign in
  user unban <username>           lift a ban

Configuration comes from the environment: DP_DB_PATH (SQLite file, default ./data/dailypapers.db)
or DATABASE_URL=postgres://... ; DP_SEED, DP_ARXIV_API_URL, DP_LOG_LEVEL. See the README.`;

/** Every command by its name: one file each under commands/ (`index` is search-index.ts). */
const COMMANDS: Record<string, Command> = {
	serve: serveCommand,
	migrate: migrateCommand,
	import: importCommand,
	index: indexCommand,
	eval: evalCommand,
	jobs: jobsCommand,
	user: userCommand
};

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
			admin: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false }
		}
	});
	const [name, ...args] = positionals;
	if (values.help || !name) {
		console.log(USAGE);
		return name || values.help ? 0 : 2;
	}
	let config: Config | undefined;
	const readConfig = () => (config ??= loadConfig());
	const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
	if (!command) {
		// As before the split: a broken configuration is reported before an unknown command.
		readConfig();
		throw new UsageError(`unknown command "${name}"`);
	}
	return command({ args, flags: values, config: readConfig });
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
