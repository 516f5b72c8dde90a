/**
 * The one seam between the paper write path and the SQL dialect: savePapers
 * prepares a request and hands it to a writer; the factory below picks the
 * SQLite bulk writer (prepared statements, synchronous) or the Kysely writer
 * (both dialects). Both run the same change plan (paper.change-plan.ts).
 */
import type { DailyPickRecord, PaperRecord } from '$lib/core/paper';
import { sqliteConnection, type Db } from '../db/create-db';
import { KyselyPaperWriter } from './paper.kysely-writer';
import type { AuthorIdCache } from './paper.repository';
import { SqliteBulkPaperWriter } from './paper.sqlite-bulk';

export interface SaveResult {
	inserted: number;
	updated: number;
	unchanged: number;
	picksAdded: number;
}

/** One batch to save, already merged within itself (one record per id). */
export interface PaperSaveRequest {
	incoming: Map<string, PaperRecord>;
	picks: DailyPickRecord[];
	now: Date;
	authorIds: AuthorIdCache;
	checkpoint?: { name: string; value: string };
}

/** Saves a batch in one transaction: merged papers with fresh `seq`s, picks and checkpoint. */
export interface PaperWriter {
	save(request: PaperSaveRequest): Promise<SaveResult>;
}

/**
 * The writer for one save. On SQLite the bulk writer, except inside a
 * transaction someone else holds on the connection (its synchronous statements
 * would silently join it) and for batches with picks, which keep the general
 * path; everywhere else the Kysely writer.
 */
export function paperWriterFor(db: Db, request: PaperSaveRequest): PaperWriter {
	const connection = sqliteConnection(db);
	if (connection && !connection.inTransaction && request.picks.length === 0)
		return new SqliteBulkPaperWriter(connection);
	return new KyselyPaperWriter(db);
}
