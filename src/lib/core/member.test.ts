import { describe, expect, it } from 'vitest';
import {
	checkDisplayName,
	checkUsername,
	hasRole,
	normalizeEmail,
	usernameFromEmail
} from './member';

describe('usernames', () => {
	it('takes ASCII letters, digits, - and _, and keeps the case chosen', () => {
		expect(checkUsername(' Ada_Lovelace-1 ')).toEqual({
			ok: true,
			username: 'Ada_Lovelace-1',
			key: 'ada_lovelace-1'
		});
	});

	it.each([
		['a', /2 to 32/],
		['x'.repeat(33), /2 to 32/],
		['x'.repeat(1024), /2 to 32/],
		['аda', /only the letters/], // Cyrillic а
		['ａｄａ', /only the letters/], // full-width
		['ada lovelace', /only the letters/],
		['-ada', /starts and ends/],
		['ada_', /starts and ends/],
		['<script>', /only the letters/],
		['ad\u202ea', /only the letters/],
		['Admin', /reserved/],
		['settings', /reserved/]
	])('refuses %j with a reason', (input, reason) => {
		const check = checkUsername(input);
		expect(check.ok).toBe(false);
		if (!check.ok) expect(check.reason).toMatch(reason);
	});
});

describe('display names', () => {
	it('keeps any script, trimmed, with runs of spaces folded', () => {
		expect(checkDisplayName('  Ada   Lovelace ')).toEqual({
			ok: true,
			displayName: 'Ada Lovelace'
		});
		expect(checkDisplayName('Эмми Нётер')).toEqual({ ok: true, displayName: 'Эмми Нётер' });
	});

	it.each([
		['', /Enter a display name/],
		['   ', /Enter a display name/],
		['x'.repeat(61), /at most 60/],
		['evil\u202eman', /text-direction/],
		['bell\u0007', /control/]
	])('refuses %j', (input, reason) => {
		const check = checkDisplayName(input);
		expect(check.ok).toBe(false);
		if (!check.ok) expect(check.reason).toMatch(reason);
	});
});

describe('addresses and first usernames', () => {
	it('normalizes addresses and refuses what cannot be one', () => {
		expect(normalizeEmail('  Ada@Example.ORG ')).toBe('ada@example.org');
		expect(normalizeEmail('ada@localhost')).toBeUndefined();
		expect(normalizeEmail('not an address')).toBeUndefined();
		expect(normalizeEmail(`${'a'.repeat(250)}@example.org`)).toBeUndefined();
		expect(normalizeEmail('a<b>@example.org')).toBeUndefined();
	});

	it('derives a valid username from the local part', () => {
		expect(usernameFromEmail('ada.lovelace@example.org')).toBe('ada-lovelace');
		expect(checkUsername(usernameFromEmail('a@example.org')).ok).toBe(true);
		expect(checkUsername(usernameFromEmail('admin@example.org')).ok).toBe(true);
		expect(checkUsername(usernameFromEmail('éèê+tag@example.org')).ok).toBe(true);
		expect(checkUsername(usernameFromEmail(`${'x'.repeat(64)}@example.org`)).ok).toBe(true);
	});
});

describe('roles', () => {
	it('orders member < moderator < admin', () => {
		expect(hasRole('admin', 'moderator')).toBe(true);
		expect(hasRole('moderator', 'admin')).toBe(false);
		expect(hasRole('member', 'member')).toBe(true);
	});
});
