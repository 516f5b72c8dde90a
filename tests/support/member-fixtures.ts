/** Members' activity for tests: submissions as the daily picks a member made, and signed-in sessions. */
import type { Db } from '../../src/lib/server/db/create-db';

/** Records that `memberId` (as `username`) submitted a stored paper for `day` at `at`. */
export async function addSubmission(
	db: Db,
	pick: { paperId: string; day: string; memberId: string; username: string; at: string }
): Promise<void> {
	await db
		.insertInto('daily_picks')
		.values({
			day: pick.day,
			paper_id: pick.paperId,
			source: 'member',
			submitted_by: pick.username,
			submitted_at: pick.at,
			submitter_id: pick.memberId
		})
		.execute();
}
