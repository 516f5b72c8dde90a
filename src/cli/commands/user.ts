/**
 * `dailypapers user …`: members from the command line, run by whoever runs the
 * site (there is no admin page yet). `user create --admin <email>` makes the first
 * admin; `role`, `ban`, `unban` and `suspend <username> <days>` act on a username. Each
 * opens the store, migrates it and does one thing through members/member.service.ts or
 * moderation/moderation.service.ts (a ban hides the member's comments there too; the
 * operator is no member, so these write no audit-log line).
 */
import { isRole, ROLES } from '../../lib/core/member';
import { migrateToLatest } from '../../lib/server/db/migrate';
import { findOrCreateMember, setRole } from '../../lib/server/members/member.service';
import {
	banMemberAs,
	suspendMemberAs,
	unbanMemberAs
} from '../../lib/server/moderation/moderation.service';
import { UsageError, withStore, type Command } from '../shared';

const ACTIONS = 'create, role, ban, unban or suspend';

export const userCommand: Command = ({ args, flags, config: readConfig }) => {
	const [action, ...rest] = args;
	const expect = (count: number, shape: string) => {
		if (rest.length !== count) throw new UsageError(`usage: dailypapers user ${shape}`);
	};
	if (action !== 'create' && flags.admin) throw new UsageError('--admin goes with user create');
	switch (action) {
		case 'create': {
			expect(1, 'create [--admin] <email>');
			const role = flags.admin ? 'admin' : 'member';
			return withStore(readConfig(), async ({ db }) => {
				await migrateToLatest(db);
				const { member, created } = await findOrCreateMember(db, rest[0], { role });
				if (created) {
					console.log(`created ${member.role} ${member.username} (${member.email})`);
				} else if (role === 'admin' && member.role !== 'admin') {
					await setRole(db, member.username, 'admin');
					console.log(`${member.username} (${member.email}) exists; role is now admin`);
				} else {
					console.log(`${member.username} (${member.email}) exists already, as ${member.role}`);
				}
				return 0;
			});
		}
		case 'role': {
			expect(2, `role <username> <${ROLES.join('|')}>`);
			const [username, role] = rest;
			if (!isRole(role)) {
				throw new UsageError(`"${role}" is not a role (use ${ROLES.join(', ')})`);
			}
			return withStore(readConfig(), async ({ db }) => {
				await migrateToLatest(db);
				const member = await setRole(db, username, role);
				console.log(`${member.username} is now ${member.role}`);
				return 0;
			});
		}
		case 'ban':
		case 'unban': {
			expect(1, `${action} <username>`);
			return withStore(readConfig(), async ({ db }) => {
				await migrateToLatest(db);
				const member =
					action === 'ban'
						? await banMemberAs(db, null, { username: rest[0] })
						: await unbanMemberAs(db, null, { username: rest[0] });
				console.log(
					action === 'ban'
						? `${member.username} is banned: signed out everywhere, and cannot sign in`
						: `${member.username} may sign in again`
				);
				return 0;
			});
		}
		case 'suspend': {
			expect(2, 'suspend <username> <days>');
			return withStore(readConfig(), async ({ db }) => {
				await migrateToLatest(db);
				const member = await suspendMemberAs(db, null, { username: rest[0], days: rest[1] });
				console.log(
					`${member.username} is suspended until ${member.suspendedUntil}: may read, but not post, vote or submit`
				);
				return 0;
			});
		}
		default:
			throw new UsageError(`unknown user action "${action ?? ''}" (use ${ACTIONS})`);
	}
};
