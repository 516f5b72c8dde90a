/** Which SQL dialect a Kysely instance speaks, for the few places where they differ. */
import { SqliteAdapter, type Kysely } from 'kysely';

/** True when the instance (of any database type, or a transaction) talks to SQLite. */
export function isSqlite(db: Pick<Kysely<unknown>, 'getExecutor'>): boolean {
	return db.getExecutor().adapter instanceof SqliteAdapter;
}
