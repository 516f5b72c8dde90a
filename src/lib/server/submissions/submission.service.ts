/**
 * Submitting a paper for today. A submission is a daily pick made by a member
 * (with their upvote): metadata from the store, or from the arXiv API when the
 * paper is new here; then the rules, each refusing with its reason:
 * - a paper already in the daily list merges: the first submitter stays, and the
 *   second member's submission becomes their upvote;
 * - the paper must have been first published within `maxAgeDays` days;
 * - each member submits at most `dailyLimit` papers per UTC day.
 * The paper (when fetched), the pick and the vote are written in one transaction:
 * a refusal or a failure writes nothing.
 */
import type { Member } from '$lib/core/member';
import { dayOf } from '$lib/core/period';
import { parsePaperReference } from '$lib/core/paper-reference';
import type { PaperRecord } from '$lib/core/paper';
import type { FeedPaper, PickSubmitter } from '$lib/core/paper-views';
import type { Config, SubmitConfig } from '../config';
import type { Db } from '../db/create-db';
import {
	BadRequestError,
	ForbiddenError,
	NotFoundError,
	ServiceUnavailableError,
	TooManyRequestsError
} from '../errors';
import type { RateLimits } from '../http/rate-limit';
import { fetchArxivByIds, ArxivRequestError, type ArxivApiOptions } from '../ingest/arxiv-api';
import { findPaper, lockSeqCounter } from '../papers/paper.repository';
import { savePapersWithin } from '../papers/paper.service';
import { castVoteWithin, type VoteOutcome } from '../votes/vote.service';
import {
	countMemberPicksOn,
	findFirstPickOf,
	findPicks,
	insertMemberPick,
	pickKey,
	type PickWithSubmitter
} from './submission.repository';

const DAY_MS = 86_400_000;

/** What submitting needs besides the store: the rules, arXiv, and the shared rate limits. */
export interface SubmissionSettings {
	rules: SubmitConfig;
	/** The arXiv API's query URL (DP_ARXIV_API_URL) and, for tests, other client options. */
	arxiv: ArxivApiOptions & { baseUrl: string };
	/** Counts the `submit` limit per member; left out by tests of the rules alone. */
	rateLimits?: RateLimits;
}

/** The settings of a running app: its rules, its arXiv API, its shared limits. */
export function submissionSettings(
	config: Pick<Config, 'submit' | 'arxivApiUrl'>,
	rateLimits: RateLimits
): SubmissionSettings {
	return { rules: config.submit, arxiv: { baseUrl: config.arxivApiUrl }, rateLimits };
}

export interface SubmissionRequest {
	/** What the member pasted: an arXiv id or a link to the paper (core/paper-reference.ts). */
	reference: string;
	member: Pick<Member, 'id' | 'username' | 'displayName'>;
	now?: Date;
}

export interface SubmissionOutcome {
	/** `submitted`: a new pick; `merged`: the paper was already in the list and got an upvote. */
	result: 'submitted' | 'merged';
	/** The paper with the pick that holds it (the first one, when merged). */
	paper: FeedPaper;
	/** The submitting member's upvote. */
	vote: VoteOutcome;
	/** What to tell the member, as a sentence. */
	message: string;
}

/**
 * Submits a paper for today (UTC) for `member`, or throws the rule it breaks:
 * BadRequestError (not an arXiv id, too old), NotFoundError (arXiv has no such
 * paper), TooManyRequestsError (the daily limit, or the `submit` rate limit),
 * ServiceUnavailableError (arXiv unreachable).
 *
 * @example
 * await submitPaper(db, { reference: 'https://arxiv.org/abs/2406.01234v2', member }, settings)
 * // → { result: 'submitted', message: 'Submitted 2406.01234 for 2026-12-04.', … }
 * // a second member, the same day:
 * // → { result: 'merged', message: 'Already submitted today by ada — your upvote was added.', … }
 */
