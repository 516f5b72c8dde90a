/**
 * Harvests an arXiv set over OAI-PMH into the store: `ListRecords` from a date,
 * then page after page by resumption token, each page saved in one transaction
 * together with the checkpoint that says where the harvest stands. Runs once
 * from the CLI (`dailypapers import arxiv-oai`) or daily from the scheduler
 * (jobs/arxiv-harvest.job.ts on jobs/scheduler.ts).
 *
 * The checkpoint (`arxiv-oai:<prefix>:<set>` in import_checkpoints) holds
 * `{from, until?, lastDatestamp?, resumptionToken?}`. While a harvest is under
 * way it carries the token of the next page, so a run that stopped (crash,
 * network, arXiv down) resumes there; if arXiv no longer knows that token, the
 * harvest starts over from its `from` date (saves are idempotent). A finished
 * harvest drops the token and keeps `lastDatestamp`, the latest record
 * datestamp seen, which is where the next incremental harvest starts (OAI-PMH
 * `from` is inclusive: that day is fetched again, harmlessly).
 *
 * arXiv's OAI errors: `noRecordsMatch` ends the run as "nothing new";
 * `badResumptionToken` (a token expired, stored or in hand) restarts the list once
 * from the checkpoint's `from` day — not from the latest datestamp seen, because a
 * list is not ordered by datestamp (arXiv's real pages interleave 2014-11-18 and
 * 2014-12-22), so pages not yet read may hold older ones; `badArgument` and the
 * other answers that mean the request itself is wrong stop it as a configuration
 * error (HarvestConfigurationError), which retrying cannot fix.
 */
import type { Db } from '../db/create-db';
import { AuthorIdCache } from '../papers/paper.repository';
import { savePapers } from '../papers/paper.service';
import { RetryableBodyError, requestArxiv, type ArxivHttpOptions } from './arxiv-http';
import {
	OaiMalformedResponseError,
	OaiPmhError,
	oaiDay,
	parseOaiResponse,
	type OaiMetadataPrefix,
	type OaiPage
} from './arxiv-oai';
import { findCheckpoint } from './import-checkpoint.repository';
import {
	emptySummary,
	type ImportProblem,
	type ImportProgress,
	type ImportSummary
} from './import-report';

export const DEFAULT_OAI_URL = 'https://export.arxiv.org/oai2';
const USER_AGENT = 'dailypapers (self-hosted; arXiv OAI-PMH harvester)';
const KEEP_PROBLEMS = 1000;

/** What to harvest and how politely. */
export interface OaiHarvestOptions extends ArxivHttpOptions {
	/** The OAI-PMH endpoint. Default https://export.arxiv.org/oai2. */
	baseUrl?: string;
	/** An OAI set (`cs`, `math`, `physics:hep-th`); undefined harvests all of arXiv. */
	set?: string;
	/** Default `arXivRaw` (versions and dates); `arXiv` records carry no version. */
	metadataPrefix?: OaiMetadataPrefix;
	/** `YYYY-MM-DD`, inclusive. Without it the harvest continues from the stored checkpoint. */
	from?: string;
	/** `YYYY-MM-DD`, inclusive. */
	until?: string;
	/** Where to start when neither `from` nor a stored harvest says (the scheduler: yesterday). */
	defaultFrom?: string;
	/** Fetch and parse every page, write nothing. */
	dryRun?: boolean;
	progress?: ImportProgress;
	/** Told about retries and restarts. */
	log?: {
		info(object: object, message: string): void;
		warn(object: object, message: string): void;
	};
}

/** The stored state of one set's harvest. */
export interface HarvestCheckpoint {
	from: string;
	until?: string;
	/** The latest header datestamp among fully saved pages. */
	lastDatestamp?: string;
	/** The next page of an unfinished harvest. */
	resumptionToken?: string;
}

