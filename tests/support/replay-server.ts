/**
 * A local HTTP server that replays recorded responses, so HTTP clients are tested
 * over real sockets (headers, status codes, timeouts) without the network.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** One canned HTTP response. */
export interface RecordedResponse {
	status: number;
	body: string;
	headers?: Record<string, string>;
	/** Wait this long before answering, to exercise client timeouts. */
	delayMs?: number;
}

/** A running replay server. */
export interface ReplayServer {
	/** Base URL, e.g. `http://127.0.0.1:54321`. */
	url: string;
	/** Every request received, in order. */
	requests: URL[];
	close(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1 (a free port) that answers each request with what
 * `route` returns for its URL. An array is a sequence for repeated requests to the
 * same path and query: the n-th request gets the n-th response, and the last one
 * repeats once the sequence runs out. `undefined` answers 404.
 */
export async function startReplayServer(
	route: (url: URL) => RecordedResponse | RecordedResponse[] | undefined
): Promise<ReplayServer> {
	const requests: URL[] = [];
	const seen = new Map<string, number>();
	let base = '';
	const server = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', base);
		requests.push(url);
		let answer: RecordedResponse | undefined;
		try {
			const routed = route(url);
			if (Array.isArray(routed)) {
				const key = url.pathname + url.search;
				const count = seen.get(key) ?? 0;
				seen.set(key, count + 1);
				answer = routed[Math.min(count, routed.length - 1)];
			} else {
				answer = routed;
			}
		} catch (error) {
			// A throwing route is a bug in the test; answer 500 so the client sees something.
			answer = { status: 500, body: `replay route threw: ${String(error)}` };
		}
		const response = answer ?? {
			status: 404,
			body: `no recording for ${url.pathname}${url.search}`
		};
		const send = () => {
			res.writeHead(response.status, {
				'content-type': 'application/atom+xml; charset=utf-8',
				...response.headers,
				'content-length': String(Buffer.byteLength(response.body))
			});
			res.end(response.body);
		};
		if (response.delayMs) {
			const timer = setTimeout(send, response.delayMs);
			// The client may give up first; do not write to a closed socket.
			res.on('close', () => clearTimeout(timer));
		} else {
			send();
		}
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	base = `http://127.0.0.1:${port}`;
	return {
		url: base,
		requests,
		close: () =>
			new Promise<void>((resolve, reject) => {
				// fetch keeps connections alive; without this close() waits for them to idle out.
				server.closeAllConnections();
				server.close((error) => (error ? reject(error) : resolve()));
			})
	};
}

// Parameters the arXiv API treats as defaults: a request that omits them asks the same question.
const ARXIV_DEFAULTS: Record<string, string> = {
	start: '0',
	sortBy: 'relevance',
	sortOrder: 'descending'
};

/**
 * The lookup key of an arXiv API query: parameters sorted by name, empty ones and
 * API defaults dropped, and for pure id lookups `max_results` too (it only caps a
 * result already bounded by the ids), so `id_list=2104.12255v1&max_results=1`
 * finds the recording made with `search_query=&id_list=2104.12255v1&…&max_results=100`.
 */
export function recordingKey(query: URLSearchParams | string): string {
	const params = new URLSearchParams(query);
	const kept = [...params].filter(
		([name, value]) => value !== '' && ARXIV_DEFAULTS[name] !== value
	);
	const idLookup = kept.some(([name]) => name === 'id_list') && !params.get('search_query');
	return kept
		.filter(([name]) => !(idLookup && name === 'max_results'))
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
		.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
		.join('&');
}

/**
 * Loads arXiv API recordings (`{url, status_code, body}` JSON files) from `dir`
 * or its `recorded/` folder, keyed by recordingKey of each recording's query.
 */
export function loadArxivRecordings(dir: string): Map<string, RecordedResponse> {
	const folder = fs.existsSync(path.join(dir, 'recorded')) ? path.join(dir, 'recorded') : dir;
	const recordings = new Map<string, RecordedResponse>();
	for (const name of fs.readdirSync(folder).sort()) {
		if (!name.endsWith('.json')) continue;
		const file = path.join(folder, name);
		const data = JSON.parse(fs.readFileSync(file, 'utf8')) as {
			url?: unknown;
			status_code?: unknown;
			body?: unknown;
		};
		if (
			typeof data.url !== 'string' ||
			typeof data.status_code !== 'number' ||
			typeof data.body !== 'string'
		) {
			throw new Error(`${file}: not a {url, status_code, body} recording`);
		}
		recordings.set(recordingKey(new URL(data.url).searchParams), {
			status: data.status_code,
			body: data.body
		});
	}
	return recordings;
}
