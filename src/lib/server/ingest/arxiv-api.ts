/**
 * A small, polite client for the arXiv API (`export.arxiv.org/api/query`):
 * id lookups in chunks, spaced by arXiv's requested courtesy delay, retrying
 * only what arXiv asks to be retried (503/429, honouring Retry-After) and
 * transient network failures.
 */
import { parseArxivId } from '$lib/core/arxiv-id';
import { ArxivApiError, parseArxivAtom, type AtomParseResult } from './arxiv-atom';

/** How to reach the arXiv API; every field has arXiv's recommended default. */
export interface ArxivApiOptions {
	/** Default `https://export.arxiv.org/api/query`. */
	baseUrl?: string;
	fetch?: typeof fetch;
	/** Per request, including reading the body. Default 15000. */
	timeoutMs?: number;
	/** Extra attempts after a 503/429 or a network failure. Default 3. */
	retries?: number;
	/** Minimum spacing between requests to the same host. Default 3000, arXiv's stated courtesy. */
	minDelayMs?: number;
	userAgent?: string;
}

/** An arXiv request that failed for good: HTTP status (null for network failures) and URL. */
export class ArxivRequestError extends Error {
	constructor(
		message: string,
		readonly status: number | null,
		readonly url: string,
		options?: { cause?: unknown }
	) {
		super(message, options);
		this.name = 'ArxivRequestError';
	}
}

const DEFAULT_BASE_URL = 'https://export.arxiv.org/api/query';
const DEFAULT_USER_AGENT = 'dailypapers (self-hosted; arXiv API client)';
/** arXiv documents id_list lookups of up to a few hundred; 100 keeps each response small. */
const CHUNK_SIZE = 100;
/** A Retry-After beyond this means arXiv wants us gone for a while: fail instead of hanging. */
const MAX_RETRY_AFTER_MS = 120_000;

// Keyed by host, so requests from every caller in this process share arXiv's courtesy
// budget, while tests against a local server (minDelayMs: 0) never wait on it.
const nextSlotByHost = new Map<string, number>();

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Waits until this host may be asked again. The slot is reserved before awaiting, so
 * concurrent callers queue up instead of all firing when the delay ends.
 */
async function waitForTurn(host: string, minDelayMs: number): Promise<void> {
	if (minDelayMs <= 0) return;
	const now = Date.now();
	const slot = Math.max(now, nextSlotByHost.get(host) ?? 0);
	nextSlotByHost.set(host, slot + minDelayMs);
	if (slot > now) await sleep(slot - now);
}