export interface HarvestSummary extends ImportSummary {
	set: string | null;
	metadataPrefix: OaiMetadataPrefix;
	from: string;
	until: string | null;
	/** Responses read (each saved in its own transaction). */
	pages: number;
	/** Records arXiv reports as deleted (not papers; nothing is removed from the store). */
	deleted: number;
	/** Where the next incremental harvest will start. */
	lastDatestamp: string | null;
	/** arXiv's count for the whole list, when it said. */
	completeListSize: number | null;
	/** This run continued an unfinished harvest from its stored resumption token. */
	resumedFromToken: boolean;
	/** The list was read to its end (false when stopped by the signal). */
	complete: boolean;
	/**
	 * arXiv answered `noRecordsMatch`: nothing new in the range. Its words, since arXiv
	 * gives the same answer for a set that does not exist; null otherwise.
	 */
	noRecordsMatch: string | null;
	/** arXiv rejected a resumption token during this run and the list was read again from `from`. */
	restartedAfterBadToken: boolean;
	dryRun: boolean;
	problemsNotKept: number;
}

/** Neither `from` nor a stored harvest says where to start, or the dates are wrong. */
export class HarvestStartError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'HarvestStartError';
	}
}

/** A harvest stopped on an error; what was saved before it stays, and the message says how to go on. */
export class HarvestFailedError extends Error {
	constructor(
		message: string,
		readonly summary: HarvestSummary,
		options?: { cause?: unknown }
	) {
		super(message, options);
		this.name = 'HarvestFailedError';
	}
}

/**
 * arXiv said the request itself is wrong (an unknown set, a bad date, a format it does
 * not offer): the configuration must change, a re-run would fail the same way. The CLI
 * exits 2 on it, as for other usage and configuration errors.
 */
export class HarvestConfigurationError extends HarvestFailedError {
	constructor(
		message: string,
		summary: HarvestSummary,
		readonly oaiCode: string,
		options?: { cause?: unknown }
	) {
		super(message, summary, options);
		this.name = 'HarvestConfigurationError';
	}
}

/** OAI-PMH error codes that mean our request is wrong, not that arXiv is having trouble. */
const CONFIGURATION_ERROR_CODES = new Set([
	'badArgument',
	'cannotDisseminateFormat',
	'noSetHierarchy'
]);

/** How often one run reads the list again after arXiv rejected a resumption token. */
const MAX_TOKEN_RESTARTS = 1;

/** The checkpoint name of one set and format. */
export function harvestCheckpointName(metadataPrefix: OaiMetadataPrefix, set?: string): string {
	return `arxiv-oai:${metadataPrefix}:${set ?? '*'}`;
}

/** A stored checkpoint, or undefined when absent or unreadable (then the harvest needs a date). */
export function parseHarvestCheckpoint(value: string | undefined): HarvestCheckpoint | undefined {
	if (value === undefined) return undefined;
	try {
		const parsed = JSON.parse(value) as Partial<Record<keyof HarvestCheckpoint, unknown>>;
		const day = (v: unknown) => (typeof v === 'string' ? (oaiDay(v) ?? undefined) : undefined);
		const from = day(parsed.from);
		if (!from) return undefined;
		return {
			from,
			until: day(parsed.until),
			lastDatestamp: day(parsed.lastDatestamp),
			resumptionToken:
				typeof parsed.resumptionToken === 'string' && parsed.resumptionToken
					? parsed.resumptionToken
					: undefined
		};
	} catch {
		return undefined;
	}
}

function maxDay(a: string | undefined, b: string | null): string | undefined {
	if (b === null) return a;
	return a === undefined || b > a ? b : a;
}

/** Where this run starts: a stored token, or a date. */
function planStart(
	options: OaiHarvestOptions,
	stored: HarvestCheckpoint | undefined,
	what: string
): { from: string; until?: string; token?: string } {
	let plan: { from: string; until?: string; token?: string };
	if (options.from) {
		const until = options.until;
		// The same harvest asked again after it stopped: go on where it stopped.
		const same = stored?.resumptionToken && stored.from === options.from && stored.until === until;
		plan = { from: options.from, until, token: same ? stored.resumptionToken : undefined };
	} else if (stored?.resumptionToken && (!options.until || options.until === stored.until)) {
		plan = { from: stored.from, until: stored.until, token: stored.resumptionToken };
	} else if (stored) {
		plan = { from: stored.lastDatestamp ?? stored.from, until: options.until };
	} else if (options.defaultFrom) {
		plan = { from: options.defaultFrom, until: options.until };
	} else {
		throw new HarvestStartError(
			`no earlier harvest of ${what} in this store to continue from: give --from YYYY-MM-DD`
		);
	}
	if (plan.until && plan.until < plan.from) {
		throw new HarvestStartError(`--until ${plan.until} is before --from ${plan.from}`);
	}
	return plan;
}

