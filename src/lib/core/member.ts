/** Who a signed-in reader is, and what their role lets them do. Shared by server and components. */

/** Roles from least to most trusted; each may do what the ones before it may. */
export const ROLES = ['member', 'moderator', 'admin'] as const;

export type Role = (typeof ROLES)[number];

/** A signed-in member as requests and pages see them. */
export interface Member {
	id: string;
	username: string;
	displayName: string;
	role: Role;
	/** Set while a moderator's suspension lasts (ISO time): the member may read but not write. */
	suspendedUntil?: string;
}

/** Whether a member is suspended at `now` (may read, may not write). */
export function isSuspended(member: Pick<Member, 'suspendedUntil'>, now = new Date()): boolean {
	return member.suspendedUntil !== undefined && member.suspendedUntil > now.toISOString();
}

/** Whether `role` is at least `needed` in the order member < moderator < admin. */
export function hasRole(role: Role, needed: Role): boolean {
	return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** `active`, or `banned`: a banned member cannot sign in and their sessions are ended. */
export const MEMBER_STATUSES = ['active', 'banned'] as const;

export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** Whether `text` names a role. */
export function isRole(text: string): text is Role {
	return (ROLES as readonly string[]).includes(text);
}

export const USERNAME_MIN = 2;
export const USERNAME_MAX = 32;
export const DISPLAY_NAME_MAX = 60;

// ASCII only: a username is read and typed by others, and Unicode look-alikes
// ("аda" with a Cyrillic а) would let one member pass for another.
const USERNAME_SHAPE = /^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$/;

/** Names that are parts of the site's own addresses, or that would pass for staff. */
const RESERVED_USERNAMES = new Set([
	'admin',
	'administrator',
	'api',
	'about',
	'auth',
	'dailypapers',
	'daily-papers',
	'help',
	'login',
	'logout',
	'me',
	'mod',
	'moderator',
	'new',
	'papers',
	'root',
	'search',
	'settings',
	'signin',
	'signout',
	'staff',
	'submit',
	'support',
	'system',
	'trending',
	'u'
]);

/** A username as stored, or the sentence saying why `input` cannot be one. */
export type UsernameCheck =
	{ ok: true; username: string; key: string } | { ok: false; reason: string };

/** Checks a username a member chose: 2–32 ASCII letters, digits, `-` and `_`, not reserved. */
export function checkUsername(input: string): UsernameCheck {
	const username = input.trim();
	if (username.length < USERNAME_MIN || username.length > USERNAME_MAX) {
		return {
			ok: false,
			reason: `A username has ${USERNAME_MIN} to ${USERNAME_MAX} characters.`
		};
	}
	if (!USERNAME_SHAPE.test(username)) {
		return {
			ok: false,
			reason:
				'A username uses only the letters a–z and A–Z, digits, "-" and "_", and starts and ends with a letter or digit.'
		};
	}
	const key = usernameKey(username);
	if (RESERVED_USERNAMES.has(key)) {
		return { ok: false, reason: `"${username}" is reserved; choose another username.` };
	}
	return { ok: true, username, key };
}

/** The form of a username that must be unique: lower-cased. */
export function usernameKey(username: string): string {
	return username.toLowerCase();
}

// Control characters, and bidirectional overrides/isolates that could make a name
// read backwards or hide what follows it.
// eslint-disable-next-line no-control-regex
const HOSTILE_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** A display name as stored, or the sentence saying why `input` cannot be one. */
export type DisplayNameCheck = { ok: true; displayName: string } | { ok: false; reason: string };

/** Checks a display name: 1–60 characters after trimming, no control or direction-override characters. */
export function checkDisplayName(input: string): DisplayNameCheck {
	const displayName = input.normalize('NFC').trim().replace(/\s+/g, ' ');
	if (displayName.length === 0) return { ok: false, reason: 'Enter a display name.' };
	if ([...displayName].length > DISPLAY_NAME_MAX) {
		return { ok: false, reason: `A display name has at most ${DISPLAY_NAME_MAX} characters.` };
	}
	if (HOSTILE_IN_NAMES.test(displayName)) {
		return {
			ok: false,
			reason: 'A display name cannot contain control or text-direction characters.'
		};
	}
	return { ok: true, displayName };
}

/**
 * A first username for a new member, from the local part of their address
 * (`ada.lovelace@…` → `ada-lovelace`); the caller adds digits if it is taken.
 */
export function usernameFromEmail(email: string): string {
	const local = email.split('@')[0] ?? '';
	const base = local
		.normalize('NFKD')
		.replace(/[^A-Za-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, USERNAME_MAX - 6);
	const candidate = base.length >= USERNAME_MIN ? base : `member-${base}`.replace(/-+$/, '');
	return checkUsername(candidate).ok ? candidate : `${candidate}-1`;
}

const EMAIL_SHAPE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/** An address as stored (trimmed, lower-cased), or undefined when it cannot be one. */
export function normalizeEmail(input: string): string | undefined {
	const email = input.trim().toLowerCase();
	return email.length <= 254 && EMAIL_SHAPE.test(email) ? email : undefined;
}
