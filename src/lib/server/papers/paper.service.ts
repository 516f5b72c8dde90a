/**
 * The write path every importer and member action shares: merge incoming
 * records with the stored ones, write only real changes (each with a fresh
 * change-feed `seq`), and record daily picks — all in one transaction.
 */
import { mergePaper, samePaper } from '$lib/core/paper-merge';
import type { DailyPickRecord, PaperRecord } from '$lib/core/paper';
import type { Db } from '../db/create-db';
import { saveCheckpoint } from '../ingest/import-checkpoint.repository';
import { insertPicks } from './daily-pick.repository';
import { AuthorIdCache, findPapers, reserveSeq, writePapers } from './paper.repository';

export interface SaveResult {
	inserted: number;
	updated: number;
	unchanged: number;
	picksAdded: number;
}

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

	const saving = db.transaction().execute(async (trx) => {
		const existing = await findPapers(trx, [...incoming.keys()]);
		const changed: { paper: PaperRecord; isNew: boolean }[] = [];
		let unchanged = 0;
		for (const record of incoming.values()) {
			const stored = existing.get(record.id);
			const merged = mergePaper(stored, record);
			if (stored && samePaper(stored, merged)) unchanged += 1;
			else changed.push({ paper: merged, isNew: !stored });
		}
		if (changed.length > 0) {
			const first = await reserveSeq(trx, changed.length);
			await writePapers(
				trx,
				changed.map((c, i) => ({ ...c, seq: first + i })),
				now.toISOString(),
				authorIds
			);
		}
		const picksAdded = await insertPicks(trx, picks);
		if (checkpoint) await saveCheckpoint(trx, checkpoint.name, checkpoint.value, now);
		const inserted = changed.filter((c) => c.isNew).length;
		return { inserted, updated: changed.length - inserted, unchanged, picksAdded };
	});
	try {
		const result = await saving;
		authorIds.commit();
		return result;
	} catch (error) {
		authorIds.rollback();
		throw error;
	}
}