function listUrl(base: string, params: Record<string, string | undefined>): string {
	const url = new URL(base);
	url.search = '';
	for (const [name, value] of Object.entries(params)) {
		if (value !== undefined) url.searchParams.set(name, value);
	}
	return url.href;
}

/** One request: the page, or the OAI-PMH error arXiv answered with. */
function requestPage(url: string, options: OaiHarvestOptions): Promise<OaiPage | OaiPmhError> {
	return requestArxiv<OaiPage | OaiPmhError>(
		url,
		{ ...options, userAgent: options.userAgent ?? USER_AGENT },
		{
			service: 'arXiv OAI-PMH',
			accept: 'text/xml',
			parse(body) {
				try {
					return parseOaiResponse(body);
				} catch (error) {
					if (error instanceof OaiPmhError) return error;
					// A cut-off or garbled body is a transfer fault: fetching it again may work.
					if (error instanceof OaiMalformedResponseError) {
						throw new RetryableBodyError(error.message, { cause: error });
					}
					throw error;
				}
			},
			errorMessage(body) {
				try {
					parseOaiResponse(body);
				} catch (error) {
					if (error instanceof OaiPmhError) return error.message;
				}
				return null;
			}
		}
	);
}

/**
 * Harvests one set from a date (or from where the last harvest of it stopped)
 * into the store. Returns the summary; throws HarvestStartError when it cannot
 * tell where to start and HarvestFailedError when a request or a save fails for
 * good (everything saved before stays, with its checkpoint). When
 * `options.signal` aborts, it stops after the page in hand and returns a summary
 * with `complete: false`.
 */
