/** One paper with everything its page shows. */
import { extractArxivId } from '$lib/core/arxiv-id';
import type { DailyPickRecord } from '$lib/core/paper';
import type { PickSubmitter } from '$lib/core/paper-views';
import { pickKey, submittersOfPicks } from '../submissions/submission.service';
import type { Db } from '../db/create-db';
import { NotFoundError } from '../errors';
import { similarPapers } from '../search/search.service';
import type { SearchReplica } from '../search/search-replica';
import { picksOf } from './daily-pick.repository';
import { findPaper, type StoredPaper } from './paper.repository';

export interface PaperDetails {
	paper: StoredPaper;
	/** The version the reader asked for, when the URL named one. */
	requestedVersion: number | null;
	/** Its days in the daily list, oldest first, with who submitted it each time. */
	picks: (DailyPickRecord & { pickSubmitter: PickSubmitter })[];
}

/**
 * Finds a paper by any form of its id (versioned, old style, URL); NotFoundError otherwise.
 * A paper a moderator hid is not found either, unless `options.showHidden` (a moderator's
 * page view, which shows it with a "hidden" banner).
 */
export async function getPaperDetails(
	db: Db,
	rawId: string,
	options: { showHidden?: boolean } = {}
): Promise<PaperDetails> {
	const parsed = extractArxivId(rawId);
	if (!parsed) throw new NotFoundError(`"${rawId.slice(0, 80)}" is not an arXiv id`);
	const paper = await findPaper(db, parsed.id);
	if (!paper || (paper.hiddenAt && !options.showHidden))
		throw new NotFoundError(`No paper ${parsed.id} here`);
	const picks = await picksOf(db, paper.id);
	const submitters = await submittersOfPicks(db, picks);
	return {
		paper,
		requestedVersion: parsed.version,
		picks: picks.map((pick) => ({
			...pick,
			pickSubmitter: submitters.get(pickKey(pick.date, pick.paperId)) ?? {
				memberId: null,
				name: pick.submittedBy,
				displayName: pick.submittedBy
			}
		}))
	};
}

/** The papers most like the one `rawId` names, itself excluded; NotFoundError when it is not here. */
export async function getSimilarPapers(
	db: Db,
	replica: SearchReplica,
	rawId: string,
	limit: number
): Promise<StoredPaper[]> {
	const id = extractArxivId(rawId)?.id;
	const paper = id ? await findPaper(db, id) : undefined;
	if (!id || !paper || paper.hiddenAt)
		throw new NotFoundError(`No paper ${rawId.slice(0, 80)} here`);
	return similarPapers(db, replica, id, limit);
}
