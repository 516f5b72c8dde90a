/** SQL for members and their outside identities. */
import type { Insertable, Selectable } from 'kysely';
import { isRole, type Member, type MemberStatus } from '$lib/core/member';
import type { Db } from '../db/create-db';
import type { MembersTable } from '../db/schema';

export type MemberRow = Selectable<MembersTable>;

/** A stored member, with the address and status that only the server sees. */
export interface StoredMember extends Member {
	email: string;
	status: MemberStatus;
	createdAt: string;
}

export function toStoredMember(row: MemberRow): StoredMember {
	return {
		id: row.id,
		username: row.username,
		displayName: row.display_name,
		role: isRole(row.role) ? row.role : 'member',
		email: row.email,
		status: row.status === 'banned' ? 'banned' : 'active',
		createdAt: row.created_at,
		...(row.suspended_until ? { suspendedUntil: row.suspended_until } : {})
	};
}

/** What requests see of a stored member (`locals.member`): no address, no status. */
export function toMember(stored: StoredMember): Member {
	const { id, username, displayName, role, suspendedUntil } = stored;
	return { id, username, displayName, role, ...(suspendedUntil ? { suspendedUntil } : {}) };
}

/** Adds a member; false when the address or username is taken (nothing written). */
export async function insertMember(db: Db, row: Insertable<MembersTable>): Promise<boolean> {
	const inserted = await db
		.insertInto('members')
		.values(row)
		.onConflict((oc) => oc.doNothing())
		.returning('id')
		.executeTakeFirst();
	return inserted !== undefined;
}

export async function findMemberById(db: Db, id: string): Promise<StoredMember | undefined> {
	const row = await db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst();
	return row && toStoredMember(row);
}

export async function findMemberByEmail(db: Db, email: string): Promise<StoredMember | undefined> {
	const row = await db
		.selectFrom('members')
		.selectAll()
		.where('email', '=', email)
		.executeTakeFirst();
	return row && toStoredMember(row);
}

/** The member with this username, whatever its case. */
export async function findMemberByUsername(
	db: Db,
	username: string
): Promise<StoredMember | undefined> {
	const row = await db
		.selectFrom('members')
		.selectAll()
		.where('username_key', '=', username.toLowerCase())
		.executeTakeFirst();
	return row && toStoredMember(row);
}

/** Members by id, for showing who submitted what. */
export async function findMembersByIds(db: Db, ids: string[]): Promise<Map<string, StoredMember>> {
	if (ids.length === 0) return new Map();
	const rows = await db.selectFrom('members').selectAll().where('id', 'in', ids).execute();
	return new Map(rows.map((row) => [row.id, toStoredMember(row)]));
}

/** Changes a member's username and display name; false when the username is taken. */
export async function updateProfile(
	db: Db,
	change: { id: string; username: string; usernameKey: string; displayName: string }
): Promise<boolean> {
	const taken = await db
		.selectFrom('members')
		.select('id')
		.where('username_key', '=', change.usernameKey)
		.where('id', '!=', change.id)
		.executeTakeFirst();
	if (taken) return false;
	try {
		await db
			.updateTable('members')
			.set({
				username: change.username,
				username_key: change.usernameKey,
				display_name: change.displayName
			})
			.where('id', '=', change.id)
			.execute();
		return true;
	} catch (error) {
		// Another request took the username between the check and the write.
		if (await findMemberByUsername(db, change.username)) return false;
		throw error;
	}
}

export async function updateRole(db: Db, id: string, role: string): Promise<void> {
	await db.updateTable('members').set({ role }).where('id', '=', id).execute();
}

export async function updateStatus(db: Db, id: string, status: MemberStatus): Promise<void> {
	await db.updateTable('members').set({ status }).where('id', '=', id).execute();
}

/** The member an outside identity (provider + subject) signs in, if linked. */
export async function findMemberByIdentity(
	db: Db,
	identity: { provider: string; subject: string }
): Promise<StoredMember | undefined> {
	const row = await db
		.selectFrom('member_identities')
		.innerJoin('members', 'members.id', 'member_identities.member_id')
		.selectAll('members')
		.where('member_identities.provider', '=', identity.provider)
		.where('member_identities.subject', '=', identity.subject)
		.executeTakeFirst();
	return row && toStoredMember(row);
}

/** Links an outside identity to a member (a second link of the same identity is ignored). */
export async function insertIdentity(
	db: Db,
	identity: { provider: string; subject: string; memberId: string; createdAt: string }
): Promise<void> {
	await db
		.insertInto('member_identities')
		.values({
			provider: identity.provider,
			subject: identity.subject,
			member_id: identity.memberId,
			created_at: identity.createdAt
		})
		.onConflict((oc) => oc.doNothing())
		.execute();
}
