/**
 * Personal API tokens: a member makes one in settings, sees it once, and sends it
 * as `Authorization: Bearer dp_…`. The store keeps its hash; revoking is final.
 */
import { randomBytes } from 'node:crypto';
import type { Member } from '$lib/core/member';
import type { Db } from '../db/create-db';
import { toMember } from '../members/member.repository';
import { BadRequestError, NotFoundError } from '../errors';
import {
	findApiTokenMember,
	insertApiToken,
	revokeApiToken,
	touchApiToken,
	type ApiTokenSummary
} from './api-token.repository';
import { hashSecret, looksLikeSecret, newSecret } from './secret-token';

export { listApiTokens, type ApiTokenSummary } from './api-token.repository';

/** What marks our tokens, so a leaked one is recognisable (and secret scanners can match it). */
export const API_TOKEN_PREFIX = 'dp_';
const NAME_MAX = 60;
/** Last-used times are written at most this often per token, not on every request. */
const TOUCH_EVERY_MS = 60_000;

/** Makes a token; the returned `token` is the only time the secret is seen. */
export async function createApiToken(
	db: Db,
	memberId: string,
	nameInput: string,
	now = new Date()
): Promise<ApiTokenSummary & { token: string }> {
	const name = nameInput.trim().replace(/\s+/g, ' ');
	if (name.length === 0)
		throw new BadRequestError('Give the token a name, such as "laptop script".');
	if (name.length > NAME_MAX) {
		throw new BadRequestError(`A token's name has at most ${NAME_MAX} characters.`);
	}
	const token = newSecret(API_TOKEN_PREFIX);
	const id = randomBytes(9).toString('base64url');
	const createdAt = now.toISOString();
	await insertApiToken(db, { id, memberId, name, tokenHash: hashSecret(token), createdAt });
	return { id, name, createdAt, lastUsedAt: null, token };
}

/** Revokes one of the member's tokens; NotFoundError when they have no such token standing. */
export async function revokeToken(db: Db, memberId: string, id: string, now = new Date()) {
	const revoked = await revokeApiToken(db, { id, memberId, now: now.toISOString() });
	if (!revoked) throw new NotFoundError('There is no such token, or it was revoked already.');
}

/** The member a bearer token signs in; undefined for a malformed, unknown or revoked token, or a banned member. */
export async function resolveApiToken(
	db: Db,
	token: string,
	now = new Date()
): Promise<Member | undefined> {
	if (!looksLikeSecret(token, API_TOKEN_PREFIX)) return undefined;
	const found = await findApiTokenMember(db, hashSecret(token));
	if (!found || found.member.status !== 'active') return undefined;
	if (!found.lastUsedAt || now.getTime() - Date.parse(found.lastUsedAt) > TOUCH_EVERY_MS) {
		await touchApiToken(db, found.tokenId, now.toISOString());
	}
	return toMember(found.member);
}
