/**
 * Polite HTTP for arXiv's services (the API and OAI-PMH): one identifying
 * User-Agent, requests to a host spaced by arXiv's courtesy delay, 503/429
 * retried after the Retry-After arXiv sends, network failures (and bodies the
 * caller finds cut short) retried with exponential backoff, then a clear error.
 */

/** How to reach an arXiv service; every field has arXiv's recommended default. */
export interface ArxivHttpOptions {
	fetch?: typeof fetch;
	/** Per request, including reading the body. Default 15000. */
	timeoutMs?: number;
	/** Extra attempts after a 503/429, a network failure or a cut-short body. Default 3. */
	retries?: number;
	/** Minimum spacing between requests to the same host. Default 3000, arXiv's stated courtesy. */
	minDelayMs?: number;
	/** First backoff without a Retry-After, doubled per attempt. Default max(minDelayMs, 1000). */
	backoffMs?: number;
	userAgent?: string;
	/** Aborts waiting and the request in flight (a graceful stop). */
	signal?: AbortSignal;
	/** Told before each wait for a retry (for logs). */
	onRetry?(retry: { attempt: number; waitMs: number; reason: string; url: string }): void;
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

/** Thrown by a body parser when the body is worth fetching again (truncated, cut off). */
export class RetryableBodyError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'RetryableBodyError';
	}
}

/** What one kind of arXiv request expects back. */
export interface ArxivRequest<T> {
	/** Names the service in errors: `arXiv API`, `arXiv OAI-PMH`. */
	service: string;
	accept: string;
	/** A 2xx body to the result; throw RetryableBodyError to fetch it again, anything else fails. */
	parse(body: string): T;
	/** The service's own explanation inside an error response's body, if it has one. */
	errorMessage?(body: string): string | null;
}

const DEFAULT_USER_AGENT = 'dailypapers (self-hosted; arXiv client)';
/** A Retry-After beyond this means arXiv wants us gone for a while: fail instead of hanging. */
const MAX_RETRY_AFTER_MS = 120_000;

// Keyed by host, so requests from every caller in this process share arXiv's courtesy
// budget, while tests against a local server (minDelayMs: 0) never wait on it.
const nextSlotByHost = new Map<string, number>();

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (ms <= 0 && !signal?.aborted) return Promise.resolve();
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(signal.reason);
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal!.reason);
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

/**
 * Waits until this host may be asked again. The slot is reserved before awaiting, so
 * concurrent callers queue up instead of all firing when the delay ends.
 */
async function waitForTurn(host: string, minDelayMs: number, signal?: AbortSignal): Promise<void> {
	if (minDelayMs <= 0) return;
	const now = Date.now();
	const slot = Math.max(now, nextSlotByHost.get(host) ?? 0);
	nextSlotByHost.set(host, slot + minDelayMs);
	if (slot > now) await sleep(slot - now, signal);
}

/** Retry-After as seconds or an HTTP date, in ms; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
	if (!header) return null;
	const text = header.trim();
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	const date = Date.parse(text);
	return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** A fetch failure in one short phrase (undici hides the reason in `cause`). */
export function describeFetchError(error: unknown): string {
	if (error instanceof Error) {
		if (error.name === 'TimeoutError') return 'timed out';
		const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
		const detail = cause?.code ?? cause?.message;
		return detail ? `${error.message} (${detail})` : error.message;
	}
	return String(error);
}

/**
 * GETs `url` and parses the body, retrying what arXiv says is worth retrying.
 * Throws ArxivRequestError when the request fails for good (or the signal's reason
 * when aborted).
 */
export async function requestArxiv<T>(
	url: string,
	options: ArxivHttpOptions,
	request: ArxivRequest<T>
): Promise<T> {
	const doFetch = options.fetch ?? fetch;
	const retries = options.retries ?? 3;
	const minDelayMs = options.minDelayMs ?? 3000;
	const firstBackoffMs = options.backoffMs ?? Math.max(minDelayMs, 1000);
	const { signal } = options;
	const { service } = request;
	const host = new URL(url).host;
	const retry = async (attempt: number, waitMs: number, reason: string) => {
		options.onRetry?.({ attempt: attempt + 1, waitMs, reason, url });
		await sleep(waitMs, signal);
	};
	for (let attempt = 0; ; attempt += 1) {
		// Without a Retry-After, back off exponentially.
		const backoffMs = firstBackoffMs * 2 ** attempt;
		const canRetry = attempt < retries;
		const attempts = `${attempt + 1} attempt(s)`;
		await waitForTurn(host, minDelayMs, signal);
		let response: Response;
		let body: string;
		try {
			const timeout = AbortSignal.timeout(options.timeoutMs ?? 15_000);
			response = await doFetch(url, {
				headers: {
					accept: request.accept,
					'user-agent': options.userAgent ?? DEFAULT_USER_AGENT
				},
				signal: signal ? AbortSignal.any([signal, timeout]) : timeout
			});
			body = await response.text();
		} catch (error) {
			if (signal?.aborted) throw signal.reason;
			if (canRetry) {
				await retry(attempt, backoffMs, describeFetchError(error));
				continue;
			}
			throw new ArxivRequestError(
				`${service} request failed after ${attempts}: ${describeFetchError(error)} (${url})`,
				null,
				url,
				{ cause: error }
			);
		}
		if (response.status === 503 || response.status === 429) {
			const waitMs = retryAfterMs(response.headers.get('retry-after')) ?? backoffMs;
			if (canRetry && waitMs <= MAX_RETRY_AFTER_MS) {
				await retry(attempt, waitMs, `HTTP ${response.status}`);
				continue;
			}
			throw new ArxivRequestError(
				`${service} busy: HTTP ${response.status} after ${attempts}` +
					(waitMs > MAX_RETRY_AFTER_MS ? ` (Retry-After ${Math.round(waitMs / 1000)} s)` : '') +
					` (${url})`,
				response.status,
				url
			);
		}
		if (!response.ok) {
			const serviceMessage = request.errorMessage?.(body) ?? null;
			throw new ArxivRequestError(
				`${service} request failed: HTTP ${response.status} ${response.statusText}` +
					(serviceMessage ? ` — ${serviceMessage}` : '') +
					` (${url})`,
				response.status,
				url
			);
		}
		try {
			return request.parse(body);
		} catch (error) {
			const reason = error instanceof Error ? error.message : String(error);
			if (error instanceof RetryableBodyError) {
				if (canRetry) {
					await retry(attempt, backoffMs, reason);
					continue;
				}
				throw new ArxivRequestError(`${reason}, after ${attempts} (${url})`, response.status, url, {
					cause: error
				});
			}
			// Anything else in a complete 200 body is the service's bug or a protocol error:
			// retrying would only repeat it, so report it with the URL to reproduce.
			throw new ArxivRequestError(`${reason} (${url})`, response.status, url, { cause: error });
		}
	}
}
