/** What the `dailypapers` commands share: usage errors, the store, import reports, Ctrl-C. */
import type { Config } from '../lib/server/config';
import { createDb, type Store } from '../lib/server/db/create-db';
import {
	formatProblem,
	type ImportProblem,
	type ImportSummary
} from '../lib/server/ingest/import-report';

/** Wrong usage: the message and the usage text are printed, the exit code is 2. */
export class UsageError extends Error {}

/** The options every command may receive (parsed once in main.ts). */
export interface CliFlags {
	migrate: boolean;
	seed: boolean;
	restart: boolean;
	set?: string;
	from?: string;
	until?: string;
	'metadata-prefix'?: string;
	'dry-run': boolean;
	beir?: string;
	run?: string;
	'embedding-model'?: string;
	/** `user create --admin`. */
	admin: boolean;
}

export interface CommandInput {
	/** The positionals after the command's name (`import hf-daily a.json` → `['hf-daily', 'a.json']`). */
	args: string[];
	flags: CliFlags;
	/** Reads the configuration (once); a ConfigError exits 2. */
	config(): Config;
}

/** A command: returns its exit code (0 done, 1 failed), or throws a UsageError (2). */
export type Command = (input: CommandInput) => Promise<number>;

const MAX_PROBLEMS_SHOWN = 200;

/** Prints the first problems of an import to stderr, and how many more there were. */
export function printProblems(problems: ImportProblem[]) {
	for (const problem of problems.slice(0, MAX_PROBLEMS_SHOWN)) {
		console.error(`skipped: ${formatProblem(problem)}`);
	}
	if (problems.length > MAX_PROBLEMS_SHOWN) {
		console.error(`... and ${problems.length - MAX_PROBLEMS_SHOWN} more problems`);
	}
}

/** Prints the one-line summary of an import. */
export function printSummary(summary: ImportSummary) {
	console.log(
		`imported ${summary.records - summary.skipped} of ${summary.records} records from ${summary.sources} source(s): ` +
			`${summary.inserted} new, ${summary.updated} updated, ${summary.unchanged} unchanged papers; ` +
			`${summary.picksAdded} new daily picks; ${summary.skipped} skipped; ${summary.problems.length} problem(s)`
	);
}

/** Non-zero only when there was input and none of it could be imported. */
export function importExitCode(summary: ImportSummary): number {
	const imported = summary.records - summary.skipped;
	return imported === 0 && summary.problems.length > 0 ? 1 : 0;
}

/** Opens the configured store for `work` and closes it after, also on failure. */
export async function withStore<T>(config: Config, work: (store: Store) => Promise<T>): Promise<T> {
	const store = createDb(config.database);
	try {
		return await work(store);
	} finally {
		await store.close();
	}
}

/** Aborts on the first SIGINT or SIGTERM (a second one kills the process as usual). */
export function interruption(): AbortSignal {
	const controller = new AbortController();
	const stop = () => controller.abort(new Error('interrupted'));
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	return controller.signal;
}
