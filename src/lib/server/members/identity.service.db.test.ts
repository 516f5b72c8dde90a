import { expect, it } from 'vitest';
import { describeEachDialect } from '$support/databases';
import { addMembers } from '$support/fixtures';
import { ForbiddenError } from '../errors';
import { memberForOutsideIdentity, type OutsideIdentity } from './identity.service';
import { findMemberByIdentity } from './member.repository';
import { banMember } from './member.service';

let counter = 0;
function hfIdentity(overrides: Partial<OutsideIdentity> = {}): OutsideIdentity {
	counter += 1;
	return {
		provider: 'huggingface',
		subject: `sub-${counter}-${Math.random().toString(36).slice(2)}`,
		email: `person${counter}-${Math.random().toString(36).slice(2, 8)}@example.org`,
		emailVerified: true,
		...overrides
	};
}

describeEachDialect('signing in with an outside identity', (get) => {
	it('makes a member on a first sign-in, named as on Hugging Face, and links the identity', async () => {
		const { db } = get().store;
		const name = `hf${Math.random().toString(36).slice(2, 10)}`;
		const identity = hfIdentity({ preferredUsername: name, displayName: 'Ada Lovelace' });
		const { member, outcome } = await memberForOutsideIdentity(db, identity);
		expect(outcome).toBe('created');
		expect(member).toMatchObject({ username: name, displayName: 'Ada Lovelace', role: 'member' });
		expect(member.email).toBe(identity.email);
		expect((await findMemberByIdentity(db, identity))?.id).toBe(member.id);
	});

	it('signs the same member in again by the subject, even when the address changed', async () => {
		const { db } = get().store;
		const identity = hfIdentity();
		const first = await memberForOutsideIdentity(db, identity);
		const again = await memberForOutsideIdentity(db, {
			...identity,
			email: 'moved@elsewhere.example',
			emailVerified: false
		});
		expect(again).toMatchObject({ outcome: 'linked-before' });
		expect(again.member.id).toBe(first.member.id);
	});

	it('links to the member who already has the verified address', async () => {
		const { db } = get().store;
		await addMembers(db, ['Existing1']);
		const identity = hfIdentity({ email: 'EXISTING1@example.org', preferredUsername: 'other' });
		const { member, outcome } = await memberForOutsideIdentity(db, identity);
		expect(outcome).toBe('linked-by-email');
		expect(member).toMatchObject({ id: 'Existing1', username: 'Existing1' });
		expect((await findMemberByIdentity(db, identity))?.id).toBe('Existing1');
	});

	it('keeps the username made from the address when the Hugging Face one is taken or invalid', async () => {
		const { db } = get().store;
		await addMembers(db, ['takenname']);
		const taken = await memberForOutsideIdentity(
			db,
			hfIdentity({ email: 'grace.hopper@example.org', preferredUsername: 'TakenName' })
		);
		expect(taken.member.username).toBe('grace-hopper');
		const hostile = await memberForOutsideIdentity(
			db,
			hfIdentity({ email: 'alan.turing@example.org', preferredUsername: 'аdmin\u202e' })
		);
		expect(hostile.member.username).toBe('alan-turing');
	});

	it('refuses an identity without a verified address, and writes nothing', async () => {
		const { db } = get().store;
		const unverified = hfIdentity({ emailVerified: false });
		await expect(memberForOutsideIdentity(db, unverified)).rejects.toThrow(ForbiddenError);
		await expect(memberForOutsideIdentity(db, unverified)).rejects.toThrow(/verified e-mail/);
		const none = hfIdentity({ email: undefined });
		await expect(memberForOutsideIdentity(db, none)).rejects.toThrow(ForbiddenError);
		expect(await findMemberByIdentity(db, unverified)).toBeUndefined();
		expect(await findMemberByIdentity(db, none)).toBeUndefined();
	});

	it('refuses a banned member, whether linked before or found by address', async () => {
		const { db } = get().store;
		const linked = hfIdentity();
		const { member } = await memberForOutsideIdentity(db, linked);
		await banMember(db, member.username);
		await expect(memberForOutsideIdentity(db, linked)).rejects.toThrow(/banned/);

		await addMembers(db, ['Banned2']);
		await banMember(db, 'Banned2');
		const byEmail = hfIdentity({ email: 'banned2@example.org' });
		await expect(memberForOutsideIdentity(db, byEmail)).rejects.toThrow(ForbiddenError);
		expect(await findMemberByIdentity(db, byEmail)).toBeUndefined();
	});

	it('links one member when the same first sign-in arrives twice at once', async () => {
		const { db } = get().store;
		const identity = hfIdentity();
		const results = await Promise.all([
			memberForOutsideIdentity(db, identity),
			memberForOutsideIdentity(db, identity)
		]);
		expect(results[0].member.id).toBe(results[1].member.id);
		expect((await findMemberByIdentity(db, identity))?.id).toBe(results[0].member.id);
	});
});
