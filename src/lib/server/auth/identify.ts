/**
 * Works out who is asking, once per request (hooks.server.ts): a session cookie
 * from a browser, or `Authorization: Bearer dp_…` from a script. Routes read the
 * answer from `locals.member` only.
 */
import type { Cookies } from '@sveltejs/kit';
import type { Member } from '$lib/core/member';
import type { Db } from '../db/create-db';
import { UnauthorizedError } from '../errors';
import type { RateLimits } from '../http/rate-limit';
import { resolveApiToken } from './api-token.service';
import { hashSecret } from './secret-token';
import { endAllSessions, endSession, resolveSession, type SessionCookie } from './session.service';

/** The session cookie's name. */
export const SESSION_COOKIE = 'dp_session';

/** The session cookie's attributes: HttpOnly, SameSite=Lax, Secure when the site is served over https. */
export function sessionCookieOptions(publicUrl: string, expires: Date) {
	return {
		path: '/',
		httpOnly: true,
		sameSite: 'lax' as const,
		secure: publicUrl.startsWith('https:'),
		expires
	};
}

/** Sets the session cookie on a response (signing in, or a session extended). */
export function setSessionCookie(
	cookies: Cookies,
	publicUrl: string,
	session: SessionCookie
): void {
	cookies.set(SESSION_COOKIE, session.token, sessionCookieOptions(publicUrl, session.expiresAt));
}

export function clearSessionCookie(cookies: Cookies, publicUrl: string): void {
	cookies.delete(SESSION_COOKIE, { ...sessionCookieOptions(publicUrl, new Date(0)) });
}

/** Which sessions signing out ends: this browser's, or every one of the member's. */
export type SignOutScope = 'this' | 'all';

/**
 * Signs a browser out (its session cookie's session, or with `all` every session of
 * `member`) and removes the cookie; a browser that is not signed in only loses the cookie.
 */
export async function signOut(
	db: Db,
	request: { cookies: Cookies; publicUrl: string; member: Member | null },
	scope: SignOutScope
): Promise<void> {
	const token = request.cookies.get(SESSION_COOKIE);
	if (scope === 'all' && request.member) await endAllSessions(db, request.member.id);
	else if (token) await endSession(db, token);
	clearSessionCookie(request.cookies, request.publicUrl);
}

/**
 * The member a request speaks for, or null. A bearer token that is malformed,
 * unknown or revoked is an error (401), not an anonymous request: a script should
 * learn at once that its token no longer works. A stale session cookie is only
 * removed: the reader is simply signed out.
 */
export async function identify(
	db: Db,
	limits: RateLimits,
	request: { headers: Headers; cookies: Cookies; publicUrl: string }
): Promise<Member | null> {
	const authorization = request.headers.get('authorization');
	if (authorization !== null) {
		const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
		if (!match) {
			throw new UnauthorizedError(
				'The Authorization header must be "Bearer" followed by an API token from your settings.'
			);
		}
		const member = await resolveApiToken(db, match[1]);
		if (!member) {
			throw new UnauthorizedError(
				'This API token is not valid: it was revoked, or it never existed. Make a new one in your settings.'
			);
		}
		await limits.consume('api-token', hashSecret(match[1]));
		return member;
	}
	const token = request.cookies.get(SESSION_COOKIE);
	if (!token) return null;
	const session = await resolveSession(db, token);
	if (!session) {
		clearSessionCookie(request.cookies, request.publicUrl);
		return null;
	}
	if (session.renewed) setSessionCookie(request.cookies, request.publicUrl, session.renewed);
	return session.member;
}
