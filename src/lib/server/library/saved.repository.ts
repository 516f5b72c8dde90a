/** SQL for reading lists: the papers a member saved (`saved_papers`), with their notes. */
import type { Db } from '../db/create-db';

/** One saved paper: which, when, and the member's note. */
export interface SavedRow {
	paperId: string;
	note: string;
	savedAt: string;
}

/** Saves a paper; a second save keeps the first row (its time and note). */
export async function insertSaved(
	db: Db,
	row: { memberId: string; paperId: string; savedAt: string }
): Promise<void> {
	await db
		.insertInto('saved_papers')
		.values({ member_id: row.memberId, paper_id: row.paperId, saved_at: row.savedAt })
		.onConflict((oc) => oc.columns(['member_id', 'paper_id']).doNothing())
		.execute();
}

export async function deleteSaved(db: Db, memberId: string, paperId: string): Promise<void> {
	await db
		.deleteFrom('saved_papers')
		.where('member_id', '=', memberId)
		.where('paper_id', '=', paperId)
		.execute();
}

/** Sets the note of a saved paper; false when the paper is not on the member's list. */
export async function updateNote(
	db: Db,
	memberId: string,
	paperId: string,
	note: string
): Promise<boolean> {
	const result = await db
		.updateTable('saved_papers')
		.set({ note })
		.where('member_id', '=', memberId)
		.where('paper_id', '=', paperId)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) > 0;
}

/** Which of `paperIds` the member has saved (the key's prefix: one query for a page of cards). */
export async function listSavedAmong(
	db: Db,
	memberId: string,
	paperIds: readonly string[]
): Promise<string[]> {
	if (paperIds.length === 0) return [];
	const rows = await db
		.selectFrom('saved_papers')
		.select('paper_id')
		.where('member_id', '=', memberId)
		.where('paper_id', 'in', [...new Set(paperIds)].slice(0, 500))
		.execute();
	return rows.map((r) => r.paper_id);
}

/** A member's saved papers that are not hidden, newest saved first (index `saved_papers_member`). */
export async function listSaved(
	db: Db,
	memberId: string,
	range: { limit: number; offset: number }
): Promise<SavedRow[]> {
	const rows = await db
		.selectFrom('saved_papers')
		.innerJoin('papers', 'papers.id', 'saved_papers.paper_id')
		.select(['saved_papers.paper_id', 'saved_papers.note', 'saved_papers.saved_at'])
		.where('saved_papers.member_id', '=', memberId)
		.where('papers.hidden_at', 'is', null)
		.orderBy('saved_papers.saved_at', 'desc')
		.orderBy('saved_papers.paper_id')
		.limit(range.limit)
		.offset(range.offset)
		.execute();
	return rows.map((r) => ({ paperId: r.paper_id, note: r.note, savedAt: r.saved_at }));
}

export async function countSaved(db: Db, memberId: string): Promise<number> {
	const row = await db
		.selectFrom('saved_papers')
		.innerJoin('papers', 'papers.id', 'saved_papers.paper_id')
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.where('saved_papers.member_id', '=', memberId)
		.where('papers.hidden_at', 'is', null)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** Whether a paper exists and is not hidden (what may be saved or followed). */
export async function isVisiblePaper(db: Db, paperId: string): Promise<boolean> {
	const row = await db
		.selectFrom('papers')
		.select('id')
		.where('id', '=', paperId)
		.where('hidden_at', 'is', null)
		.executeTakeFirst();
	return row !== undefined;
}
