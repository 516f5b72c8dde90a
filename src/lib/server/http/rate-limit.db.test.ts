import { expect, it } from 'vitest';
import { describeEachDialect } from '$support/databases';
import { createDb } from '../db/create-db';
import { TooManyRequestsError } from '../errors';
import { createRateLimits, RATE_LIMITS } from './rate-limit';

describeEachDialect('rate limits in the store', (get) => {
	it('answers 429 with Retry-After past the limit, per key', async () => {
		const limits = createRateLimits(get().store);
		const { points } = RATE_LIMITS['signin-address'];
		for (let i = 0; i < points; i++) await limits.consume('signin-address', 'ada@example.org');
		const refused = await limits.consume('signin-address', 'ada@example.org').catch((e) => e);
		expect(refused).toBeInstanceOf(TooManyRequestsError);
		expect(refused.status).toBe(429);
		expect(refused.retryAfterSeconds).toBeGreaterThan(0);
		expect(refused.retryAfterSeconds).toBeLessThanOrEqual(RATE_LIMITS['signin-address'].duration);
		expect(refused.message).toMatch(
			/^Too many sign-in links for this address; try again in \d+ minutes?\.$/
		);
		// Another address, and another limit on the same key, are counted apart.
		await limits.consume('signin-address', 'alan@example.org');
		await limits.consume('signin-ip', 'ada@example.org');
	});

	it('is shared by every node on the same store (two connections count together)', async () => {
		const database = get();
		// A second store on the same database: what a second app node has.
		const second = createDb(
			database.kind === 'sqlite'
				? { kind: 'sqlite', path: database.env.DP_DB_PATH }
				: { kind: 'postgres', url: database.env.DATABASE_URL }
		);
		try {
			const nodeA = createRateLimits(database.store);
			const nodeB = createRateLimits(second);
			const { points } = RATE_LIMITS['token-create'];
			const attempts = Array.from({ length: points + 4 }, (_, i) =>
				(i % 2 ? nodeA : nodeB).consume('token-create', 'member-1').then(
					() => 'ok',
					(e: unknown) => (e instanceof TooManyRequestsError ? 'refused' : Promise.reject(e))
				)
			);
			const outcomes = await Promise.all(attempts);
			expect(outcomes.filter((o) => o === 'ok')).toHaveLength(points);
			expect(outcomes.filter((o) => o === 'refused')).toHaveLength(4);
		} finally {
			await second.close();
		}
	});
});
