/**
 * Members: joining (on a first sign-in), profile changes, roles and bans. The
 * rules (what a username may be) are in core/member.ts; this applies them to the store.
 */
import { randomBytes } from 'node:crypto';
import {
	checkDisplayName,
	checkUsername,
	normalizeEmail,
	usernameFromEmail,
	usernameKey,
	type Role
} from '$lib/core/member';
import type { Db } from '../db/create-db';
import { BadRequestError, ConflictError, NotFoundError } from '../errors';
import { deleteSessionsOfMember } from '../auth/session.repository';
import {
	findMemberByEmail,
	findMemberById,
	findMemberByUsername,
	insertMember,
	updateProfile,
	updateRole,
	updateStatus,
	type StoredMember
} from './member.repository';

/** An opaque member id: random, so it says nothing about when or in what order members joined. */
export function newMemberId(): string {
	return randomBytes(12).toString('base64url');
}

/**
 * The member with this address, made on the spot when there is none (a first
 * sign-in): username from the address, with digits added while it is taken,
 * which the member can change in their settings.
 */
export async function findOrCreateMember(
	db: Db,
	emailInput: string,
	options: { role?: Role; displayName?: string; now?: Date } = {}
): Promise<{ member: StoredMember; created: boolean }> {
	const email = normalizeEmail(emailInput);
	if (!email) throw new BadRequestError('Enter a valid e-mail address, such as ada@example.org.');
	const existing = await findMemberByEmail(db, email);
	if (existing) return { member: existing, created: false };
	const base = usernameFromEmail(email);
	const now = (options.now ?? new Date()).toISOString();
	const id = newMemberId();
	for (let attempt = 0; attempt < 50; attempt++) {
		const username =
			attempt === 0
				? base
				: `${base.slice(0, 26)}-${Math.floor(Math.random() * 10 ** Math.min(attempt, 5))}`;
		const display = options.displayName ? checkDisplayName(options.displayName) : undefined;
		const inserted = await insertMember(db, {
			id,
			email,
			username,
			username_key: usernameKey(username),
			display_name: display?.ok ? display.displayName : username,
			role: options.role ?? 'member',
			status: 'active',
			created_at: now
		});
		if (inserted) {
			return { member: (await findMemberByEmail(db, email)) as StoredMember, created: true };
		}
		// The address itself may have joined meanwhile (two first sign-ins at once).
		const raced = await findMemberByEmail(db, email);
		if (raced) return { member: raced, created: false };
	}
	throw new ConflictError('No free username could be found for this address; try again.');
}

/** Changes a member's username and display name, or says why not (400 invalid, 409 taken). */
export async function changeProfile(
	db: Db,
	memberId: string,
	input: { username: string; displayName: string }
): Promise<void> {
	const username = checkUsername(input.username);
	if (!username.ok) throw new BadRequestError(username.reason);
	const displayName = checkDisplayName(input.displayName);
	if (!displayName.ok) throw new BadRequestError(displayName.reason);
	const changed = await updateProfile(db, {
		id: memberId,
		username: username.username,
		usernameKey: username.key,
		displayName: displayName.displayName
	});
	if (!changed) throw new ConflictError(`The username "${username.username}" is taken.`);
}

/** The member with this username; NotFoundError when there is none. */
export async function requireMemberByUsername(db: Db, username: string): Promise<StoredMember> {
	const member = await findMemberByUsername(db, username);
	if (!member) throw new NotFoundError(`There is no member called "${username.slice(0, 64)}".`);
	return member;
}

/** Gives a member a role (member, moderator, admin). */
export async function setRole(db: Db, username: string, role: Role): Promise<StoredMember> {
	const member = await requireMemberByUsername(db, username);
	await updateRole(db, member.id, role);
	return { ...member, role };
}

/** Bans a member: they cannot sign in, and every session they have ends now. */
export async function banMember(db: Db, username: string): Promise<StoredMember> {
	const member = await requireMemberByUsername(db, username);
	await db.transaction().execute(async (trx) => {
		await updateStatus(trx, member.id, 'banned');
		await deleteSessionsOfMember(trx, member.id);
	});
	return { ...member, status: 'banned' };
}

/** Lifts a ban. */
export async function unbanMember(db: Db, username: string): Promise<StoredMember> {
	const member = await requireMemberByUsername(db, username);
	await updateStatus(db, member.id, 'active');
	return { ...member, status: 'active' };
}

/** Whether a member with this id exists (banned ones too: their avatar still shows on old cards). */
export async function memberExists(db: Db, id: string): Promise<boolean> {
	// Ids are 16 characters (newMemberId); anything far longer names nobody.
	return id.length <= 64 && (await findMemberById(db, id)) !== undefined;
}

/** What is wrong with each field of a profile form. */
export type ProfileProblems = Partial<Record<'username' | 'displayName', string>>;

/**
 * changeProfile for a form: every field's problem at once, as a sentence next to
 * the field, instead of the first one thrown (400 invalid, 409 username taken).
 */
export async function changeProfileFromForm(
	db: Db,
	memberId: string,
	input: { username: string; displayName: string }
): Promise<{ ok: true } | { ok: false; status: 400 | 409; problems: ProfileProblems }> {
	const username = checkUsername(input.username);
	const displayName = checkDisplayName(input.displayName);
	const problems: ProfileProblems = {};
	if (!username.ok) problems.username = username.reason;
	if (!displayName.ok) problems.displayName = displayName.reason;
	if (!username.ok || !displayName.ok) return { ok: false, status: 400, problems };
	const changed = await updateProfile(db, {
		id: memberId,
		username: username.username,
		usernameKey: username.key,
		displayName: displayName.displayName
	});
	if (!changed) {
		return {
			ok: false,
			status: 409,
			problems: { username: `The username "${username.username}" is taken; choose another.` }
		};
	}
	return { ok: true };
}