export async function harvestArxivOai(
	db: Db,
	options: OaiHarvestOptions = {}
): Promise<HarvestSummary> {
	const metadataPrefix = options.metadataPrefix ?? 'arXivRaw';
	const baseUrl = options.baseUrl ?? DEFAULT_OAI_URL;
	const name = harvestCheckpointName(metadataPrefix, options.set);
	const what = `set ${options.set ?? '(all)'} (${metadataPrefix})`;
	const stored = parseHarvestCheckpoint(await findCheckpoint(db, name));
	const start = planStart(options, stored, what);
	const progress = options.progress ?? {};
	const summary: HarvestSummary = {
		...emptySummary(),
		sources: 1,
		set: options.set ?? null,
		metadataPrefix,
		from: start.from,
		until: start.until ?? null,
		pages: 0,
		deleted: 0,
		lastDatestamp: stored?.lastDatestamp ?? null,
		completeListSize: null,
		resumedFromToken: start.token !== undefined,
		complete: false,
		noRecordsMatch: null,
		restartedAfterBadToken: false,
		dryRun: options.dryRun ?? false,
		problemsNotKept: 0
	};
	const firstUrl = listUrl(baseUrl, {
		verb: 'ListRecords',
		metadataPrefix,
		set: options.set,
		from: start.from,
		until: start.until
	});
	const tokenUrl = (token: string) =>
		listUrl(baseUrl, { verb: 'ListRecords', resumptionToken: token });
	const authorIds = new AuthorIdCache();
	let lastDatestamp = stored?.lastDatestamp;
	let token = start.token;
	let tokenRestarts = 0;

	const fail = (message: string, cause: unknown): never => {
		let next: string;
		if (options.dryRun) next = 'A dry run writes nothing';
		else {
			const saved =
				summary.pages === 0
					? 'Nothing of this run was saved'
					: `The ${summary.pages} page(s) before it are saved`;
			next =
				`${saved}; run the same command again to resume` +
				(token ? ' from the stored resumption token' : ` from ${start.from}`);
		}
		throw new HarvestFailedError(`${message}. ${next}.`, summary, { cause });
	};

	for (;;) {
		if (options.signal?.aborted) break;
		const url = token ? tokenUrl(token) : firstUrl;
		let page: OaiPage | OaiPmhError;
		try {
			page = await requestPage(url, {
				...options,
				onRetry: (retry) => {
					options.onRetry?.(retry);
					options.log?.warn(retry, 'arXiv OAI-PMH request failed; retrying');
				}
			});
		} catch (error) {
			if (options.signal?.aborted) break;
			const reason = error instanceof Error ? error.message : String(error);
			return fail(`harvest of ${what} stopped: ${reason}`, error);
		}
		if (page instanceof OaiPmhError) {
			// A token arXiv has forgotten (they expire), stored by an earlier run or handed out
			// in this one: read the same list again from its start day. Saved pages re-save
			// unchanged; failing instead would leave that dead token in the checkpoint.
			if (
				page.code === 'badResumptionToken' &&
				token !== undefined &&
				tokenRestarts < MAX_TOKEN_RESTARTS
			) {
				tokenRestarts += 1;
				options.log?.warn(
					{ resumptionToken: token, from: start.from, pagesBefore: summary.pages },
					'resumption token rejected by arXiv; harvesting again from the start date'
				);
				token = undefined;
				summary.resumedFromToken = false;
				summary.restartedAfterBadToken = true;
				continue;
			}
			if (CONFIGURATION_ERROR_CODES.has(page.code)) {
				const saved =
					summary.pages === 0
						? 'Nothing of this run was saved'
						: `The ${summary.pages} page(s) before it are saved`;
				throw new HarvestConfigurationError(
					`configuration error: arXiv rejected the harvest of ${what} from ${start.from}` +
						`${start.until ? ` to ${start.until}` : ''}: ${page.message} (${url}). ${saved}; ` +
						'check the set (--set or DP_HARVEST_SETS), the dates and the metadata format ' +
						'before running again.',
					summary,
					page.code,
					{ cause: page }
				);
			}
			return fail(`harvest of ${what} stopped: ${page.message} (${url})`, page);
		}
		if (page.noRecordsMatch !== null) summary.noRecordsMatch = page.noRecordsMatch;
		const next = page.resumption?.token ?? undefined;
		if (next !== undefined && next === token) {
			return fail(`arXiv returned the same resumption token twice (${url})`, null);
		}
		lastDatestamp = maxDay(lastDatestamp, page.maxDatestamp);
		const checkpoint: HarvestCheckpoint = {
			from: start.from,
			until: start.until,
			lastDatestamp: lastDatestamp ?? (next ? undefined : start.from),
			resumptionToken: next
		};
		if (!options.dryRun) {
			try {
				const saved = await savePapers(db, page.papers, {
					authorIds,
					checkpoint: { name, value: JSON.stringify(checkpoint) }
				});
				summary.inserted += saved.inserted;
				summary.updated += saved.updated;
				summary.unchanged += saved.unchanged;
			} catch (error) {
				const reason = error instanceof Error ? error.message : String(error);
				return fail(`could not save a page of ${what} (${reason}); it was rolled back`, error);
			}
		}
		summary.pages += 1;
		token = next;
		summary.lastDatestamp = checkpoint.lastDatestamp ?? null;
		summary.records += page.papers.length + page.skipped.length;
		summary.deleted += page.deleted.length;
		for (const skipped of page.skipped) {
			const problem: ImportProblem = {
				source: url,
				record: skipped.index,
				id: skipped.identifier,
				reason: skipped.reason
			};
			summary.skipped += 1;
			if (summary.problems.length < KEEP_PROBLEMS) summary.problems.push(problem);
			else summary.problemsNotKept += 1;
			progress.problem?.(problem);
		}
		const size = page.resumption?.completeListSize ?? null;
		if (summary.pages === 1) progress.start?.(size ?? page.records, 'records');
		summary.completeListSize = size ?? summary.completeListSize;
		const done = (page.resumption?.cursor ?? 0) + page.records;
		progress.advance?.(done, { records: summary.records });
		if (!token) {
			summary.complete = true;
			break;
		}
	}
	progress.stop?.();
	return summary;
}
