import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { createTestDatabase, describePostgres } from '../../../../tests/support/databases';
import { pendingMigrations } from './create-db';

describePostgres('migrating one schema among several', (get) => {
	it('migrates a fresh schema while another schema of the database is already migrated', async () => {
		// get() is the migrated neighbour whose bookkeeping tables Kysely must not mistake for ours.
		expect(await pendingMigrations(get().store.db)).toEqual([]);
		const fresh = await createTestDatabase('postgres');
		try {
			expect(await pendingMigrations(fresh.store.db)).toEqual([]);
			const { rows } = await sql<{ tables: string }>`
				select count(*) as tables from information_schema.tables
				where table_schema = current_schema() and table_name like 'kysely_migration%'
			`.execute(fresh.store.db);
			expect(Number(rows[0].tables)).toBe(2);
		} finally {
			await fresh.drop();
		}
	});
});
