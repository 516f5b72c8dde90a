/**
 * Limits on writes and on sign-in, counted in the store (rate-limiter-flexible over
 * the same SQLite file or PostgreSQL database) so that every app node shares them.
 * Going over answers 429 with Retry-After (TooManyRequestsError).
 */
import {
	RateLimiterPostgres,
	RateLimiterRes,
	RateLimiterSQLite,
	type RateLimiterAbstract
} from 'rate-limiter-flexible';
import { postgresPool, sqliteConnection, type Store } from '../db/create-db';
import { asUnavailable } from '../db/database-unavailable';
import { TooManyRequestsError } from '../errors';

/** Each limited action: how many times per how many seconds, and what to tell the one who hit it. */
export const RATE_LIMITS = {
	/** Sign-in links mailed to one address. */
	'signin-address': { points: 5, duration: 3600, what: 'sign-in links for this address' },
	/** Sign-in links asked for from one IP address. */
	'signin-ip': { points: 20, duration: 3600, what: 'sign-in links from your network' },
	/** Paper submissions by one member (the daily limit is a rule of its own). */
	submit: { points: 10, duration: 600, what: 'submissions' },
	/** Votes cast or taken back by one member. */
	vote: { points: 120, duration: 60, what: 'votes' },
	/** Comments posted, edited or deleted by one member. */
	comment: { points: 20, duration: 600, what: 'comments' },
	/** Requests made with one API token. */
	'api-token': { points: 600, duration: 60, what: 'requests with this token' },
	/** API tokens made by one member. */
	'token-create': { points: 10, duration: 3600, what: 'new API tokens' },
	/** Comment previews by one member (the page's script sends one per pause in typing). */
	'comment-preview': { points: 60, duration: 60, what: 'comment previews' },
	/** Flags raised by one member. */
	flag: { points: 20, duration: 3600, what: 'flags' },
	/** Papers saved, unsaved or annotated by one member. */
	save: { points: 120, duration: 60, what: 'changes to your reading list' },
	/** Follows and unfollows by one member. */
	follow: { points: 60, duration: 60, what: 'follows' }
} as const;

export type RateLimitName = keyof typeof RATE_LIMITS;

export interface RateLimits {
	/** Counts one action by `key`; TooManyRequestsError (429 + Retry-After) when over the limit. */
	consume(name: RateLimitName, key: string): Promise<void>;
}

/** The limits, counted in `store`'s `rate_limits` table (made by the members migration). */
export function createRateLimits(store: Store): RateLimits {
	const limiters = new Map<RateLimitName, RateLimiterAbstract>();
	for (const [name, limit] of Object.entries(RATE_LIMITS) as [
		RateLimitName,
		(typeof RATE_LIMITS)[RateLimitName]
	][]) {
		const common = {
			keyPrefix: name,
			points: limit.points,
			duration: limit.duration,
			tableName: 'rate_limits',
			tableCreated: true,
			// One node clearing expired rows is enough; each would otherwise run the same delete.
			clearExpiredByTimeout: false
		};
		const pool = postgresPool(store.db);
		const sqlite = sqliteConnection(store.db);
		limiters.set(
			name,
			pool
				? new RateLimiterPostgres({ ...common, storeClient: pool, storeType: 'pool' })
				: new RateLimiterSQLite({ ...common, storeClient: sqlite, storeType: 'better-sqlite3' })
		);
	}
	return {
		async consume(name, key) {
			const limiter = limiters.get(name);
			if (!limiter) throw new Error(`unknown rate limit ${name}`);
			try {
				await limiter.consume(key.slice(0, 200));
			} catch (result) {
				// The limiter queries the pool itself, outside Kysely's driver: a connection that
				// times out under load (or a database away) must be a 503, not a 500.
				if (!(result instanceof RateLimiterRes)) throw asUnavailable(result);
				const seconds = Math.ceil(result.msBeforeNext / 1000);
				throw new TooManyRequestsError(
					`Too many ${RATE_LIMITS[name].what}; try again in ${describeWait(seconds)}.`,
					seconds
				);
			}
		}
	};
}

function describeWait(seconds: number): string {
	if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
	const minutes = Math.ceil(seconds / 60);
	return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
