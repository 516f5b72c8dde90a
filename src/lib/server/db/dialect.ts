/** Which SQL dialect a Kysely instance speaks, for the few places where they differ. */
import { SqliteAdapter, type Kysely } from 'kysely';

/** True when the instance talks to SQLite. */
export function isSqlite<DB>(db: Kysely<DB>): boolean {
	return db.getExecutor().adapter instanceof SqliteAdapter;
}
