/** SQL for sessions: one row per signed-in browser, keyed by the hash of its cookie. */
import type { Db } from '../db/create-db';
import { toStoredMember, type StoredMember } from '../members/member.repository';

export async function insertSession(
	db: Db,
	session: {
		tokenHash: string;
		memberId: string;
		now: string;
		expiresAt: string;
		userAgent: string | null;
	}
): Promise<void> {
	await db
		.insertInto('sessions')
		.values({
			token_hash: session.tokenHash,
			member_id: session.memberId,
			created_at: session.now,
			last_seen_at: session.now,
			expires_at: session.expiresAt,
			user_agent: session.userAgent
		})
		.execute();
}

/** The member of an unexpired session, with the session's expiry. */
export async function findSessionMember(
	db: Db,
	tokenHash: string,
	now: string
): Promise<{ member: StoredMember; expiresAt: string } | undefined> {
	const row = await db
		.selectFrom('sessions')
		.innerJoin('members', 'members.id', 'sessions.member_id')
		.selectAll('members')
		.select('sessions.expires_at as session_expires_at')
		.where('sessions.token_hash', '=', tokenHash)
		.where('sessions.expires_at', '>', now)
		.executeTakeFirst();
	return row && { member: toStoredMember(row), expiresAt: row.session_expires_at };
}

export async function extendSession(
	db: Db,
	tokenHash: string,
	change: { now: string; expiresAt: string }
): Promise<void> {
	await db
		.updateTable('sessions')
		.set({ last_seen_at: change.now, expires_at: change.expiresAt })
		.where('token_hash', '=', tokenHash)
		.execute();
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
	await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** Ends every session of a member (sign out everywhere, or a ban); how many there were. */
export async function deleteSessionsOfMember(db: Db, memberId: string): Promise<number> {
	const result = await db
		.deleteFrom('sessions')
		.where('member_id', '=', memberId)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

/** Removes expired sessions (housekeeping; an expired row already signs nobody in). */
export async function deleteExpiredSessions(db: Db, now: string): Promise<number> {
	const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
	return Number(result.numDeletedRows);
}
