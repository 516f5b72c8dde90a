/**
 * The write path every importer and member action shares: merge incoming
 * records with the stored ones, write only real changes (each with a fresh
 * change-feed `seq`), and record daily picks — all in one transaction.
 */
import { mergePaper } from '$lib/core/paper-merge';
import type { DailyPickRecord, PaperRecord } from '$lib/core/paper';
import type { Db } from '../db/create-db';
import { AuthorIdCache, countRows } from './paper.repository';
import { saveWithin } from './paper.kysely-writer';
import { paperWriterFor, type SaveResult } from './paper.writer';

export type { SaveResult } from './paper.writer';

export interface SaveOptions {
	/** Daily picks to record with the papers. */
	picks?: DailyPickRecord[];
	now?: Date;
	/** Author ids learned by earlier batches of the same import. */
	authorIds?: AuthorIdCache;
	/**
	 * Where a long import stands after this batch, stored in the same transaction so
	 * that a crash leaves the batch and its resume point both written or both not.
	 */
	checkpoint?: { name: string; value: string };
}

/**
 * Saves a batch of papers and picks atomically: either all of it is stored or,
 * on any error, none of it. Re-saving identical input changes nothing.
 */
export async function savePapers(
	db: Db,
	records: PaperRecord[],
	options: SaveOptions = {}
): Promise<SaveResult> {
	const { picks = [], now = new Date(), authorIds = new AuthorIdCache(), checkpoint } = options;
	// Within one batch the same paper may come twice (HF lists a paper on two days).
	const incoming = new Map<string, PaperRecord>();
	for (const record of records)
		incoming.set(record.id, mergePaper(incoming.get(record.id), record));

	// Which SQL runs (SQLite bulk statements or Kysely) is the writer's business.
	const request = { incoming, picks, now, authorIds, checkpoint };
	try {
		const result = await paperWriterFor(db, request).save(request);
		authorIds.commit();
		return result;
	} catch (error) {
		authorIds.rollback();
		throw error;
	}
}

/**
 * Saves papers inside a transaction the caller holds, after it has taken the
 * change-feed counter's lock (`lockSeqCounter`): the papers commit or roll back
 * with the caller's other writes (a submitted paper with its pick and vote).
 */
export async function savePapersWithin(
	trx: Db,
	records: PaperRecord[],
	now: Date
): Promise<SaveResult> {
	const incoming = new Map<string, PaperRecord>();
	for (const record of records)
		incoming.set(record.id, mergePaper(incoming.get(record.id), record));
	// Author ids learned here are not shared: the caller's transaction may still roll back.
	return saveWithin(trx, { incoming, picks: [], now, authorIds: new AuthorIdCache() });
}

/** How many papers the store holds (for the CLI's index commands). */
export async function countPapers(db: Db): Promise<number> {
	return (await countRows(db)).papers;
}
