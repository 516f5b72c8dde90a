import { describe, expect, it } from 'vitest';
import type { Member, Role } from '$lib/core/member';
import { ForbiddenError, UnauthorizedError } from '../errors';
import { requireMember, requireRole, requireWriter } from './guards';

const memberWith = (role: Role): Member => ({
	id: 'm1',
	username: 'ada',
	displayName: 'Ada Lovelace',
	role
});

describe('requireMember', () => {
	it('returns the signed-in member', () => {
		const member = memberWith('member');
		expect(requireMember({ member })).toBe(member);
	});

	it('throws UnauthorizedError when nobody is signed in', () => {
		expect(() => requireMember({ member: null })).toThrow(UnauthorizedError);
	});
});

describe('requireRole', () => {
	it.each([
		['member', 'member'],
		['moderator', 'member'],
		['moderator', 'moderator'],
		['admin', 'moderator'],
		['admin', 'admin']
	] as [Role, Role][])('lets a %s do what a %s may', (has, needed) => {
		expect(requireRole({ member: memberWith(has) }, needed).role).toBe(has);
	});

	it.each([
		['member', 'moderator'],
		['member', 'admin'],
		['moderator', 'admin']
	] as [Role, Role][])('forbids a %s what only a %s may do', (has, needed) => {
		expect(() => requireRole({ member: memberWith(has) }, needed)).toThrow(ForbiddenError);
	});

	it('says which role is needed', () => {
		expect(() => requireRole({ member: memberWith('member') }, 'moderator')).toThrow(
			'Only a moderator may do this.'
		);
		expect(() => requireRole({ member: memberWith('moderator') }, 'admin')).toThrow(
			'Only an admin may do this.'
		);
	});

	it('asks a stranger to sign in before checking any role', () => {
		expect(() => requireRole({ member: null }, 'moderator')).toThrow(UnauthorizedError);
	});
});

describe('requireWriter', () => {
	const member = { id: 'm1', username: 'ada', displayName: 'Ada', role: 'member' as const };
	const now = new Date('2030-01-01T00:00:00Z');

	it('lets an unsuspended member write, and one whose suspension ended', () => {
		expect(requireWriter({ member }, now)).toBe(member);
		const ended = { ...member, suspendedUntil: '2029-12-31T00:00:00.000Z' };
		expect(requireWriter({ member: ended }, now)).toBe(ended);
	});

	it('refuses a suspended member with the date, and nobody with 401', () => {
		const suspended = { ...member, suspendedUntil: '2030-01-08T00:00:00.000Z' };
		expect(() => requireWriter({ member: suspended }, now)).toThrow(ForbiddenError);
		expect(() => requireWriter({ member: suspended }, now)).toThrow(/suspended until 2030-01-08/);
		expect(() => requireWriter({ member: null }, now)).toThrow(UnauthorizedError);
	});
});
