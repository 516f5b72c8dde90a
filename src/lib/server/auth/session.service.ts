/**
 * Sessions in the store, so that every app node reads the same ones. A session
 * lasts 30 days and is extended when a member comes back in its second half;
 * the cookie carries the secret, the store only its hash.
 */
import type { Member } from '$lib/core/member';
import type { Db } from '../db/create-db';
import { toMember } from '../members/member.repository';
import { hashSecret, looksLikeSecret, newSecret } from './secret-token';
import {
	deleteSession,
	deleteSessionsOfMember,
	extendSession,
	findSessionMember,
	insertSession
} from './session.repository';

export const SESSION_DAYS = 30;
const DAY_MS = 86_400_000;

/** A started (or extended) session: the cookie's value and when it lapses. */
export interface SessionCookie {
	token: string;
	expiresAt: Date;
}

/** Signs a member in on one browser. */
export async function startSession(
	db: Db,
	memberId: string,
	options: { userAgent?: string | null; now?: Date } = {}
): Promise<SessionCookie> {
	const now = options.now ?? new Date();
	const token = newSecret();
	const expiresAt = new Date(now.getTime() + SESSION_DAYS * DAY_MS);
	await insertSession(db, {
		tokenHash: hashSecret(token),
		memberId,
		now: now.toISOString(),
		expiresAt: expiresAt.toISOString(),
		userAgent: options.userAgent?.slice(0, 300) ?? null
	});
	return { token, expiresAt };
}

/** Who a session cookie signs in, if anyone; `renewed` is set when its expiry moved. */
export async function resolveSession(
	db: Db,
	token: string,
	now = new Date()
): Promise<{ member: Member; renewed?: SessionCookie } | undefined> {
	if (!looksLikeSecret(token)) return undefined;
	const tokenHash = hashSecret(token);
	const found = await findSessionMember(db, tokenHash, now.toISOString());
	if (!found || found.member.status !== 'active') return undefined;
	const member = toMember(found.member);
	const left = new Date(found.expiresAt).getTime() - now.getTime();
	if (left > (SESSION_DAYS * DAY_MS) / 2) return { member };
	const expiresAt = new Date(now.getTime() + SESSION_DAYS * DAY_MS);
	await extendSession(db, tokenHash, {
		now: now.toISOString(),
		expiresAt: expiresAt.toISOString()
	});
	return { member, renewed: { token, expiresAt } };
}

/** Signs this browser out. */
export async function endSession(db: Db, token: string): Promise<void> {
	if (looksLikeSecret(token)) await deleteSession(db, hashSecret(token));
}

/** Signs a member out of every browser; how many sessions ended. */
export async function endAllSessions(db: Db, memberId: string): Promise<number> {
	return deleteSessionsOfMember(db, memberId);
}
