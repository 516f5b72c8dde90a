import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '$support/databases';
import { createDb } from './create-db';

/**
 * Another process's write: its own better-sqlite3 connection moving the `seq` counter,
 * waiting for the write lock up to 10 s as ours do. Resolves with its exit status.
 */
function writeFromAnotherProcess(file: string): Promise<{ status: number; stderr: string }> {
	const script = `
		const Database = require('better-sqlite3');
		const db = new Database(${JSON.stringify(file)}, { timeout: 10000 });
		db.prepare("update counters set value = value + 1000 where name = 'papers'").run();
		db.close();`;
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
		let stderr = '';
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.once('error', reject);
		child.once('close', (code) => resolve({ status: code ?? -1, stderr }));
	});
}

describe('createDb [sqlite]', () => {
	it('a transaction that reads and then writes waits for another process instead of failing', async () => {
		const database = await createTestDatabase('sqlite');
		const file = database.env.DP_DB_PATH;
		const store = createDb({ kind: 'sqlite', path: file });
		try {
			let other: Promise<{ status: number; stderr: string }> | undefined;
			const committed = await store.db.transaction().execute(async (trx) => {
				// Read first, as savePapers does (the stored rows, then the counter).
				const before = await sql<{
					value: number;
				}>`select value from counters where name = 'papers'`.execute(trx);
				other = writeFromAnotherProcess(file);
				// Give the other process time to write. With a deferred `begin` it commits now,
				// and our first write below failed at once with "database is locked" (SQLite
				// cannot let a reader whose snapshot is stale become the writer); with `begin
				// immediate` it waits for our commit instead.
				await Promise.race([other, new Promise((resolve) => setTimeout(resolve, 1_500))]);
				await sql`update counters set value = value + 1 where name = 'papers'`.execute(trx);
				return Number(before.rows[0].value);
			});
			const otherResult = await other!;
			expect(otherResult.status, otherResult.stderr).toBe(0);
			const after = await sql<{
				value: number;
			}>`select value from counters where name = 'papers'`.execute(store.db);
			expect(Number(after.rows[0].value)).toBe(committed + 1 + 1000);
		} finally {
			await store.close();
			await database.drop();
		}
	});
});
