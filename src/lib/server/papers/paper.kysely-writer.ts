/**
 * The paper writer for both dialects, through the query builder: the path
 * PostgreSQL always takes, and SQLite takes for saves with picks or inside a
 * caller's transaction.
 */
import type { Db } from '../db/create-db';
import { saveCheckpoint } from '../ingest/import-checkpoint.repository';
import { planChanges, resultOf, withSeq } from './paper.change-plan';
import { insertPicks } from './daily-pick.repository';
import { findPapers, lockSeqCounter, reserveSeq, writePapers } from './paper.repository';
import type { PaperSaveRequest, PaperWriter, SaveResult } from './paper.writer';

export class KyselyPaperWriter implements PaperWriter {
	constructor(private readonly db: Db) {}

	/** Saves the batch in one Kysely transaction. */
	save(request: PaperSaveRequest): Promise<SaveResult> {
		return this.db.transaction().execute(async (trx) => {
			// Lock before reading the stored rows: two importers that both read "not stored"
			// and then wrote in turn inserted the same author links twice on PostgreSQL
			// (duplicate key "paper_authors_pk"). Waiting here, the second reads the first's
			// committed rows and writes only what is still new.
			await lockSeqCounter(trx);
			return saveWithin(trx, request);
		});
	}
}

/**
 * Saves the batch inside a transaction the caller holds and has already taken the
 * change-feed counter's lock in (`lockSeqCounter`), so it commits with the caller's
 * other writes.
 */
export async function saveWithin(trx: Db, request: PaperSaveRequest): Promise<SaveResult> {
	const { incoming, picks, now, authorIds, checkpoint } = request;
	const plan = planChanges(await findPapers(trx, [...incoming.keys()]), incoming);
	if (plan.changed.length > 0) {
		const first = await reserveSeq(trx, plan.changed.length);
		await writePapers(trx, withSeq(plan.changed, first), now.toISOString(), authorIds);
	}
	const picksAdded = await insertPicks(trx, picks);
	if (checkpoint) await saveCheckpoint(trx, checkpoint.name, checkpoint.value, now);
	return resultOf(plan, picksAdded);
}
