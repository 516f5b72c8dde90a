/**
 * Reading lists: a member saves papers, takes them off again and keeps a note on each.
 * Saving is idempotent (a second save keeps the first time and note); hidden papers
 * cannot be saved and drop out of the list while hidden. Routes call it for the
 * signed-in member (`/papers/{id}/save`, `/me/saved`).
 */
import type { FeedPaper } from '$lib/core/paper-views';
import type { Db } from '../db/create-db';
import { BadRequestError, NotFoundError } from '../errors';
import { findPapers } from '../papers/paper.repository';
import { findFirstPicks } from '../trending/trending.repository';
import {
	countSaved,
	deleteSaved,
	insertSaved,
	isVisiblePaper,
	listSaved,
	listSavedAmong,
	updateNote
} from './saved.repository';

/** The longest note a saved paper may carry. */
export const MAX_NOTE_LENGTH = 2000;

/** A card on the reading list, with when it was saved and the member's note. */
export type SavedPaper = FeedPaper & { savedAt: string; note: string };

export interface SavedPage {
	papers: SavedPaper[];
	total: number;
	page: number;
	pageSize: number;
}

function unknownPaper(paperId: string): NotFoundError {
	return new NotFoundError(`There is no paper ${paperId.slice(0, 40)} to save.`);
}

/** Puts a paper on the member's reading list (again: no change). NotFoundError for an unknown or hidden paper. */
export async function savePaper(
	db: Db,
	memberId: string,
	paperId: string,
	now: Date = new Date()
): Promise<void> {
	if (!(await isVisiblePaper(db, paperId))) throw unknownPaper(paperId);
	await insertSaved(db, { memberId, paperId, savedAt: now.toISOString() });
}

/** Takes a paper off the member's reading list; taking off a paper not on it changes nothing. */
export async function unsavePaper(db: Db, memberId: string, paperId: string): Promise<void> {
	await deleteSaved(db, memberId, paperId);
}

/**
 * Sets the note on a saved paper (trimmed; empty clears it). BadRequestError past
 * MAX_NOTE_LENGTH characters, NotFoundError when the paper is not on the list.
 */
export async function setSavedNote(
	db: Db,
	memberId: string,
	paperId: string,
	note: string
): Promise<void> {
	const text = note.replace(/\r\n?/g, '\n').trim();
	if ([...text].length > MAX_NOTE_LENGTH) {
		throw new BadRequestError(
			`A note may hold at most ${MAX_NOTE_LENGTH.toLocaleString('en')} characters; this one has ${[...text].length.toLocaleString('en')}.`
		);
	}
	if (!(await updateNote(db, memberId, paperId, text))) {
		throw new NotFoundError(
			`${paperId.slice(0, 40)} is not on your reading list; save it before adding a note.`
		);
	}
}

/** Which of a page's papers the reader saved: one query (none when signed out). */
export async function savedAmong(
	db: Db,
	member: { id: string } | null | undefined,
	paperIds: readonly string[]
): Promise<string[]> {
	return member ? listSavedAmong(db, member.id, paperIds) : [];
}

/** One page (from 0) of the member's reading list, newest saved first, hidden papers left out. */
export async function loadSavedPage(
	db: Db,
	memberId: string,
	request: { page: number; pageSize: number }
): Promise<SavedPage> {
	const { page, pageSize } = request;
	const [total, rows] = await Promise.all([
		countSaved(db, memberId),
		listSaved(db, memberId, { limit: pageSize, offset: page * pageSize })
	]);
	const ids = rows.map((r) => r.paperId);
	const [papers, picks] = await Promise.all([findPapers(db, ids), findFirstPicks(db, ids)]);
	const cards = rows.flatMap((row) => {
		const paper = papers.get(row.paperId);
		if (!paper) return [];
		const pick = picks.get(row.paperId);
		return [
			{
				...paper,
				pickDay: pick?.day ?? paper.publishedAt.slice(0, 10),
				submittedBy: pick?.submittedBy ?? '',
				submittedAt: pick?.submittedAt ?? paper.publishedAt,
				savedAt: row.savedAt,
				note: row.note
			}
		];
	});
	return { papers: cards, total, page, pageSize };
}
