/**
 * The write path every importer and member action shares: merge incoming
 * records with the stored ones, write only real changes (each with a fresh
 * change-feed `seq`), and record daily picks — all in one transaction.
 */
import { mergePaper, samePaper } from '$lib/core/paper-merge';
import type { DailyPickRecord, PaperRecord } from '$lib/core/paper';
import { sqliteConnection, type Db } from '../db/create-db';
import { saveCheckpoint } from '../ingest/import-checkpoint.repository';
import { insertPicks } from './daily-pick.repository';
import { AuthorIdCache, countRows, findPapers, reserveSeq, writePapers } from './paper.repository';
import { sqlitePaperStatements } from './paper.sqlite-bulk';

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

	const nowText = now.toISOString();
	const connection = sqliteConnection(db);
	// The synchronous SQLite path must not run inside a transaction someone else has
	// open on the connection (it would silently join it); picks keep the general path.
	const saving =
		connection && !connection.inTransaction && picks.length === 0
			? Promise.resolve().then(() => {
					const statements = sqlitePaperStatements(connection);
					return connection.transaction(() => {
						const plan = planChanges(statements.findPapers([...incoming.keys()]), incoming);
						if (plan.changed.length > 0) {
							const first = statements.reserveSeq(plan.changed.length);
							statements.writePapers(withSeq(plan.changed, first), nowText, authorIds);
						}
						if (checkpoint) statements.saveCheckpoint(checkpoint.name, checkpoint.value, nowText);
						return resultOf(plan, 0);
					})();
				})
			: db.transaction().execute(async (trx) => {
					const plan = planChanges(await findPapers(trx, [...incoming.keys()]), incoming);
					if (plan.changed.length > 0) {
						const first = await reserveSeq(trx, plan.changed.length);
						await writePapers(trx, withSeq(plan.changed, first), nowText, authorIds);
					}
					const picksAdded = await insertPicks(trx, picks);
					if (checkpoint) await saveCheckpoint(trx, checkpoint.name, checkpoint.value, now);
					return resultOf(plan, picksAdded);
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

interface ChangePlan {
	changed: { paper: PaperRecord; isNew: boolean }[];
	unchanged: number;
}

/** Merges each incoming record into its stored version; keeps only real changes. */
function planChanges(existing: Map<string, PaperRecord>, incoming: Map<string, PaperRecord>) {
	const plan: ChangePlan = { changed: [], unchanged: 0 };
	for (const record of incoming.values()) {
		const stored = existing.get(record.id);
		const merged = mergePaper(stored, record);
		if (stored && samePaper(stored, merged)) plan.unchanged += 1;
		else plan.changed.push({ paper: merged, isNew: !stored });
	}
	return plan;
}

/** Consecutive change-feed positions from `first`, in batch order. */
function withSeq(changed: ChangePlan['changed'], first: number) {
	return changed.map((change, i) => ({ ...change, seq: first + i }));
}

function resultOf(plan: ChangePlan, picksAdded: number): SaveResult {
	const inserted = plan.changed.filter((c) => c.isNew).length;
	return {
		inserted,
		updated: plan.changed.length - inserted,
		unchanged: plan.unchanged,
		picksAdded
	};
}

/** How many papers the store holds (a progress bar's total, stats). */
export async function countPapers(db: Db): Promise<number> {
	return (await countRows(db)).papers;
}