/** Retry-After as seconds or an HTTP date, in ms; null when absent or unreadable. */
function retryAfterMs(header: string | null): number | null {
	if (!header) return null;
	const text = header.trim();
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	const date = Date.parse(text);
	return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

/** A fetch failure in one short phrase (undici hides the reason in `cause`). */
function describeFailure(error: unknown): string {
	if (error instanceof Error) {
		if (error.name === 'TimeoutError') return 'timed out';
		const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
		const detail = cause?.code ?? cause?.message;
		return detail ? `${error.message} (${detail})` : error.message;
	}
	return String(error);
}

/** The arXiv message of an error-feed body, or null when the body is something else. */
function errorFeedMessage(body: string): string | null {
	try {
		parseArxivAtom(body);
		return null;
	} catch (error) {
		return error instanceof ArxivApiError && error.errorId !== null ? error.message : null;
	}
}

/** Fetches one URL and parses it, retrying what arXiv says is worth retrying. */
async function requestFeed(url: string, options: ArxivApiOptions): Promise<AtomParseResult> {
	const doFetch = options.fetch ?? fetch;
	const retries = options.retries ?? 3;
	const minDelayMs = options.minDelayMs ?? 3000;
	const host = new URL(url).host;
	for (let attempt = 0; ; attempt += 1) {
		// Without a Retry-After, back off exponentially from the courtesy delay (at least 1 s).
		const backoffMs = Math.max(minDelayMs, 1000) * 2 ** attempt;
		const canRetry = attempt < retries;
		await waitForTurn(host, minDelayMs);
		let response: Response;
		let body: string;
		try {
			response = await doFetch(url, {
				headers: {
					accept: 'application/atom+xml',
					'user-agent': options.userAgent ?? DEFAULT_USER_AGENT
				},
				signal: AbortSignal.timeout(options.timeoutMs ?? 15_000)
			});
			body = await response.text();
		} catch (error) {
			if (canRetry) {
				await sleep(backoffMs);
				continue;
			}
			throw new ArxivRequestError(
				`arXiv request failed after ${attempt + 1} attempt(s): ${describeFailure(error)} (${url})`,
				null,
				url,
				{ cause: error }
			);
		}
		if (response.status === 503 || response.status === 429) {
			const waitMs = retryAfterMs(response.headers.get('retry-after')) ?? backoffMs;
			if (canRetry && waitMs <= MAX_RETRY_AFTER_MS) {
				await sleep(waitMs);
				continue;
			}
			throw new ArxivRequestError(
				`arXiv API busy: HTTP ${response.status} after ${attempt + 1} attempt(s)` +
					(waitMs > MAX_RETRY_AFTER_MS ? ` (Retry-After ${Math.round(waitMs / 1000)} s)` : '') +
					` (${url})`,
				response.status,
				url
			);
		}
		if (!response.ok) {
			const arxivMessage = errorFeedMessage(body);
			throw new ArxivRequestError(
				`arXiv API request failed: HTTP ${response.status} ${response.statusText}` +
					(arxivMessage ? ` — ${arxivMessage}` : '') +
					` (${url})`,
				response.status,
				url
			);
		}
		try {
			return parseArxivAtom(body);
		} catch (error) {
			// A complete 200 body that does not parse is arXiv's bug, not a transient fault;
			// retrying would only repeat it, so report it with the URL to reproduce.
			const reason = error instanceof Error ? error.message : String(error);
			throw new ArxivRequestError(`${reason} (${url})`, response.status, url, { cause: error });
		}
	}
}

/** Validated, canonical (`id` or `idvN`), de-duplicated ids; throws naming the first bad one. */
function canonicalIds(ids: string[]): string[] {
	const canonical = new Set<string>();
	for (const raw of ids) {
		const parsed = parseArxivId(raw);
		if (!parsed) throw new Error(`Not an arXiv id: ${JSON.stringify(raw)}`);
		canonical.add(parsed.version === null ? parsed.id : `${parsed.id}v${parsed.version}`);
	}
	return [...canonical];
}

/**
 * Looks papers up by arXiv id (with or without version), at most 100 per request,
 * and merges the responses. Every id is validated before any request is made.
 * Ids arXiv does not know are simply absent from `papers` (arXiv returns no entry).
 * Throws ArxivRequestError when a request fails for good.
 */
export async function fetchArxivByIds(
	ids: string[],
	options: ArxivApiOptions = {}
): Promise<AtomParseResult> {
	const wanted = canonicalIds(ids);
	const merged: AtomParseResult = {
		papers: [],
		skipped: [],
		totalResults: 0,
		startIndex: 0,
		itemsPerPage: 0
	};
	const baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
	let entriesSoFar = 0;
	for (let start = 0; start < wanted.length; start += CHUNK_SIZE) {
		const chunk = wanted.slice(start, start + CHUNK_SIZE);
		const url = new URL(baseUrl);
		// Commas stay literal (as arXiv documents id_list); each id is still encoded (`/`).
		url.search = `id_list=${chunk.map(encodeURIComponent).join(',')}&max_results=${chunk.length}`;
		const page = await requestFeed(url.href, options);
		merged.papers.push(...page.papers);
		// Skipped indexes count entries across all chunks, as if it were one feed.
		merged.skipped.push(...page.skipped.map((s) => ({ ...s, index: s.index + entriesSoFar })));
		entriesSoFar += page.papers.length + page.skipped.length;
		merged.totalResults = (merged.totalResults ?? 0) + (page.totalResults ?? 0);
		merged.itemsPerPage = (merged.itemsPerPage ?? 0) + (page.itemsPerPage ?? chunk.length);
	}
	return merged;
}
