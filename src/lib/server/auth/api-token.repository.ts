/** SQL for personal API tokens (stored as hashes). */
import type { Db } from '../db/create-db';
import { toStoredMember, type StoredMember } from '../members/member.repository';

/** A token as its owner sees it in settings: never the secret itself. */
export interface ApiTokenSummary {
	id: string;
	name: string;
	createdAt: string;
	lastUsedAt: string | null;
}

export async function insertApiToken(
	db: Db,
	token: { id: string; memberId: string; name: string; tokenHash: string; createdAt: string }
): Promise<void> {
	await db
		.insertInto('api_tokens')
		.values({
			id: token.id,
			member_id: token.memberId,
			name: token.name,
			token_hash: token.tokenHash,
			created_at: token.createdAt
		})
		.execute();
}

/** A member's tokens that stand (not revoked), newest first. */
export async function listApiTokens(db: Db, memberId: string): Promise<ApiTokenSummary[]> {
	const rows = await db
		.selectFrom('api_tokens')
		.select(['id', 'name', 'created_at', 'last_used_at'])
		.where('member_id', '=', memberId)
		.where('revoked_at', 'is', null)
		.orderBy('created_at', 'desc')
		.orderBy('id')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		name: r.name,
		createdAt: r.created_at,
		lastUsedAt: r.last_used_at
	}));
}

/** Revokes one of a member's tokens; false when they have no such token standing. */
export async function revokeApiToken(
	db: Db,
	token: { id: string; memberId: string; now: string }
): Promise<boolean> {
	const row = await db
		.updateTable('api_tokens')
		.set({ revoked_at: token.now })
		.where('id', '=', token.id)
		.where('member_id', '=', token.memberId)
		.where('revoked_at', 'is', null)
		.returning('id')
		.executeTakeFirst();
	return row !== undefined;
}

/** The member a standing token belongs to, and when it was last used. */
export async function findApiTokenMember(
	db: Db,
	tokenHash: string
): Promise<{ member: StoredMember; tokenId: string; lastUsedAt: string | null } | undefined> {
	const row = await db
		.selectFrom('api_tokens')
		.innerJoin('members', 'members.id', 'api_tokens.member_id')
		.selectAll('members')
		.select(['api_tokens.id as token_id', 'api_tokens.last_used_at as token_last_used_at'])
		.where('api_tokens.token_hash', '=', tokenHash)
		.where('api_tokens.revoked_at', 'is', null)
		.executeTakeFirst();
	return (
		row && {
			member: toStoredMember(row),
			tokenId: row.token_id,
			lastUsedAt: row.token_last_used_at
		}
	);
}

export async function touchApiToken(db: Db, id: string, now: string): Promise<void> {
	await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
}
