/**
 * Secondary indexes that a bulk load into an empty SQLite store builds after the
 * rows rather than during them: inserting into them in random key order was the
 * largest cost left at 1M papers, and a sorted build at the end is far cheaper
 * (10.7k → 15.2k records/s at 1M, docs/benchmarks.md). Should a load die before
 * re-creating them, `migrateToLatest` restores them on the next start or import.
 */
import type { Db } from './create-db';

/** Each was created by a migration; the definitions must stay the same as there. */
export const BULK_DEFERRED_INDEXES = [
	{ name: 'paper_authors_author', table: 'paper_authors', column: 'author_id' },
	{ name: 'papers_published_at', table: 'papers', column: 'published_at' }
] as const;

/** Creates any of the deferred indexes that is missing (a no-op when all exist). */
export async function ensureBulkIndexes(db: Db): Promise<void> {
	for (const index of BULK_DEFERRED_INDEXES) {
		await db.schema
			.createIndex(index.name)
			.ifNotExists()
			.on(index.table)
			.column(index.column)
			.execute();
	}
}

/** SQL for a synchronous SQLite connection: drop them before a bulk load. */
export const DROP_BULK_INDEXES_SQL = BULK_DEFERRED_INDEXES.map(
	(index) => `drop index if exists ${index.name};`
).join(' ');

/** SQL for a synchronous SQLite connection: build them again after it. */
export const CREATE_BULK_INDEXES_SQL = BULK_DEFERRED_INDEXES.map(
	(index) => `create index if not exists ${index.name} on ${index.table} (${index.column});`
).join(' ');
