/** SQL for the daily feed: which papers were picked on which day, by whom. */
import type { DailyPickRecord } from '$lib/core/paper';
import type { Db } from '../db/create-db';
import type { SelectQueryBuilder } from 'kysely';
import type { Database, PaperRow } from '../db/schema';

/** Records picks; a pick already stored for that day and paper is left as it is. */
export async function insertPicks(db: Db, picks: DailyPickRecord[]): Promise<number> {
	let inserted = 0;
	for (let i = 0; i < picks.length; i += 1000) {
		const part = picks.slice(i, i + 1000);
		const result = await db
			.insertInto('daily_picks')
			.values(
				part.map((p) => ({
					day: p.date,
					paper_id: p.paperId,
					source: p.source,
					submitted_by: p.submittedBy,
					submitted_at: p.submittedAt
				}))
			)
			.onConflict((oc) => oc.columns(['day', 'paper_id']).doNothing())
			.executeTakeFirst();
		inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
	}
	return inserted;
}

export interface PickedPaperRow extends PaperRow {
	pick_day: string;
	pick_submitted_by: string;
	pick_submitted_at: string;
}

/** The orders a feed page can have: by upvotes (the site's) or by publication date (HF's `sort=publishedAt`). */
export type FeedOrder = 'upvotes' | 'publishedAt';

/**
 * Papers picked between two days (inclusive), most upvoted first (source count
 * plus members' votes, as StoredPaper.upvotes) or, with `order: 'publishedAt'`, newest first; a paper
 * picked twice in the range appears once, under its first day.
 */
export async function listPickedPapers(
	db: Db,
	range: {
		from: string;
		to: string;
		limit: number;
		offset: number;
		order?: FeedOrder;
		submitter?: string;
	}
): Promise<PickedPaperRow[]> {
	let query = db
		.selectFrom('daily_picks')
		.innerJoin('papers', 'papers.id', 'daily_picks.paper_id')
		.selectAll('papers')
		.select((eb) => [
			eb.fn.min('daily_picks.day').as('pick_day'),
			eb.fn.min('daily_picks.submitted_by').as('pick_submitted_by'),
			eb.fn.min('daily_picks.submitted_at').as('pick_submitted_at')
		])
		.where('daily_picks.day', '>=', range.from)
		.where('daily_picks.day', '<=', range.to)
		// A paper a moderator hid is gone from every feed (and the API built on them).
		.where('papers.hidden_at', 'is', null)
		.$call(bySubmitter(range.submitter))
		.groupBy('papers.id');
	if (range.order !== 'publishedAt') {
		// The "upvotes" readers see: the source's count plus our members' votes.
		query = query.orderBy(
			(eb) => eb('papers.source_upvotes', '+', eb.ref('papers.member_upvotes')),
			'desc'
		);
	}
	const rows = await query
		.orderBy('papers.published_at', 'desc')
		.orderBy('papers.id')
		.limit(range.limit)
		.offset(range.offset)
		.execute();
	return rows as PickedPaperRow[];
}

/** How many distinct papers were picked between two days (inclusive). */
export async function countPickedPapers(
	db: Db,
	range: { from: string; to: string; submitter?: string }
): Promise<number> {
	const row = await db
		.selectFrom('daily_picks')
		.innerJoin('papers', 'papers.id', 'daily_picks.paper_id')
		.select((eb) => eb.fn.count<string | number>('daily_picks.paper_id').distinct().as('n'))
		.where('daily_picks.day', '>=', range.from)
		.where('daily_picks.day', '<=', range.to)
		.where('papers.hidden_at', 'is', null)
		.$call(bySubmitter(range.submitter))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/**
 * Keeps the picks made by `submitter`, case-insensitively: a member by their
 * username now or at the time (`submitted_by`), an imported pick by Hugging
 * Face's name. No submitter keeps every pick.
 */
function bySubmitter(submitter: string | undefined) {
	return <Q extends SelectQueryBuilder<Database, 'daily_picks' | 'papers', object>>(
		query: Q
	): Q => {
		if (submitter === undefined) return query;
		const key = submitter.toLowerCase();
		return query.where((eb) =>
			eb.or([
				eb(eb.fn('lower', ['daily_picks.submitted_by']), '=', key),
				eb(
					'daily_picks.submitter_id',
					'in',
					eb.selectFrom('members').select('members.id').where('members.username_key', '=', key)
				)
			])
		) as Q;
	};
}

/** The latest day with picks, on or before `onOrBefore` when given. */
export async function latestPickDay(db: Db, onOrBefore?: string): Promise<string | undefined> {
	let query = db.selectFrom('daily_picks').select((eb) => eb.fn.max('day').as('day'));
	if (onOrBefore) query = query.where('day', '<=', onOrBefore);
	const row = await query.executeTakeFirst();
	return row?.day ?? undefined;
}

/** The nearest days with picks before `from` and after `to`. */
export async function neighbourPickDays(
	db: Db,
	range: { from: string; to: string }
): Promise<{ previous: string | undefined; next: string | undefined }> {
	const previous = await db
		.selectFrom('daily_picks')
		.select((eb) => eb.fn.max('day').as('day'))
		.where('day', '<', range.from)
		.executeTakeFirst();
	const next = await db
		.selectFrom('daily_picks')
		.select((eb) => eb.fn.min('day').as('day'))
		.where('day', '>', range.to)
		.executeTakeFirst();
	return { previous: previous?.day ?? undefined, next: next?.day ?? undefined };
}

/** Every pick of one paper, oldest first. */
export async function picksOf(db: Db, paperId: string): Promise<DailyPickRecord[]> {
	const rows = await db
		.selectFrom('daily_picks')
		.selectAll()
		.where('paper_id', '=', paperId)
		.orderBy('day')
		.execute();
	return rows.map((r) => ({
		paperId: r.paper_id,
		date: r.day,
		submittedBy: r.submitted_by,
		submittedAt: r.submitted_at,
		source: r.source as DailyPickRecord['source']
	}));
}
