import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '$support/databases';
import { addMembers } from '$support/fixtures';
import { BadRequestError, NotFoundError } from '../errors';
import { banMember } from '../members/member.service';
import { createApiToken, listApiTokens, resolveApiToken, revokeToken } from './api-token.service';
import { hashSecret } from './secret-token';

describeEachDialect('API tokens', (get) => {
	beforeAll(async () => {
		await addMembers(get().store.db, ['ada', 'alan', 'eve']);
	});

	it('is shown once, stored hashed, and signs its member in until revoked', async () => {
		const { db } = get().store;
		const made = await createApiToken(db, 'ada', '  laptop   script ');
		expect(made.name).toBe('laptop script');
		expect(made.token).toMatch(/^dp_[A-Za-z0-9_-]{43}$/);
		const stored = await db
			.selectFrom('api_tokens')
			.selectAll()
			.where('id', '=', made.id)
			.executeTakeFirstOrThrow();
		expect(stored.token_hash).toBe(hashSecret(made.token));
		expect(JSON.stringify(stored)).not.toContain(made.token);
		expect(await resolveApiToken(db, made.token)).toMatchObject({ id: 'ada', username: 'ada' });
		expect((await listApiTokens(db, 'ada')).map((t) => t.id)).toEqual([made.id]);
		expect(JSON.stringify(await listApiTokens(db, 'ada'))).not.toContain(made.token);

		await revokeToken(db, 'ada', made.id);
		expect(await resolveApiToken(db, made.token)).toBeUndefined();
		expect(await listApiTokens(db, 'ada')).toEqual([]);
		await expect(revokeToken(db, 'ada', made.id)).rejects.toBeInstanceOf(NotFoundError);
	});

	it('cannot be revoked by another member', async () => {
		const { db } = get().store;
		const made = await createApiToken(db, 'alan', 'ci');
		await expect(revokeToken(db, 'ada', made.id)).rejects.toBeInstanceOf(NotFoundError);
		expect(await resolveApiToken(db, made.token)).toMatchObject({ id: 'alan' });
	});

	it('refuses forged tokens and names that are empty or too long', async () => {
		const { db } = get().store;
		expect(await resolveApiToken(db, `dp_${'A'.repeat(43)}`)).toBeUndefined();
		expect(await resolveApiToken(db, 'not a token')).toBeUndefined();
		await expect(createApiToken(db, 'ada', '   ')).rejects.toBeInstanceOf(BadRequestError);
		await expect(createApiToken(db, 'ada', 'x'.repeat(61))).rejects.toBeInstanceOf(BadRequestError);
	});

	it('stops working when its member is banned', async () => {
		const { db } = get().store;
		const made = await createApiToken(db, 'eve', 'scraper');
		await banMember(db, 'eve');
		expect(await resolveApiToken(db, made.token)).toBeUndefined();
	});

	it('records when it was last used', async () => {
		const { db } = get().store;
		const made = await createApiToken(db, 'ada', 'cron', new Date('2030-01-01T00:00:00Z'));
		await resolveApiToken(db, made.token, new Date('2030-01-02T00:00:00Z'));
		const [listed] = (await listApiTokens(db, 'ada')).filter((t) => t.id === made.id);
		expect(listed.lastUsedAt).toBe('2030-01-02T00:00:00.000Z');
	});
});
