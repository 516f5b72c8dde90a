import { afterAll, expect, it } from 'vitest';
import { createTestDatabase, describeEachDialectKind } from '$support/databases';
import { findStoreId } from './store-meta.repository';

describeEachDialectKind('store identity', (kind) => {
	const drops: (() => Promise<void>)[] = [];
	afterAll(async () => {
		for (const drop of drops) await drop();
	});

	it('gives every migrated store its own id, read back unchanged', async () => {
		const ids = [];
		for (let i = 0; i < 2; i++) {
			const database = await createTestDatabase(kind);
			drops.push(() => database.drop());
			const id = await findStoreId(database.store.db);
			expect(id).toMatch(/^[0-9a-f-]{36}$/);
			expect(await findStoreId(database.store.db)).toBe(id);
			ids.push(id);
		}
		expect(ids[0]).not.toBe(ids[1]);
	});
});
