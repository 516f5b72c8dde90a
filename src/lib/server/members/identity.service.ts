/**
 * Signing in with an outside account (Hugging Face's OpenID Connect): which
 * member an identity — a provider and its subject id — stands for, linking or
 * making one on a first visit. The protocol itself is in auth/huggingface-oidc.ts.
 */
import { checkUsername, normalizeEmail } from '$lib/core/member';
import type { Db } from '../db/create-db';
import { ForbiddenError, HttpMeaningError } from '../errors';
import {
	findMemberByEmail,
	findMemberByIdentity,
	findMemberById,
	insertIdentity,
	type StoredMember
} from './member.repository';
import { changeProfile, findOrCreateMember } from './member.service';

/** What an outside provider says about the person signing in. */
export interface OutsideIdentity {
	/** e.g. `huggingface` */
	provider: string;
	/** The provider's stable id for the person (OpenID's `sub`). */
	subject: string;
	email?: string;
	/** Only a verified address may link to (or make) a member: anyone can type an address. */
	emailVerified: boolean;
	/** The person's name at the provider, tried as their username here when a member is made. */
	preferredUsername?: string;
	displayName?: string;
}

/** How the member was found: already linked, linked now by their address, or new. */
export type IdentityOutcome = 'linked-before' | 'linked-by-email' | 'created';

const BANNED = 'This account is banned from Daily Papers, so it cannot sign in.';

/**
 * The member an outside identity signs in: the one linked to it; else the
 * member with its verified address, linked now; else a new member (username
 * from the provider's when valid and free, else from the address), linked.
 * Refuses (403) a banned member and an identity without a verified address.
 *
 * @example
 * await memberForOutsideIdentity(db, { provider: 'huggingface', subject: '6a1b…',
 *   email: 'ada@example.org', emailVerified: true, preferredUsername: 'ada' })
 * // → { member: { username: 'ada', … }, outcome: 'created' }
 */
export async function memberForOutsideIdentity(
	db: Db,
	identity: OutsideIdentity,
	now = new Date()
): Promise<{ member: StoredMember; outcome: IdentityOutcome }> {
	const key = { provider: identity.provider, subject: identity.subject };
	const linked = await findMemberByIdentity(db, key);
	if (linked) return { member: activeOnly(linked), outcome: 'linked-before' };

	const email = identity.email ? normalizeEmail(identity.email) : undefined;
	if (!email || !identity.emailVerified) {
		throw new ForbiddenError(
			'Your Hugging Face account has no verified e-mail address, so Daily Papers cannot tell who you are. Verify your address on Hugging Face and try again, or sign in with an e-mail link.'
		);
	}
	const existing = await findMemberByEmail(db, email);
	let outcome: IdentityOutcome;
	let member: StoredMember;
	if (existing) {
		member = activeOnly(existing);
		outcome = 'linked-by-email';
	} else {
		const made = await findOrCreateMember(db, email, {
			displayName: identity.displayName,
			now
		});
		member = activeOnly(made.member);
		outcome = made.created ? 'created' : 'linked-by-email';
		if (made.created) member = await tryProviderUsername(db, member, identity.preferredUsername);
	}
	await insertIdentity(db, { ...key, memberId: member.id, createdAt: now.toISOString() });
	// Two first sign-ins at once: the identity keeps the link that was written first.
	const winner = await findMemberByIdentity(db, key);
	return { member: activeOnly(winner ?? member), outcome };
}

function activeOnly(member: StoredMember): StoredMember {
	if (member.status === 'banned') throw new ForbiddenError(BANNED);
	return member;
}

/** The new member renamed to their provider username when it is a valid username here and free. */
async function tryProviderUsername(
	db: Db,
	member: StoredMember,
	preferred: string | undefined
): Promise<StoredMember> {
	if (!preferred || !checkUsername(preferred).ok || preferred === member.username) return member;
	try {
		await changeProfile(db, member.id, {
			username: preferred,
			// A display name that only repeats the address-made username follows the new one.
			displayName: member.displayName === member.username ? preferred : member.displayName
		});
	} catch (error) {
		// Taken or refused: the member keeps the username made from their address.
		if (error instanceof HttpMeaningError) return member;
		throw error;
	}
	return (await findMemberById(db, member.id)) ?? member;
}
