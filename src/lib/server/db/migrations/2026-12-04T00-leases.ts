/**
 * Background jobs get tables of their own: `leases` (one holder per job across
 * the nodes sharing a store; until now a lease was an import_checkpoints row
 * `lease:<job>` holding JSON) and `job_runs` (the last schedule slot each job
 * ran for, and how its last run went), so a daily job runs once per slot however
 * many nodes schedule it.
 */
import { sql, type Kysely } from 'kysely';

/** The harvest lease was named after its source; it is named after its job now. */
const RENAMED_LEASES: Record<string, string> = { 'arxiv-oai': 'arxiv-harvest' };

export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.createTable('leases')
		.addColumn('name', 'text', (c) => c.primaryKey())
		.addColumn('holder', 'text', (c) => c.notNull())
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addColumn('acquired_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createTable('job_runs')
		.addColumn('name', 'text', (c) => c.primaryKey())
		.addColumn('last_slot', 'text')
		.addColumn('node', 'text')
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('started_at', 'text')
		.addColumn('finished_at', 'text')
		.addColumn('error', 'text')
		.execute();

	const { rows } = await sql<{ name: string; value: string; updated_at: string }>`
		select name, value, updated_at from import_checkpoints where name like 'lease:%'
	`.execute(db);
	for (const row of rows) {
		const job = row.name.slice('lease:'.length);
		let lease: { holder?: unknown; until?: unknown } = {};
		try {
			lease = JSON.parse(row.value) as typeof lease;
		} catch {
			// An unreadable lease protects nothing: it is dropped below.
		}
		if (typeof lease.holder === 'string' && typeof lease.until === 'string') {
			await sql`
				insert into leases (name, holder, expires_at, acquired_at)
				values (${RENAMED_LEASES[job] ?? job}, ${lease.holder}, ${lease.until}, ${row.updated_at})
			`.execute(db);
		}
	}
	await sql`delete from import_checkpoints where name like 'lease:%'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	const { rows } = await sql<{
		name: string;
		holder: string;
		expires_at: string;
		acquired_at: string;
	}>`
		select name, holder, expires_at, acquired_at from leases
	`.execute(db);
	const originalName = Object.fromEntries(
		Object.entries(RENAMED_LEASES).map(([before, after]) => [after, before])
	);
	for (const row of rows) {
		const value = JSON.stringify({ holder: row.holder, until: row.expires_at });
		await sql`
			insert into import_checkpoints (name, value, updated_at)
			values (${`lease:${originalName[row.name] ?? row.name}`}, ${value}, ${row.acquired_at})
		`.execute(db);
	}
	await db.schema.dropTable('job_runs').execute();
	await db.schema.dropTable('leases').execute();
}
