import { expect, it } from 'vitest';
import { freePort } from '$support/app-server';
import { createDb } from '../db/create-db';
import { ServiceUnavailableError } from '../errors';
import { createRateLimits } from './rate-limit';

it('answers 503 (not a 500) when the limiter cannot reach PostgreSQL', async () => {
	// Nothing listens on this port: the limiter's own pool query fails to connect.
	const port = await freePort();
	const store = createDb({ kind: 'postgres', url: `postgres://postgres@127.0.0.1:${port}/none` });
	try {
		const attempt = createRateLimits(store).consume('vote', 'member-1');
		await expect(attempt).rejects.toBeInstanceOf(ServiceUnavailableError);
	} finally {
		await store.close();
	}
});
