/** `dailypapers user …` as an operator runs it: making the first admin, roles, bans, suspensions; exit codes and messages. */
import { expect, it } from 'vitest';
import { startSession, resolveSession } from '../src/lib/server/auth/session.service';
import { findMemberByEmail } from '../src/lib/server/members/member.repository';
import { runCli } from './support/app-server';
import { describeEachDialect } from './support/databases';

describeEachDialect('dailypapers user', (database) => {
	it('creates the first admin from an address and prints the username', async () => {
		const { env, store } = database();
		const result = await runCli(['user', 'create', '--admin', 'Root.Person@Example.org'], env);
		expect(result.status, result.stderr).toBe(0);
		expect(result.stdout).toContain('created admin root-person (root.person@example.org)');
		expect(await findMemberByEmail(store.db, 'root.person@example.org')).toMatchObject({
			username: 'root-person',
			role: 'admin'
		});
	});

	it('creates a plain member, says so when the address exists, and makes an existing member admin', async () => {
		const { env, store } = database();
		const created = await runCli(['user', 'create', 'plain@example.org'], env);
		expect(created.status).toBe(0);
		expect(created.stdout).toContain('created member plain');
		const again = await runCli(['user', 'create', 'plain@example.org'], env);
		expect(again.status).toBe(0);
		expect(again.stdout).toContain('exists already, as member');
		const promoted = await runCli(['user', 'create', '--admin', 'PLAIN@example.org'], env);
		expect(promoted.status).toBe(0);
		expect(promoted.stdout).toContain('plain (plain@example.org) exists; role is now admin');
		expect((await findMemberByEmail(store.db, 'plain@example.org'))?.role).toBe('admin');
	});

	it('changes a role by username, whatever its case', async () => {
		const { env, store } = database();
		await runCli(['user', 'create', 'meg@example.org'], env);
		const result = await runCli(['user', 'role', 'MEG', 'moderator'], env);
		expect(result.status, result.stderr).toBe(0);
		expect(result.stdout).toContain('meg is now moderator');
		expect((await findMemberByEmail(store.db, 'meg@example.org'))?.role).toBe('moderator');
	});

	it('bans a member, ending their sessions, and lifts the ban', async () => {
		const { env, store } = database();
		await runCli(['user', 'create', 'troll@example.org'], env);
		const member = (await findMemberByEmail(store.db, 'troll@example.org'))!;
		const session = await startSession(store.db, member.id);
		expect(await resolveSession(store.db, session.token)).toBeDefined();
		const banned = await runCli(['user', 'ban', 'troll'], env);
		expect(banned.status, banned.stderr).toBe(0);
		expect(banned.stdout).toContain('troll is banned');
		expect(await resolveSession(store.db, session.token)).toBeUndefined();
		expect((await findMemberByEmail(store.db, 'troll@example.org'))?.status).toBe('banned');
		const lifted = await runCli(['user', 'unban', 'troll'], env);
		expect(lifted.status).toBe(0);
		expect(lifted.stdout).toContain('troll may sign in again');
		expect((await findMemberByEmail(store.db, 'troll@example.org'))?.status).toBe('active');
	});

	it('suspends a member for whole days, and refuses another length', async () => {
		const { env, store } = database();
		await runCli(['user', 'create', 'hothead@example.org'], env);
		const before = Date.now();
		const done = await runCli(['user', 'suspend', 'hothead', '3'], env);
		expect(done.status, done.stderr).toBe(0);
		expect(done.stdout).toContain('hothead is suspended until');
		const until = (await findMemberByEmail(store.db, 'hothead@example.org'))?.suspendedUntil;
		expect(Date.parse(until!) - before).toBeGreaterThanOrEqual(3 * 86_400_000);
		expect(Date.parse(until!) - before).toBeLessThan(3 * 86_400_000 + 60_000);
		const zero = await runCli(['user', 'suspend', 'hothead', '0'], env);
		expect(zero.status).toBe(1);
		expect(zero.stderr).toContain('whole number of days from 1 to 365');
		expect((await findMemberByEmail(store.db, 'hothead@example.org'))?.suspendedUntil).toBe(until);
		const usage = await runCli(['user', 'suspend', 'hothead'], env);
		expect(usage.status).toBe(2);
		expect(usage.stderr).toContain('usage: dailypapers user suspend <username> <days>');
	});

	it('exits 1 naming an unknown username or a bad address, and changes nothing', async () => {
		const { env, store } = database();
		const role = await runCli(['user', 'role', 'nobody-here', 'admin'], env);
		expect(role.status).toBe(1);
		expect(role.stderr).toContain('There is no member called "nobody-here"');
		const ban = await runCli(['user', 'ban', 'nobody-here'], env);
		expect(ban.status).toBe(1);
		expect(ban.stderr).toContain('There is no member called "nobody-here"');
		const address = await runCli(['user', 'create', '--admin', 'not-an-address'], env);
		expect(address.status).toBe(1);
		expect(address.stderr).toContain('Enter a valid e-mail address');
		expect(await findMemberByEmail(store.db, 'not-an-address')).toBeUndefined();
	});

	it('exits 2 with the usage for a bad role, a missing argument or an unknown action', async () => {
		const { env } = database();
		const role = await runCli(['user', 'role', 'root-person', 'superuser'], env);
		expect(role.status).toBe(2);
		expect(role.stderr).toContain('"superuser" is not a role (use member, moderator, admin)');
		const missing = await runCli(['user', 'create'], env);
		expect(missing.status).toBe(2);
		expect(missing.stderr).toContain('usage: dailypapers user create [--admin] <email>');
		const unknown = await runCli(['user', 'delete', 'x'], env);
		expect(unknown.status).toBe(2);
		expect(unknown.stderr).toContain('unknown user action "delete"');
		const misplaced = await runCli(['user', 'ban', '--admin', 'x'], env);
		expect(misplaced.status).toBe(2);
		expect(misplaced.stderr).toContain('--admin goes with user create');
	});
});
