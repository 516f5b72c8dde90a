/** Small hand-written records for tests; they go through the real repositories. */
import type { PaperRecord } from '../../src/lib/core/paper';
import type { Db } from '../../src/lib/server/db/create-db';

let counter = 0;

/** A valid paper record with a fresh id; override what the test is about. */
export function makePaper(overrides: Partial<PaperRecord> = {}): PaperRecord {
	counter += 1;
	return {
		id: `2401.${String(10000 + counter).padStart(5, '0')}`,
		version: 1,
		title: `A study of things number ${counter}`,
		abstract: 'We study things. We find that $x^2 \\geq 0$ for real $x$.',
		authors: ['Ada Lovelace', 'Alan Turing'],
		categories: ['cs.LG', 'stat.ML'],
		publishedAt: '2024-01-15T18:00:00.000Z',
		updatedAt: '2024-01-15T18:00:00.000Z',
		pdfUrl: null,
		codeUrl: null,
		codeStars: null,
		projectPage: null,
		aiSummary: null,
		aiKeywords: [],
		doi: null,
		journalRef: null,
		comment: null,
		reportNo: null,
		license: null,
		submitter: null,
		authorsText: null,
		sourceUpvotes: null,
		numComments: null,
		observedAt: null,
		...overrides
	};
}

/** A Hugging Face daily-papers entry in the API's JSON shape. */
export function makeHfEntry(
	id: string,
	overrides: { title?: unknown; publishedAt?: unknown; upvotes?: number; summary?: string } = {}
): Record<string, unknown> {
	return {
		paper: {
			id,
			authors: [
				{ _id: 'a1', name: 'Grace Hopper', hidden: false },
				{ _id: 'a2', name: 'Edsger Dijkstra', hidden: false }
			],
			publishedAt: overrides.publishedAt ?? '2024-06-02T17:59:00.000Z',
			submittedOnDailyAt: '2024-06-03T00:30:00.000Z',
			title: overrides.title ?? `Paper ${id}`,
			summary: overrides.summary ?? `Abstract of ${id} with $\\alpha$.`,
			upvotes: overrides.upvotes ?? 5,
			githubRepo: 'https://github.com/example/repo',
			githubStars: 12,
			ai_summary: 'A summary.',
			ai_keywords: ['things', 'stuff'],
			submittedOnDailyBy: { fullname: 'Curator One', name: 'curator1' }
		},
		publishedAt: '2024-06-03T00:30:00.000Z',
		title: overrides.title ?? `Paper ${id}`,
		numComments: 2,
		isAuthorParticipating: false
	};
}

/**
 * Stores members with these ids (username = id), for tests that vote or submit as
 * them; ids already stored are left alone.
 */
export async function addMembers(db: Db, ids: string[]): Promise<void> {
	if (ids.length === 0) return;
	await db
		.insertInto('members')
		.values(
			ids.map((id) => ({
				id,
				email: `${id.toLowerCase()}@example.org`,
				username: id,
				username_key: id.toLowerCase(),
				display_name: id,
				created_at: '2024-01-01T00:00:00.000Z'
			}))
		)
		.onConflict((oc) => oc.doNothing())
		.execute();
}
