/**
 * Where a vote made without JavaScript returns to: the page the reader was on, at
 * the card they voted on. Shared by the vote button (which sends `back`) and the
 * form endpoint (which trusts only a path on this site).
 *
 * @example
 * voteReturnPath('/papers?date=2024-06-03', '2406.00001') // → '/papers?date=2024-06-03#paper-2406.00001'
 * voteReturnPath('https://evil.example/', '2406.00001')  // → '/papers/2406.00001#paper-2406.00001'
 */

import { safeNextPath } from './next-path';

/** The `id` of a paper's card (and of the paper page's article), for `#` links back to it. */
export function cardAnchor(paperId: string): string {
	return `paper-${paperId.replace(/[^A-Za-z0-9._-]/g, '-')}`;
}

/** The path to return to after a vote: `back` when it is on this site, else the paper's page; at the card. */
export function voteReturnPath(
	back: string | null | undefined,
	paperPath: string,
	paperId: string
): string {
	// Without its fragment: the card's anchor replaces it.
	return `${safeNextPath(back)?.split('#')[0] ?? paperPath}#${cardAnchor(paperId)}`;
}
