/**
 * When the database is away (restarting, unreachable, refusing connections),
 * every query fails the same way: this turns those failures, at the driver,
 * into one typed `ServiceUnavailableError` (503 + Retry-After), so routes,
 * `/healthz`, the search replica's sync loop and the job scheduler can tell
 * "the database is away, try again shortly" from a bug. Other errors (a
 * constraint, a syntax error) pass through untouched.
 */
import { sql, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';
import { ServiceUnavailableError } from '../errors';
import type { Logger } from '../log';
import type { Db } from './create-db';

/** What clients are told to wait before trying again while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Socket-level failures: the server is not there or went away. */
const UNREACHABLE_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EPIPE'
]);

/**
 * SQLSTATEs of a server that is shutting down or starting: admin_shutdown,
 * crash_shutdown, cannot_connect_now, and too_many_connections (a restart's
 * reconnect storm); class 08 (connection exceptions) is matched by prefix.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** pg's own messages for a connection that died or never came (they carry no code). */
const UNREACHABLE_MESSAGES = [
	/^Connection terminated/i,
	/timeout exceeded when trying to connect/i,
	/not queryable/i,
	/the database system is (starting up|shutting down|in recovery mode)/i
];

/**
 * Whether `error` (or any error in its `cause` chain) says the database is
 * unreachable rather than that the query was wrong, e.g. a pg error with code
 * `57P01` (terminated by an administrator) or a socket's `ECONNREFUSED`.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
	const seen = new Set<unknown>();
	for (let current = error; current instanceof Error && !seen.has(current);) {
		seen.add(current);
		if (current instanceof ServiceUnavailableError) return true;
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string') {
			if (UNREACHABLE_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
			if (/^08[0-9A-Z]{3}$/.test(code)) return true;
		}
		const { message } = current;
		if (UNREACHABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
		// An AggregateError (node's happy-eyeballs connect) holds one failure per address.
		if (current instanceof AggregateError && current.errors.some(isDatabaseUnreachable))
			return true;
		current = current.cause;
	}
	return false;
}

/** `error` as a ServiceUnavailableError when it says the database is away; as it is otherwise. */
export function asUnavailable(error: unknown): unknown {
	if (error instanceof ServiceUnavailableError || !isDatabaseUnreachable(error)) return error;
	return new ServiceUnavailableError(
		`The database is unavailable right now; try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds.`,
		DATABASE_RETRY_AFTER_SECONDS,
		{ cause: error }
	);
}

async function translated<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		throw asUnavailable(error);
	}
}

/**
 * Wraps a Kysely driver so that connection failures surface as
 * `ServiceUnavailableError`. The driver itself only ever sees its own
 * connections (it calls private methods on them), hence the unwrapping.
 */
export function withUnavailableErrors(driver: Driver): Driver {
	const inner = new WeakMap<DatabaseConnection, DatabaseConnection>();
	const unwrap = (connection: DatabaseConnection) => inner.get(connection) ?? connection;
	const wrap = (connection: DatabaseConnection): DatabaseConnection => {
		const wrapped: DatabaseConnection = {
			executeQuery: <R>(query: Parameters<DatabaseConnection['executeQuery']>[0]) =>
				translated<QueryResult<R>>(() => connection.executeQuery<R>(query)),
			async *streamQuery<R>(
				query: Parameters<DatabaseConnection['streamQuery']>[0],
				chunkSize?: number
			): AsyncIterableIterator<QueryResult<R>> {
				try {
					yield* connection.streamQuery<R>(query, chunkSize);
				} catch (error) {
					throw asUnavailable(error);
				}
			}
		};
		inner.set(wrapped, connection);
		return wrapped;
	};
	const savepointMethod = (
		method: 'savepoint' | 'rollbackToSavepoint' | 'releaseSavepoint'
	): Driver[typeof method] => {
		const original = driver[method]?.bind(driver);
		return (
			original &&
			((connection, name, compile) => translated(() => original(unwrap(connection), name, compile)))
		);
	};
	return {
		init: () => translated(() => driver.init()),
		acquireConnection: async () => wrap(await translated(() => driver.acquireConnection())),
		beginTransaction: (connection, settings) =>
			translated(() => driver.beginTransaction(unwrap(connection), settings)),
		commitTransaction: (connection) =>
			translated(() => driver.commitTransaction(unwrap(connection))),
		rollbackTransaction: (connection) =>
			translated(() => driver.rollbackTransaction(unwrap(connection))),
		savepoint: savepointMethod('savepoint'),
		rollbackToSavepoint: savepointMethod('rollbackToSavepoint'),
		releaseSavepoint: savepointMethod('releaseSavepoint'),
		releaseConnection: (connection) => driver.releaseConnection(unwrap(connection)),
		destroy: () => driver.destroy()
	};
}

export interface WaitForDatabaseOptions {
	/** Give up after this long (the `DP_DB_START_TIMEOUT_S` setting). */
	timeoutMs: number;
	log: Logger;
	/** Where the database is, for the log (no password). */
	where: string;
	/** The first pause between attempts; it doubles up to `maxDelayMs`. */
	initialDelayMs?: number;
	maxDelayMs?: number;
}

/**
 * Waits until the database answers `select 1`, logging each retry ("waiting for
 * the database at …, retrying in 2s"); throws once `timeoutMs` has passed, or at
 * once for an error that is not about reachability (bad password, no such database).
 */
export async function waitForDatabase(db: Db, options: WaitForDatabaseOptions): Promise<void> {
	const { timeoutMs, log, where } = options;
	const maxDelayMs = options.maxDelayMs ?? 5000;
	const deadline = Date.now() + timeoutMs;
	let delayMs = options.initialDelayMs ?? 1000;
	for (let attempt = 1; ; attempt++) {
		try {
			await sql`select 1`.execute(db);
			if (attempt > 1) log.info({ where, attempts: attempt }, `the database at ${where} answers`);
			return;
		} catch (error) {
			if (!isDatabaseUnreachable(error)) throw error;
			const reason = reasonOf(error);
			const left = deadline - Date.now();
			if (left <= 0) {
				throw new Error(
					`The database at ${where} did not answer within ${Math.round(timeoutMs / 1000)} s (${reason}); set DP_DB_START_TIMEOUT_S to wait longer`,
					{ cause: error }
				);
			}
			const pause = Math.min(delayMs, left);
			log.warn(
				{ where, attempt, reason },
				`waiting for the database at ${where}, retrying in ${Math.ceil(pause / 1000)}s (${reason})`
			);
			await new Promise((resolve) => setTimeout(resolve, pause));
			delayMs = Math.min(delayMs * 2, maxDelayMs);
		}
	}
}

/** The innermost message of an error chain: "connect ECONNREFUSED 127.0.0.1:5432", not the wrapper's. */
export function reasonOf(error: unknown): string {
	let current = error;
	while (current instanceof Error && current.cause instanceof Error) current = current.cause;
	if (current instanceof AggregateError && current.errors[0] instanceof Error) {
		return current.errors[0].message;
	}
	return current instanceof Error ? current.message : String(current);
}

/** A PostgreSQL URL without its password, for logs: `postgres://app@db.example:5432/papers`. */
export function describeDatabaseUrl(url: string): string {
	try {
		const parsed = new URL(url);
		parsed.password = '';
		parsed.search = '';
		return parsed.toString();
	} catch {
		return 'the configured DATABASE_URL';
	}
}
