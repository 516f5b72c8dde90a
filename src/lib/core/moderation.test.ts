import { describe, expect, it } from 'vitest';
import { checkFlagReason, checkSuspensionDays, isFlagKind, suspensionEnd } from './moderation';

describe('flag reasons', () => {
	it('trims a reason and keeps it', () => {
		expect(checkFlagReason('  spam \n')).toEqual({ ok: true, reason: 'spam' });
		expect(checkFlagReason('x'.repeat(1000))).toMatchObject({ ok: true });
	});

	it('refuses an empty or over-long reason with a sentence', () => {
		expect(checkFlagReason(' \t ')).toMatchObject({ ok: false, problem: /Say why/ });
		expect(checkFlagReason('x'.repeat(1001))).toMatchObject({
			ok: false,
			problem: 'A reason is at most 1,000 characters; this one has 1,001.'
		});
	});

	it('knows only comments and papers as flaggable', () => {
		expect(['comment', 'paper', 'member', '', null].map(isFlagKind)).toEqual([
			true,
			true,
			false,
			false,
			false
		]);
	});
});

describe('suspensions', () => {
	it('lasts whole days from 1 to 365', () => {
		expect(checkSuspensionDays('7')).toEqual({ ok: true, days: 7 });
		expect(checkSuspensionDays(365)).toEqual({ ok: true, days: 365 });
		for (const bad of ['0', '366', '1.5', '-1', 'soon', '', ' ', '1e2', '0x10'])
			expect(checkSuspensionDays(bad)).toMatchObject({ ok: false });
	});

	it('ends that many days of 24 hours later', () => {
		expect(suspensionEnd(new Date('2030-02-27T12:00:00.000Z'), 2)).toBe('2030-03-01T12:00:00.000Z');
	});
});
