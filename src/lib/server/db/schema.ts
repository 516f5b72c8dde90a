/**
 * The store's tables as Kysely sees them. Timestamps are ISO 8601 UTC text and
 * days `YYYY-MM-DD` text on both dialects, so one set of queries serves both and
 * lexical order is time order.
 */
import type { Generated, Insertable, Selectable } from 'kysely';

export interface PapersTable {
	/** arXiv id without version. */
	id: string;
	/** Latest known version; null when only unversioned sources (HF) have spoken. */
	version: number | null;
	title: string;
	abstract: string;
	/** JSON array of categories, primary first. */
	categories: string;
	primary_category: string | null;
	published_at: string;
	updated_at: string;
	pdf_url: string | null;
	code_url: string | null;
	code_stars: number | null;
	project_page: string | null;
	ai_summary: string | null;
	/** JSON array of keywords. */
	ai_keywords: string;
	doi: string | null;
	journal_ref: string | null;
	comment: string | null;
	/** The count the source (Hugging Face) reported; it only rises. Written by savePapers. */
	source_upvotes: number;
	/** How many members vote for the paper: rows of paper_votes, kept by server/votes only. */
	member_upvotes: Generated<number>;
	/** The imported (Hugging Face) count of comments, which cannot be read here; not shown. */
	num_comments: number;
	/** Comments readers can read here (not deleted, not hidden), kept by server/discussion only. */
	comment_count: Generated<number>;
	/** When a moderator hid the paper: gone from feeds, search and the API. */
	hidden_at: Generated<string | null>;
	/** When a moderator locked the paper's thread: no new comments. */
	thread_locked_at: Generated<string | null>;
	/** When the enrichments were observed at their source (see PaperRecord.observedAt). */
	observed_at: string | null;
	license: string | null;
	/** Who submitted the paper to arXiv (not always an author). */
	submitter: string | null;
	report_no: string | null;
	/** The byline exactly as the source wrote it (LaTeX accents, affiliations). */
	authors_text: string | null;
	/** Change-feed position: rises on every write of this row; handed out by the `papers` row of `counters`. */
	seq: number;
	created_at: string;
	modified_at: string;
}

export interface AuthorsTable {
	id: Generated<number>;
	name: string;
}

export interface PaperAuthorsTable {
	paper_id: string;
	position: number;
	author_id: number;
}

export interface DailyPicksTable {
	day: string;
	paper_id: string;
	source: string;
	/** Hugging Face's user name for imported picks; the member's username at the time for ours. */
	submitted_by: string;
	submitted_at: string;
	/** The member who submitted the paper for the day; null for imported picks. */
	submitter_id: Generated<string | null>;
}

/** Named monotonic counters; `papers` hands out the change-feed `seq`. */
export interface CountersTable {
	name: string;
	value: number;
}

/** Where a long import or harvest stopped, written in the same transaction as its last batch. */
export interface ImportCheckpointsTable {
	name: string;
	value: string;
	updated_at: string;
}

/**
 * One member's vote for one paper (at most one each: the key). `member_id` is
 * text with no foreign key yet: see the 2026-12-04T01-community-votes migration.
 */
export interface PaperVotesTable {
	paper_id: string;
	member_id: string;
	created_at: string;
}

/** Who holds a job's lease, and until when (jobs/lease.repository.ts). */
export interface LeasesTable {
	/** The job's name. */
	name: string;
	/** Host, process and a random part: unique per run. */
	holder: string;
	/** ISO 8601: after this, anyone may take the lease. */
	expires_at: string;
	acquired_at: string;
}

/** The last run of each scheduled or CLI-run job (jobs/job-run.repository.ts). */
export interface JobRunsTable {
	name: string;
	/** ISO 8601 start of the last schedule slot whose run finished; null before the first. */
	last_slot: string | null;
	/** The node (lease holder) of the last run. */
	node: string | null;
	/** `never`, `running`, `ok` or `failed`. */
	status: string;
	started_at: string | null;
	finished_at: string | null;
	error: string | null;
}

/** Named facts about the store itself; `store_id` is its random identity (search replicas check it). */
export interface StoreMetaTable {
	name: string;
	value: string;
}

/** One paper's place in one trending window, written by the trending job only. */
export interface TrendingScoresTable {
	/** `day`, `week` or `month`. */
	window: string;
	/** 1 for the top paper of the window. */
	rank: number;
	paper_id: string;
	score: number;
	/** When the job computed the window (the same for all its rows). */
	computed_at: string;
}

