/**
 * The rules of flagging and moderating that need no store: what may be flagged, what a
 * reason and a suspension may be, and the actions the audit log names.
 */

/** What members may flag. */
export const FLAG_KINDS = ['comment', 'paper'] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

export function isFlagKind(value: unknown): value is FlagKind {
	return typeof value === 'string' && (FLAG_KINDS as readonly string[]).includes(value);
}

export const FLAG_REASON_MAX = 1000;
export const SUSPENSION_DAYS_MAX = 365;

/** Every moderator action, as the audit log spells it. */
export const MODERATION_ACTIONS = [
	'hide',
	'unhide',
	'lock',
	'unlock',
	'dismiss-flags',
	'ban',
	'unban',
	'suspend',
	'unsuspend'
] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

/** What an action is done to. */
export type ModerationTargetKind = FlagKind | 'member';

/**
 * A flag's reason, trimmed, or the sentence saying what is wrong with it.
 *
 * @example
 * checkFlagReason('  spam ') // → { ok: true, reason: 'spam' }
 * checkFlagReason('')        // → { ok: false, problem: 'Say why you flag it (…).' }
 */
export function checkFlagReason(
	input: string
): { ok: true; reason: string } | { ok: false; problem: string } {
	const reason = input.trim();
	if (reason === '')
		return { ok: false, problem: 'Say why you flag it, so the moderators know what to look for.' };
	if (reason.length > FLAG_REASON_MAX)
		return {
			ok: false,
			problem: `A reason is at most ${FLAG_REASON_MAX.toLocaleString('en')} characters; this one has ${reason.length.toLocaleString('en')}.`
		};
	return { ok: true, reason };
}

/** A suspension's length in whole days (1 to 365), or the sentence saying what is wrong. */
export function checkSuspensionDays(
	input: string | number
): { ok: true; days: number } | { ok: false; problem: string } {
	const text = String(input).trim();
	const days = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
	if (!Number.isInteger(days) || days < 1 || days > SUSPENSION_DAYS_MAX)
		return {
			ok: false,
			problem: `A suspension lasts a whole number of days from 1 to ${SUSPENSION_DAYS_MAX}.`
		};
	return { ok: true, days };
}

/** When a suspension of `days` days starting `now` ends (ISO 8601). */
export function suspensionEnd(now: Date, days: number): string {
	return new Date(now.getTime() + days * 24 * 60 * 60_000).toISOString();
}
