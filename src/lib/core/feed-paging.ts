/** Paging arithmetic for a feed page, kept apart from the component so it is tested on its own. */

/** How a feed's pages stand: how many there are and whether the asked page lies past the last. */
export interface FeedPaging {
	pageCount: number;
	/** The page asked for (from 0) is beyond the last page of a non-empty feed. */
	pastTheEnd: boolean;
}

/** The paging of `total` papers in pages of `pageSize`, seen from `page` (from 0). */
export function feedPaging(total: number, page: number, pageSize: number): FeedPaging {
	const pageCount = Math.max(1, Math.ceil(total / pageSize));
	return { pageCount, pastTheEnd: total > 0 && page >= pageCount };
}
