/**
 * The search replica: a derived, rebuildable copy of the store's papers in a
 * lexical index on local disk. It follows the store's change feed (`seq`), so
 * any number of app nodes can share one database, each with its own replica.
 *
 * Files in the replica folder: `lexical.bin` (the index), `attributes.json`
 * (filter attributes by id) and `state.json` (the seq they reflect). Each is
 * written to a temporary name and renamed, and state.json last, so a crash
 * mid-save leaves the previous consistent set or forces a rebuild.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/create-db';
import type { Logger } from '../log';
import { currentSeq, listChangesSince } from '../papers/paper.repository';
import { LexicalIndex, type IndexStats } from './lexical-index';
import { toAttributes, toIndexDocument, type PaperAttributes } from './paper-document';

const FORMAT = 1;
const SYNC_BATCH = 2000;

interface ReplicaState {
	format: number;
	seq: number;
	docs: number;
	savedAt: string;
}

export interface ReplicaStats extends IndexStats {
	seq: number;
	storeSeq?: number;
	dir: string;
}

export interface SyncProgress {
	(done: number, seq: number): void;
}

/** A lexical index plus per-paper attributes, following the store's change feed. */
export class SearchReplica {
	private constructor(
		readonly dir: string,
		public index: LexicalIndex,
		readonly attributes: Map<string, PaperAttributes>,
		private seqValue: number
	) {}

	/** The change-feed position this replica reflects. */
	get seq(): number {
		return this.seqValue;
	}

	/** An empty replica that will live in `dir`. */
	static empty(dir: string): SearchReplica {
		return new SearchReplica(dir, LexicalIndex.build([]), new Map(), 0);
	}

	/** Loads the replica saved in `dir`, or returns null when there is none or it is unreadable. */
	static async load(dir: string, log?: Logger): Promise<SearchReplica | null> {
		try {
			const state = JSON.parse(
				await fs.readFile(path.join(dir, 'state.json'), 'utf8')
			) as ReplicaState;
			if (state.format !== FORMAT) return null;
			const index = LexicalIndex.deserialize(await fs.readFile(path.join(dir, 'lexical.bin')));
			const attributes = new Map<string, PaperAttributes>(
				JSON.parse(await fs.readFile(path.join(dir, 'attributes.json'), 'utf8')) as [
					string,
					PaperAttributes
				][]
			);
			return new SearchReplica(dir, index, attributes, state.seq);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
				log?.warn({ err: error, dir }, 'search replica unreadable; it will be rebuilt');
			}
			return null;
		}
	}

	/** Loads the saved replica, or builds a fresh one from the store when there is none. */
	static async open(db: Db, dir: string, log?: Logger): Promise<SearchReplica> {
		const loaded = await SearchReplica.load(dir, log);
		if (loaded) {
			log?.info({ dir, seq: loaded.seq, docs: loaded.index.size }, 'search replica loaded');
			return loaded;
		}
		log?.info({ dir }, 'no search replica on disk: building it from the store');
		const replica = await SearchReplica.build(db, dir);
		await replica.save();
		log?.info({ dir, seq: replica.seq, docs: replica.index.size }, 'search replica built');
		return replica;
	}

	/**
	 * Applies every change after this replica's seq, in batches; returns how many
	 * papers were (re)indexed. Safe to call often: an idle store costs one query.
	 */
	async sync(db: Db, onProgress?: SyncProgress): Promise<number> {
		let done = 0;
		for (;;) {
			const changes = await listChangesSince(db, this.seqValue, SYNC_BATCH);
			if (changes.length === 0) return done;
			for (const paper of changes) {
				this.index.add(toIndexDocument(paper));
				this.attributes.set(paper.id, toAttributes(paper));
				this.seqValue = paper.seq;
			}
			done += changes.length;
			onProgress?.(done, this.seqValue);
		}
	}

	/**
	 * Builds a replica from scratch from everything in the store, streaming the
	 * papers in seq order into the bulk index builder (no per-document updates).
	 */
	static async build(db: Db, dir: string, onProgress?: SyncProgress): Promise<SearchReplica> {
		const attributes = new Map<string, PaperAttributes>();
		let seq = 0;
		let done = 0;
		async function* documents() {
			for (;;) {
				const changes = await listChangesSince(db, seq, SYNC_BATCH);
				if (changes.length === 0) return;
				for (const paper of changes) {
					attributes.set(paper.id, toAttributes(paper));
					seq = paper.seq;
					yield toIndexDocument(paper);
				}
				done += changes.length;
				onProgress?.(done, seq);
			}
		}
		const index = await LexicalIndex.buildAsync(documents());
		return new SearchReplica(dir, index, attributes, seq);
	}

	/** Writes the replica to its folder atomically (temp files, then renames, state last). */
	async save(): Promise<void> {
		await fs.mkdir(this.dir, { recursive: true });
		const write = async (name: string, data: string | Uint8Array) => {
			const temp = path.join(this.dir, `.${name}.${process.pid}.tmp`);
			await fs.writeFile(temp, data);
			await fs.rename(temp, path.join(this.dir, name));
		};
		// Invalidate first: a crash between the data files and the new state must not pair them wrongly.
		await fs.rm(path.join(this.dir, 'state.json'), { force: true });
		await write('lexical.bin', this.index.serialize());
		await write('attributes.json', JSON.stringify([...this.attributes]));
		const state: ReplicaState = {
			format: FORMAT,
			seq: this.seqValue,
			docs: this.index.size,
			savedAt: new Date().toISOString()
		};
		await write('state.json', JSON.stringify(state));
	}

	/** Index figures plus the replica's position (and the store's, when given a db). */
	async stats(db?: Db): Promise<ReplicaStats> {
		return {
			...this.index.stats(),
			seq: this.seqValue,
			...(db ? { storeSeq: await currentSeq(db) } : {}),
			dir: this.dir
		};
	}
}
