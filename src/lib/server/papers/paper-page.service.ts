/** One paper with everything its page shows. */
import { extractArxivId } from '$lib/core/arxiv-id';
import type { DailyPickRecord } from '$lib/core/paper';
import type { Db } from '../db/create-db';
import { NotFoundError } from '../errors';
import { picksOf } from './daily-pick.repository';
import { findPaper, type StoredPaper } from './paper.repository';

export interface PaperDetails {
	paper: StoredPaper;
	/** The version the reader asked for, when the URL named one. */
	requestedVersion: number | null;
	picks: DailyPickRecord[];
}

/** Finds a paper by any form of its id (versioned, old style, URL); NotFoundError otherwise. */
export async function getPaperDetails(db: Db, rawId: string): Promise<PaperDetails> {
	const parsed = extractArxivId(rawId);
	if (!parsed) throw new NotFoundError(`"${rawId.slice(0, 80)}" is not an arXiv id`);
	const paper = await findPaper(db, parsed.id);
	if (!paper) throw new NotFoundError(`No paper ${parsed.id} here`);
	return { paper, requestedVersion: parsed.version, picks: await picksOf(db, paper.id) };
}
