import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '$support/databases';
import { addMembers } from '$support/fixtures';
import { banMember } from '../members/member.service';
import { hashSecret } from './secret-token';
import {
	endAllSessions,
	endSession,
	resolveSession,
	SESSION_DAYS,
	startSession
} from './session.service';

const DAY_MS = 86_400_000;

describeEachDialect('sessions', (get) => {
	beforeAll(async () => {
		await addMembers(get().store.db, ['ada', 'alan', 'grace']);
	});

	it('signs the member in from the cookie, and stores only the hash of its secret', async () => {
		const { db } = get().store;
		const { token } = await startSession(db, 'ada', { userAgent: 'test' });
		expect(await resolveSession(db, token)).toMatchObject({
			member: { id: 'ada', username: 'ada', role: 'member' }
		});
		const rows = await db.selectFrom('sessions').select('token_hash').execute();
		expect(rows.map((r) => r.token_hash)).toContain(hashSecret(token));
		expect(rows.map((r) => r.token_hash)).not.toContain(token);
	});

	it('signs nobody in with a forged, malformed or expired cookie', async () => {
		const { db } = get().store;
		const started = new Date('2024-01-01T00:00:00Z');
		const { token } = await startSession(db, 'ada', { now: started });
		expect(await resolveSession(db, 'x'.repeat(43))).toBeUndefined();
		expect(await resolveSession(db, "' or 1=1 --")).toBeUndefined();
		expect(
			await resolveSession(db, token, new Date(started.getTime() + SESSION_DAYS * DAY_MS + 1))
		).toBeUndefined();
	});

	it('extends a session used in its second half, and not one used early', async () => {
		const { db } = get().store;
		const started = new Date('2030-01-01T00:00:00Z');
		const { token } = await startSession(db, 'alan', { now: started });
		const early = await resolveSession(db, token, new Date(started.getTime() + DAY_MS));
		expect(early?.renewed).toBeUndefined();
		const late = new Date(started.getTime() + 20 * DAY_MS);
		const renewed = await resolveSession(db, token, late);
		expect(renewed?.renewed?.expiresAt.getTime()).toBe(late.getTime() + SESSION_DAYS * DAY_MS);
		// Past the first expiry, the extended session still signs in.
		expect(
			await resolveSession(db, token, new Date(started.getTime() + 31 * DAY_MS))
		).toBeDefined();
	});

	it('signs out one device, or every device', async () => {
		const { db } = get().store;
		const laptop = await startSession(db, 'grace');
		const phone = await startSession(db, 'grace');
		const other = await startSession(db, 'alan');
		await endSession(db, laptop.token);
		expect(await resolveSession(db, laptop.token)).toBeUndefined();
		expect(await resolveSession(db, phone.token)).toBeDefined();
		const tablet = await startSession(db, 'grace');
		expect(await endAllSessions(db, 'grace')).toBe(2);
		expect(await resolveSession(db, phone.token)).toBeUndefined();
		expect(await resolveSession(db, tablet.token)).toBeUndefined();
		expect(await resolveSession(db, other.token)).toBeDefined();
	});

	it("ends a banned member's sessions, and an old cookie signs nobody in", async () => {
		const { db } = get().store;
		await addMembers(db, ['mallory']);
		const { token } = await startSession(db, 'mallory');
		await banMember(db, 'mallory');
		expect(await resolveSession(db, token)).toBeUndefined();
		const left = await db
			.selectFrom('sessions')
			.select('token_hash')
			.where('member_id', '=', 'mallory')
			.execute();
		expect(left).toEqual([]);
	});
});
