/**
 * Discussion, reading lists, following and moderation (issue 12), in one migration so
 * that the parts built side by side share one schema:
 *
 * - `comments`: threaded by `parent_id`; `body` is the member's Markdown, `body_html`
 *   its sanitized rendering (made on write and on edit, so a page with hundreds of
 *   comments renders no Markdown). Deleting is soft (`deleted_at`) so a thread keeps its
 *   shape; moderators hide (`hidden_at`).
 * - `papers.comment_count`: the comments readers can read (not deleted, not hidden),
 *   kept by the discussion service in the same transaction as the comment, as
 *   `member_upvotes` is by the vote service. `num_comments` stays the imported
 *   (Hugging Face) count, which nobody can read here.
 * - `papers.hidden_at` (a moderator hid the paper: gone from feeds, search and the API)
 *   and `papers.thread_locked_at` (no new comments).
 * - `notifications`, `saved_papers`, `follows`, `flags`, `moderation_log`.
 * - `members.suspended_until` (may read, may not write, until then) and
 *   `members.me_seen_at` (the last visit of /me: what is "new" is what came after it).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.alterTable('papers')
		.addColumn('comment_count', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	await db.schema.alterTable('papers').addColumn('hidden_at', 'text').execute();
	await db.schema.alterTable('papers').addColumn('thread_locked_at', 'text').execute();
	await db.schema.alterTable('members').addColumn('suspended_until', 'text').execute();
	await db.schema.alterTable('members').addColumn('me_seen_at', 'text').execute();

	await db.schema
		.createTable('comments')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('paper_id', 'text', (c) => c.notNull().references('papers.id').onDelete('cascade'))
		.addColumn('parent_id', 'text', (c) => c.references('comments.id').onDelete('cascade'))
		.addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('body_html', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('edited_at', 'text')
		.addColumn('deleted_at', 'text')
		.addColumn('hidden_at', 'text')
		.execute();
	await db.schema
		.createIndex('comments_paper')
		.on('comments')
		.columns(['paper_id', 'created_at'])
		.execute();
	await db.schema
		.createIndex('comments_member')
		.on('comments')
		.columns(['member_id', 'created_at'])
		.execute();
	await db.schema.createIndex('comments_parent').on('comments').column('parent_id').execute();

	await db.schema
		.createTable('notifications')
		.addColumn('id', 'text', (c) => c.primaryKey())
		// The member told.
		.addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
		// `reply` (to their comment) or `comment-on-submission` (on a paper they submitted).
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('paper_id', 'text', (c) => c.notNull().references('papers.id').onDelete('cascade'))
		.addColumn('comment_id', 'text', (c) =>
			c.notNull().references('comments.id').onDelete('cascade')
		)
		// Who wrote the comment.
		.addColumn('actor_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('read_at', 'text')
		.execute();
	await db.schema
		.createIndex('notifications_member')
		.on('notifications')
		.columns(['member_id', 'created_at'])
		.execute();

	await db.schema
		.createTable('saved_papers')
		.addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
		.addColumn('paper_id', 'text', (c) => c.notNull().references('papers.id').onDelete('cascade'))
		.addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('saved_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('saved_papers_pk', ['member_id', 'paper_id'])
		.execute();
	await db.schema
		.createIndex('saved_papers_member')
		.on('saved_papers')
		.columns(['member_id', 'saved_at'])
		.execute();

	await db.schema
		.createTable('follows')
		.addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
		// `author` (a written name), `category` (an arXiv category) or `member` (a member id).
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('target', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('follows_pk', ['member_id', 'kind', 'target'])
		.execute();
	await db.schema.createIndex('follows_target').on('follows').columns(['kind', 'target']).execute();

	await db.schema
		.createTable('flags')
		.addColumn('id', 'text', (c) => c.primaryKey())
		// Who flagged.
		.addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
		// `comment` or `paper`.
		.addColumn('target_kind', 'text', (c) => c.notNull())
		.addColumn('target_id', 'text', (c) => c.notNull())
		.addColumn('reason', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('resolved_at', 'text')
		.addColumn('resolved_by', 'text', (c) => c.references('members.id'))
		// What the moderator did: `hidden`, `dismissed`, ...
		.addColumn('resolution', 'text')
		.addUniqueConstraint('flags_once', ['member_id', 'target_kind', 'target_id'])
		.execute();
	await db.schema
		.createIndex('flags_queue')
		.on('flags')
		.columns(['resolved_at', 'created_at'])
		.execute();
	await db.schema
		.createIndex('flags_target')
		.on('flags')
		.columns(['target_kind', 'target_id'])
		.execute();

	await db.schema
		.createTable('moderation_log')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('actor_id', 'text', (c) => c.notNull().references('members.id'))
		// `hide`, `unhide`, `lock`, `unlock`, `ban`, `unban`, `suspend`, `dismiss-flag`, ...
		.addColumn('action', 'text', (c) => c.notNull())
		// `comment`, `paper` or `member`.
		.addColumn('target_kind', 'text', (c) => c.notNull())
		.addColumn('target_id', 'text', (c) => c.notNull())
		.addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('moderation_log_time')
		.on('moderation_log')
		.column('created_at')
		.execute();
	// Feeds and search skip hidden papers; most papers are not hidden, so only they are indexed.
	await sql`create index papers_hidden on papers (hidden_at) where hidden_at is not null`.execute(
		db
	);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`drop index papers_hidden`.execute(db);
	for (const table of [
		'moderation_log',
		'flags',
		'follows',
		'saved_papers',
		'notifications',
		'comments'
	]) {
		await db.schema.dropTable(table).execute();
	}
	await db.schema.alterTable('members').dropColumn('me_seen_at').execute();
	await db.schema.alterTable('members').dropColumn('suspended_until').execute();
	await db.schema.alterTable('papers').dropColumn('thread_locked_at').execute();
	await db.schema.alterTable('papers').dropColumn('hidden_at').execute();
	await db.schema.alterTable('papers').dropColumn('comment_count').execute();
}
