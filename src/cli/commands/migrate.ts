/** `dailypapers migrate`: applies pending migrations, once, and says which. */
import { migrateToLatest } from '../../lib/server/db/migrate';
import { withStore, type Command } from '../shared';

export const migrateCommand: Command = ({ config }) =>
	withStore(config(), async ({ db }) => {
		const applied = await migrateToLatest(db);
		console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
		return 0;
	});
