/**
 * The append-only list of migrations. They are imported statically (not read
 * from a folder at run time) so the bundled server and CLI carry them along.
 */
import type { Migration } from 'kysely';
import * as initial from './2026-11-27T00-initial';
import * as arxivMetadata from './2026-11-27T01-arxiv-metadata';
import * as leases from './2026-12-04T00-leases';
import * as communityVotes from './2026-12-04T01-community-votes';
import * as storeId from './2026-12-04T02-store-id';
import * as trending from './2026-12-04T03-trending';
import * as members from './2026-12-04T04-members';
import * as discussion from './2026-12-05T00-discussion';

export const migrations: Record<string, Migration> = {
	'2026-11-27T00-initial': initial,
	'2026-11-27T01-arxiv-metadata': arxivMetadata,
	'2026-12-04T00-leases': leases,
	'2026-12-04T01-community-votes': communityVotes,
	'2026-12-04T02-store-id': storeId,
	'2026-12-04T03-trending': trending,
	'2026-12-04T04-members': members,
	'2026-12-05T00-discussion': discussion
};