export async function submitPaper(
	db: Db,
	request: SubmissionRequest,
	settings: SubmissionSettings
): Promise<SubmissionOutcome> {
	const reference = parsePaperReference(request.reference);
	if (!reference.ok) throw new BadRequestError(reference.reason);
	const { member } = request;
	await settings.rateLimits?.consume('submit', member.id);
	const now = request.now ?? new Date();
	const today = dayOf(now);
	const id = reference.id;

	const stored = await findPaper(db, id);
	if (stored?.hiddenAt)
		throw new ForbiddenError(`A moderator has hidden ${id}; it cannot be submitted.`);
	const fetched = stored ? undefined : await fetchFromArxiv(id, settings.arxiv);
	const publishedAt = (stored ?? fetched)!.publishedAt;

	const written = await db.transaction().execute(async (trx) => {
		// Every writer locks the change-feed counter first (vote.service.ts says why); it
		// also makes concurrent submissions take turns, so the merge and the daily count
		// below see each other.
		await lockSeqCounter(trx);
		const first = await findFirstPickOf(trx, id);
		if (first) {
			const vote = await castVoteWithin(trx, { paperId: id, memberId: member.id }, now);
			return { result: 'merged' as const, pick: first, vote };
		}
		refuseIfTooOld(id, publishedAt, now, settings.rules.maxAgeDays);
		const submittedToday = await countMemberPicksOn(trx, member.id, today);
		if (submittedToday >= settings.rules.dailyLimit) {
			const untilTomorrow = (Date.parse(`${today}T00:00:00.000Z`) + DAY_MS - now.getTime()) / 1000;
			throw new TooManyRequestsError(
				`You have submitted ${submittedToday} paper${submittedToday === 1 ? '' : 's'} today, the daily limit; you can submit again after midnight UTC.`,
				untilTomorrow
			);
		}
		if (fetched) await savePapersWithin(trx, [fetched], now);
		const pick = {
			day: today,
			paperId: id,
			username: member.username,
			memberId: member.id,
			submittedAt: now.toISOString()
		};
		await insertMemberPick(trx, pick);
		const vote = await castVoteWithin(trx, { paperId: id, memberId: member.id }, now);
		const made: PickWithSubmitter = {
			day: today,
			paperId: id,
			submittedBy: member.username,
			submittedAt: pick.submittedAt,
			memberId: member.id,
			username: member.username,
			displayName: member.displayName
		};
		return { result: 'submitted' as const, pick: made, vote };
	});

	const paper = await findPaper(db, id);
	if (!paper) throw new NotFoundError(`No paper ${id} here`);
	const submitter = submitterOf(written.pick);
	return {
		result: written.result,
		vote: written.vote,
		paper: {
			...paper,
			pickDay: written.pick.day,
			submittedBy: written.pick.submittedBy,
			submittedAt: written.pick.submittedAt,
			pickSubmitter: submitter
		},
		message:
			written.result === 'submitted'
				? `Submitted ${id} for ${today}.`
				: mergeMessage(written.pick, submitter, written.vote, member.id, today)
	};
}

function mergeMessage(
	pick: PickWithSubmitter,
	submitter: PickSubmitter,
	vote: VoteOutcome,
	memberId: string,
	today: string
): string {
	const when = pick.day === today ? 'today' : `on ${pick.day}`;
	if (pick.memberId === memberId) return `You already submitted this paper ${when}.`;
	const upvote = vote.changed
		? 'your upvote was added'
		: 'you had already upvoted it, so nothing changed';
	return `Already submitted ${when} by ${submitter.name} — ${upvote}.`;
}

function refuseIfTooOld(id: string, publishedAt: string, now: Date, maxAgeDays: number): void {
	const published = Date.parse(publishedAt);
	if (Number.isNaN(published) || now.getTime() - published <= maxAgeDays * DAY_MS) return;
	throw new BadRequestError(
		`${id} was first published on ${publishedAt.slice(0, 10)}, more than ${maxAgeDays} days ago; only papers from the last ${maxAgeDays} days can be submitted.`
	);
}

/** The paper's metadata from the arXiv API, or the reason it cannot be had. */
async function fetchFromArxiv(
	id: string,
	options: ArxivApiOptions & { baseUrl: string }
): Promise<PaperRecord> {
	let papers: PaperRecord[];
	try {
		// A member is waiting: fail sooner than an import would.
		({ papers } = await fetchArxivByIds([id], { timeoutMs: 10_000, retries: 1, ...options }));
	} catch (error) {
		if (!(error instanceof ArxivRequestError)) throw error;
		throw new ServiceUnavailableError(
			`arXiv could not be reached to look up ${id} (${error.status === null ? 'no answer' : `HTTP ${error.status}`}); try again in a minute.`,
			60,
			{ cause: error }
		);
	}
	const paper = papers.find((p) => p.id === id);
	if (!paper) throw new NotFoundError(`arXiv has no paper ${id}; check the id.`);
	return paper;
}

/** Who made a pick, as pages and the API show them. */
export function submitterOf(pick: PickWithSubmitter): PickSubmitter {
	if (pick.memberId && pick.username) {
		return {
			memberId: pick.memberId,
			name: pick.username,
			displayName: pick.displayName ?? pick.username
		};
	}
	return { memberId: null, name: pick.submittedBy, displayName: pick.submittedBy };
}

/** The papers with their picks' submitters resolved (members by their current username). */
export async function withSubmitters<P extends FeedPaper>(db: Db, papers: P[]): Promise<P[]> {
	const picks = await findPicks(
		db,
		papers.map((p) => ({ day: p.pickDay, paperId: p.id }))
	);
	return papers.map((paper) => {
		const pick = picks.get(pickKey(paper.pickDay, paper.id));
		return {
			...paper,
			pickSubmitter: pick
				? submitterOf(pick)
				: { memberId: null, name: paper.submittedBy, displayName: paper.submittedBy }
		};
	});
}

/** Submitters of the given picks (a paper page's), keyed `day paperId` (pickKey). */
export async function submittersOfPicks(
	db: Db,
	picks: { date: string; paperId: string }[]
): Promise<Map<string, PickSubmitter>> {
	const found = await findPicks(
		db,
		picks.map((p) => ({ day: p.date, paperId: p.paperId }))
	);
	return new Map([...found].map(([key, pick]) => [key, submitterOf(pick)]));
}

export { pickKey };
