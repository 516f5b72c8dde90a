/** SQL for one-time sign-in links: one row per link mailed, keyed by the hash of its secret. */
import type { Db } from '../db/create-db';

export async function insertLoginLink(
	db: Db,
	link: {
		tokenHash: string;
		email: string;
		nextPath: string | null;
		now: string;
		expiresAt: string;
	}
): Promise<void> {
	await db
		.insertInto('login_links')
		.values({
			token_hash: link.tokenHash,
			email: link.email,
			next_path: link.nextPath,
			created_at: link.now,
			expires_at: link.expiresAt,
			used_at: null
		})
		.execute();
}

/**
 * Marks a link used if it is unused and unexpired, in one statement, and returns
 * what it was for; undefined when it was not usable. Two requests with the same
 * link cannot both get a row: the second finds `used_at` set (on PostgreSQL it
 * waits for the first's row lock, then re-reads the row).
 */
export async function claimLoginLink(
	db: Db,
	tokenHash: string,
	now: string
): Promise<{ email: string; nextPath: string | null } | undefined> {
	const row = await db
		.updateTable('login_links')
		.set({ used_at: now })
		.where('token_hash', '=', tokenHash)
		.where('used_at', 'is', null)
		.where('expires_at', '>', now)
		.returning(['email', 'next_path'])
		.executeTakeFirst();
	return row && { email: row.email, nextPath: row.next_path };
}

export async function findLoginLink(
	db: Db,
	tokenHash: string
): Promise<
	{ email: string; nextPath: string | null; expiresAt: string; usedAt: string | null } | undefined
> {
	const row = await db
		.selectFrom('login_links')
		.select(['email', 'next_path', 'expires_at', 'used_at'])
		.where('token_hash', '=', tokenHash)
		.executeTakeFirst();
	return (
		row && {
			email: row.email,
			nextPath: row.next_path,
			expiresAt: row.expires_at,
			usedAt: row.used_at
		}
	);
}

/** Removes links that expired before `before` (housekeeping; an expired link signs nobody in). */
export async function deleteLoginLinksExpiredBefore(db: Db, before: string): Promise<number> {
	const result = await db
		.deleteFrom('login_links')
		.where('expires_at', '<', before)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}
