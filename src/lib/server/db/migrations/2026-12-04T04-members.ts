/**
 * Members and what signing in needs: members, their outside identities (Hugging
 * Face's OpenID subject), sessions, one-time sign-in links, personal API tokens and
 * the rate-limit counters every app node shares. Secrets (session ids, link and API
 * tokens) are stored only as SHA-256 hashes: a copy of the database signs nobody in.
 *
 * Member submissions are daily picks with `submitter_id` set (imported picks keep only
 * Hugging Face's user name in `submitted_by`). `paper_votes.member_id` gains the
 * reference the community-votes migration promised: a foreign key on PostgreSQL, and on
 * SQLite (which cannot add one without rebuilding the table) a trigger that refuses a
 * vote by a member who does not exist.
 */
import { sql, type Kysely } from 'kysely';
import { isSqlite } from '../dialect';

export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.createTable('members')
		.addColumn('id', 'text', (c) => c.primaryKey())
		// Lower-cased; a member's way in by magic link.
		.addColumn('email', 'text', (c) => c.notNull().unique())
		.addColumn('username', 'text', (c) => c.notNull())
		// The username lower-cased: unique, so "Ada" and "ada" cannot both exist.
		.addColumn('username_key', 'text', (c) => c.notNull().unique())
		.addColumn('display_name', 'text', (c) => c.notNull())
		.addColumn('role', 'text', (c) => c.notNull().defaultTo('member'))
		// `active` or `banned` (a banned member's sessions are ended and they cannot sign in).
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createTable('member_identities')
		.addColumn('provider', 'text', (c) => c.notNull())
		.addColumn('subject', 'text', (c) => c.notNull())
		.addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('member_identities_pk', ['provider', 'subject'])
		.execute();
	await db.schema
		.createTable('sessions')
		.addColumn('token_hash', 'text', (c) => c.primaryKey())
		.addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('last_seen_at', 'text', (c) => c.notNull())
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addColumn('user_agent', 'text')
		.execute();
	await db.schema.createIndex('sessions_member').on('sessions').column('member_id').execute();
	await db.schema
		.createTable('login_links')
		.addColumn('token_hash', 'text', (c) => c.primaryKey())
		.addColumn('email', 'text', (c) => c.notNull())
		// Where the reader was going (a path on this site), to return there once signed in.
		.addColumn('next_path', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addColumn('used_at', 'text')
		.execute();
	await db.schema
		.createIndex('login_links_expires')
		.on('login_links')
		.column('expires_at')
		.execute();
	await db.schema
		.createTable('api_tokens')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('last_used_at', 'text')
		.addColumn('revoked_at', 'text')
		.execute();
	await db.schema.createIndex('api_tokens_member').on('api_tokens').column('member_id').execute();
	// The layout rate-limiter-flexible reads and writes (its own CREATE TABLE, made here
	// so the schema is migrated in one place); `expire` is epoch milliseconds.
	await db.schema
		.createTable('rate_limits')
		.addColumn('key', isSqlite(db) ? 'text' : 'varchar(255)', (c) => c.primaryKey())
		.addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('expire', 'bigint')
		.execute();
	await db.schema
		.alterTable('daily_picks')
		.addColumn('submitter_id', 'text', (c) => c.references('members.id').onDelete('set null'))
		.execute();
	await db.schema
		.createIndex('daily_picks_submitter')
		.on('daily_picks')
		.columns(['submitter_id', 'submitted_at'])
		.execute();
	if (isSqlite(db)) {
		await sql`create trigger paper_votes_member_exists before insert on paper_votes
			when not exists (select 1 from members where id = new.member_id)
			begin select raise(abort, 'FOREIGN KEY constraint failed: paper_votes.member_id'); end`.execute(db);
	} else {
		await sql`alter table paper_votes add constraint paper_votes_member_fk
			foreign key (member_id) references members (id) on delete cascade`.execute(db);
	}
}

export async function down(db: Kysely<unknown>): Promise<void> {
	if (isSqlite(db)) await sql`drop trigger paper_votes_member_exists`.execute(db);
	else await sql`alter table paper_votes drop constraint paper_votes_member_fk`.execute(db);
	await db.schema.dropIndex('daily_picks_submitter').execute();
	await db.schema.alterTable('daily_picks').dropColumn('submitter_id').execute();
	for (const table of [
		'rate_limits',
		'api_tokens',
		'login_links',
		'sessions',
		'member_identities',
		'members'
	]) {
		await db.schema.dropTable(table).execute();
	}
}
