/**
 * The guards routes call before acting for someone. They read only what
 * `hooks.server.ts` resolved into `locals`, never a cookie.
 */
import { hasRole, isSuspended, type Member, type Role } from '$lib/core/member';
import { ForbiddenError, UnauthorizedError } from '../errors';

/** The part of `event.locals` the guards read. */
export interface WhoIsAsking {
	member: Member | null;
}

/** The signed-in member; UnauthorizedError (401) when nobody is signed in. */
export function requireMember(locals: WhoIsAsking): Member {
	if (!locals.member) throw new UnauthorizedError();
	return locals.member;
}

/**
 * The signed-in member if their role is at least `role` (member < moderator < admin);
 * UnauthorizedError when nobody is signed in, ForbiddenError when the role is too low.
 */
export function requireRole(locals: WhoIsAsking, role: Role): Member {
	const member = requireMember(locals);
	if (!hasRole(member.role, role))
		throw new ForbiddenError(`Only ${role === 'admin' ? 'an' : 'a'} ${role} may do this.`);
	return member;
}

/**
 * The signed-in member if they may write (comment, vote, submit, flag): 401 when nobody
 * is signed in, 403 with the date while a moderator's suspension lasts.
 */
export function requireWriter(locals: WhoIsAsking, now = new Date()): Member {
	const member = requireMember(locals);
	if (isSuspended(member, now)) {
		throw new ForbiddenError(
			`Your account is suspended until ${member.suspendedUntil?.slice(0, 10)}: you can read, but not post, vote or submit.`
		);
	}
	return member;
}