/** A member of the site. Roles and statuses: core/member.ts. */
export interface MembersTable {
	/** Opaque and random (core/member.ts newMemberId), never shown as a name. */
	id: string;
	/** Lower-cased. */
	email: string;
	username: string;
	/** `username` lower-cased: the unique one. */
	username_key: string;
	display_name: string;
	role: Generated<string>;
	/** `active` or `banned`. */
	status: Generated<string>;
	created_at: string;
	/** Until then the member may read but not write (comments, votes, submissions, flags). */
	suspended_until: Generated<string | null>;
	/** The member's last visit of /me: what came after it is "new". */
	me_seen_at: Generated<string | null>;
}

/** A member's account elsewhere (Hugging Face's OpenID `sub`) that signs them in. */
export interface MemberIdentitiesTable {
	provider: string;
	subject: string;
	member_id: string;
	created_at: string;
}

/** A signed-in browser: the SHA-256 of the cookie's secret, never the secret. */
export interface SessionsTable {
	token_hash: string;
	member_id: string;
	created_at: string;
	last_seen_at: string;
	expires_at: string;
	user_agent: string | null;
}

/** A one-time sign-in link sent by mail: the SHA-256 of its secret. */
export interface LoginLinksTable {
	token_hash: string;
	email: string;
	next_path: string | null;
	created_at: string;
	expires_at: string;
	used_at: string | null;
}

/** A personal API token (`Authorization: Bearer`): the SHA-256 of the token. */
export interface ApiTokensTable {
	id: string;
	member_id: string;
	name: string;
	token_hash: string;
	created_at: string;
	last_used_at: string | null;
	revoked_at: string | null;
}

/** rate-limiter-flexible's counters (http/rate-limit.ts); shared by every app node. */
export interface RateLimitsTable {
	key: string;
	points: number;
	/** Epoch milliseconds. */
	expire: number | string | null;
}

/** A comment on a paper; threaded by `parent_id`. */
export interface CommentsTable {
	id: string;
	paper_id: string;
	parent_id: string | null;
	member_id: string;
	/** The member's Markdown. */
	body: string;
	/** `body` rendered and sanitized (server/discussion), made on write and on edit. */
	body_html: string;
	created_at: string;
	edited_at: string | null;
	/** Soft delete: the thread keeps its shape ("comment deleted"). */
	deleted_at: string | null;
	/** Hidden by a moderator. */
	hidden_at: string | null;
}

/** Something on the site a member should see: a reply to their comment, a comment on their submission. */
export interface NotificationsTable {
	id: string;
	member_id: string;
	/** `reply` or `comment-on-submission`. */
	kind: string;
	paper_id: string;
	comment_id: string;
	actor_id: string;
	created_at: string;
	read_at: string | null;
}

/** A paper on a member's reading list, with their note. */
export interface SavedPapersTable {
	member_id: string;
	paper_id: string;
	note: Generated<string>;
	saved_at: string;
}

/** What a member follows: an author (written name), a category, or a member (id). */
export interface FollowsTable {
	member_id: string;
	/** `author`, `category` or `member`. */
	kind: string;
	target: string;
	created_at: string;
}

/** A member's report of a comment or paper, with the reason; one per member and target. */
export interface FlagsTable {
	id: string;
	member_id: string;
	/** `comment` or `paper`. */
	target_kind: string;
	target_id: string;
	reason: string;
	created_at: string;
	resolved_at: string | null;
	resolved_by: string | null;
	resolution: string | null;
}

/** Every moderator action, for admins to read. */
export interface ModerationLogTable {
	id: string;
	actor_id: string;
	action: string;
	/** `comment`, `paper` or `member`. */
	target_kind: string;
	target_id: string;
	reason: Generated<string>;
	created_at: string;
}

export interface Database {
	papers: PapersTable;
	authors: AuthorsTable;
	paper_authors: PaperAuthorsTable;
	daily_picks: DailyPicksTable;
	counters: CountersTable;
	import_checkpoints: ImportCheckpointsTable;
	leases: LeasesTable;
	job_runs: JobRunsTable;
	trending_scores: TrendingScoresTable;
	paper_votes: PaperVotesTable;
	store_meta: StoreMetaTable;
	members: MembersTable;
	member_identities: MemberIdentitiesTable;
	sessions: SessionsTable;
	login_links: LoginLinksTable;
	api_tokens: ApiTokensTable;
	rate_limits: RateLimitsTable;
	comments: CommentsTable;
	notifications: NotificationsTable;
	saved_papers: SavedPapersTable;
	follows: FollowsTable;
	flags: FlagsTable;
	moderation_log: ModerationLogTable;
}

export type PaperRow = Selectable<PapersTable>;
export type NewPaperRow = Insertable<PapersTable>;
export type DailyPickRow = Selectable<DailyPicksTable>;
