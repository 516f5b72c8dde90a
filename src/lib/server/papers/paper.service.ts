/**
 * The write path every importer and member action shares: merge incoming
 * records with the stored ones, write only real changes (each with a fresh
 * change-feed `seq`), and record daily picks — all in one transaction.
 */
import { mergePaper, samePaper } from '$lib/core/paper-merge';
import type { DailyPickRecord, PaperRecord } from '$lib/core/paper';
import type { Db } from '../db/create-db';
import { insertPicks } from './daily-pick.repository';
import { AuthorIdCache, findPapers, reserveSeq, writePapers } from './paper.repository';

export interface SaveResult {
	inserted: number;
	updated: number;
	unchanged: number;
	picksAdded: number;
}

/**
 * Saves a batch of papers and picks atomically: either all of it is stored or,
 * on any error, none of it. Re-saving identical input changes nothing.
 */
export async function savePapers(
	db: Db,
	records: PaperRecord[],
	picks: DailyPickRecord[] = [],
	now: Date = new Date(),
	authorIds: AuthorIdCache = new AuthorIdCache()
): Promise<SaveResult> {
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
