/**
 * The search replica: a derived, rebuildable copy of the store's papers in a
 * lexical index on local disk. It follows the store's change feed (`seq`), so
 * any number of app nodes can share one database, each with its own replica.
 *
 * Files in the replica folder: `lexical.bin` (the index), `lsa.bin` (the
 * semantic layer learned from the corpus, when it is large enough), `attributes.json`
 * (filter attributes by id), `embeddings.bin` (paper vectors from the embedding model, when one
 * is configured; it names the model) and `state.json` (the store they come from, the seq they
 * reflect, a checksum of attributes.json). Each is written to a temporary name and renamed, and
 * state.json last, so a crash mid-save leaves the previous consistent set or forces a rebuild.
 * The binary files carry a checksum per section (shared/sections.ts).
 *
 * A saved replica is used only when it provably belongs to the store: the same store id
 * (`store_meta`), and a seq the store has reached. Otherwise it is rebuilt, with one warning:
 * an index folder left from another database would answer searches with another corpus, and a
 * seq ahead of the store would hide every paper written until the store caught up.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Db } from '../db/create-db';
import { findStoreId } from '../db/store-meta.repository';
import type { Logger } from '../log';
import { currentSeq, listChangesSince } from '../papers/paper.repository';
import { DocumentEmbeddings } from './embeddings/document-embeddings';
import type { EmbeddingProvider } from './embeddings/provider';
import { SearchEngine } from './search-engine';
import { LexicalIndex, type IndexStats } from './lexical/lexical-index';
import { LsaIndex } from './semantic/lsa';
import { ChecksumError, readSectionFile } from './shared/sections';
import { toAttributes, toIndexDocument, type PaperAttributes } from './paper-document';

// 3: lsa.bin version 2 (document vectors in a VectorIndex). 4: section checksums, the store id
// and a checksum of attributes.json in state.json.
const FORMAT = 4;
const SYNC_BATCH = 2000;
// Below this many papers a corpus-learned semantic space is noise: search stays lexical
// until the next `index build`.
const MIN_DOCS_FOR_LSA = 500;

interface ReplicaState {
	format: number;
	/** The `store_meta` id of the store the replica was built from (null: the store had none). */
	storeId: string | null;
	seq: number;
	docs: number;
	savedAt: string;
	/** CRC-32 of attributes.json (the binary files check themselves). */
	attributesCrc32: number;
	/** Whether lsa.bin was saved: a missing one is then damage, not a small corpus. */
	lsa: boolean;
}

/** Which store a replica must belong to, and how far that store has gone. */
export interface StoreIdentity {
	storeId: string | null;
	storeSeq: number;
}

/** The identity and position of the store `db`, to check a saved replica against. */
export async function storeIdentity(db: Db): Promise<StoreIdentity> {
	return { storeId: await findStoreId(db), storeSeq: await currentSeq(db) };
}

/** A saved replica that cannot be used, and why; it is rebuilt. */
class StaleReplicaError extends Error {}

/** Why `state` (parsed JSON from state.json) cannot be used with `store`, or null when it can. */
function staleReason(state: Partial<ReplicaState>, store?: StoreIdentity): string | null {
	if (!Number.isSafeInteger(state.seq) || (state.seq as number) < 0) {
		return 'state.json has no valid seq';
	}
	if (!store) return null;
	if (store.storeId !== null && state.storeId !== store.storeId) {
		return `it was built from another store (id ${String(state.storeId)}, this store is ${store.storeId})`;
	}
	if ((state.seq as number) > store.storeSeq) {
		return `it is at seq ${state.seq}, ahead of the store (seq ${store.storeSeq})`;
	}
	return null;
}

export interface ReplicaStats extends IndexStats {
	/** The semantic layer: LSA dimensions, or off (too few papers when last built). */
	semantic: string;
	seq: number;
	storeSeq?: number;
	dir: string;
}

export interface SyncProgress {
	(done: number, seq: number): void;
}

/** A lexical index plus per-paper attributes, following the store's change feed. */
export class SearchReplica {
	private embeddingsLayer: DocumentEmbeddings | null = null;

	private constructor(
		readonly dir: string,
		readonly engine: SearchEngine,
		readonly attributes: Map<string, PaperAttributes>,
		private seqValue: number,
		private readonly storeId: string | null,
		/** Bumped by every change in memory; `savedVersion` is the one on disk. */
		private version: number
	) {}

	private savedVersion = 0;

	/** True when memory holds changes (a build, new vectors, synced papers) not yet saved. */
	get hasUnsavedChanges(): boolean {
		return this.version !== this.savedVersion;
	}

	/** The lexical layer (document numbers, postings) for filters and "similar papers". */
	get index(): LexicalIndex {
		return this.engine.lexical;
	}

	/** Paper vectors from the configured embedding model, or null without one. */
	get embeddings(): DocumentEmbeddings | null {
		return this.embeddingsLayer;
	}

	private attachEmbeddings(layer: DocumentEmbeddings | null): void {
		this.embeddingsLayer = layer;
		this.engine.dense = layer;
	}

	/** A short description of the semantic layer, for logs and health. */
	get semantic(): string {
		return this.engine.lsa ? `lsa-${this.engine.lsa.dims}` : 'off';
	}

	/** The change-feed position this replica reflects. */
	get seq(): number {
		return this.seqValue;
	}

	/**
	 * Loads the replica saved in `dir`, or returns null when there is none or it is unreadable,
	 * damaged (a checksum mismatch) or, given `store`, not that store's (see {@link staleReason}).
	 * With an embedding `provider`, its saved vectors are attached when that model made them.
	 */
	static async load(
		dir: string,
		log?: Logger,
		provider?: EmbeddingProvider | null,
		store?: StoreIdentity
	): Promise<SearchReplica | null> {
		try {
			const state = JSON.parse(
				await fs.readFile(path.join(dir, 'state.json'), 'utf8')
			) as Partial<ReplicaState>;
			if (state.format !== FORMAT) {
				log?.info({ dir, format: state.format, expected: FORMAT }, 'search replica format changed');
				return null;
			}
			const stale = staleReason(state, store);
			if (stale) throw new StaleReplicaError(stale);
			const lexical = await readSectionFile(path.join(dir, 'lexical.bin'));
			const lsa = await readSectionFile(path.join(dir, 'lsa.bin')).catch((error: unknown) => {
				if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
				throw error;
			});
			if (state.lsa && !lsa) throw new StaleReplicaError('lsa.bin is missing');
			const engine = SearchEngine.deserialize({ lexical, lsa });
			// The files must be one set: a lexical.bin from another save fails here or on its checksum.
			if (engine.lexical.size !== state.docs) {
				throw new StaleReplicaError(
					`lexical.bin holds ${engine.lexical.size} papers, state.json says ${state.docs}`
				);
			}
			const attributesBytes = await fs.readFile(path.join(dir, 'attributes.json'));
			if (crc32(attributesBytes) !== state.attributesCrc32) {
				throw new ChecksumError('attributes.json does not match its checksum in state.json');
			}
			const attributes = new Map<string, PaperAttributes>(
				JSON.parse(attributesBytes.toString('utf8')) as [string, PaperAttributes][]
			);
			const replica = new SearchReplica(
				dir,
				engine,
				attributes,
				state.seq as number,
				state.storeId ?? null,
				0
			);
			if (provider) {
				const saved = await readSectionFile(path.join(dir, 'embeddings.bin')).catch(() => null);
				replica.attachEmbeddings(saved && readEmbeddings(saved, provider, log));
			}
			return replica;
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			// No folder, or a file where the folder should be: nothing to load (saving says the rest).
			if (code === 'ENOENT' || code === 'ENOTDIR') return null;
			if (error instanceof StaleReplicaError || error instanceof ChecksumError) {
				// Expected kinds of damage: one line that says which, without a stack.
				log?.warn({ dir, reason: error.message }, 'search replica not usable; it will be rebuilt');
			} else {
				log?.warn({ err: error, dir }, 'search replica unreadable; it will be rebuilt');
			}
			return null;
		}
	}

	/**
	 * Loads the saved replica when it belongs to the store `db`, or builds a fresh one from the
	 * store. With an embedding `provider` whose vectors are not on disk (first use, or another
	 * model), every paper is embedded now. Does not save: a built or re-embedded replica
	 * {@link hasUnsavedChanges}, and the caller decides what a failing disk means.
	 */
	static async open(
		db: Db,
		dir: string,
		log?: Logger,
		provider?: EmbeddingProvider | null
	): Promise<SearchReplica> {
		const loaded = await SearchReplica.load(dir, log, provider, await storeIdentity(db));
		if (loaded) {
			log?.info({ dir, seq: loaded.seq, docs: loaded.index.size }, 'search replica loaded');
			if (provider && !loaded.embeddings) {
				log?.info({ model: provider.id }, 'embedding every paper with the configured model');
				const embedded = await loaded.embedAll(db, provider);
				log?.info({ model: provider.id, docs: embedded.size }, 'papers embedded');
			}
			return loaded;
		}
		log?.info({ dir }, 'building the search replica from the store');
		const replica = await SearchReplica.build(db, dir, undefined, provider);
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
			const embedding = this.embeddingsLayer?.add(changes.filter((p) => !p.hiddenAt));
			for (const paper of changes) {
				// Hiding a paper moves its seq, so the replica meets it here and lets it go.
				if (paper.hiddenAt) {
					this.engine.remove(paper.id);
					this.attributes.delete(paper.id);
					this.embeddingsLayer?.remove(paper.id);
				} else {
					this.engine.add(toIndexDocument(paper));
					this.attributes.set(paper.id, toAttributes(paper));
				}
				this.seqValue = paper.seq;
			}
			this.version++;
			try {
				await embedding;
			} catch (error) {
				// A failing model must not stop the lexical replica: search falls back to LSA.
				this.attachEmbeddings(null);
				throw new Error('embedding failed: the model layer is off until restart', {
					cause: error
				});
			}
			done += changes.length;
			onProgress?.(done, this.seqValue);
		}
	}

	/**
	 * Builds a replica from scratch from everything in the store, streaming the
	 * papers in seq order into the bulk index builder (no per-document updates).
	 */
	static async build(
		db: Db,
		dir: string,
		onProgress?: SyncProgress,
		provider?: EmbeddingProvider | null
	): Promise<SearchReplica> {
		const attributes = new Map<string, PaperAttributes>();
		const embeddings = provider ? DocumentEmbeddings.builder(provider) : null;
		// Read before the papers: papers written during the build are then synced, never skipped.
		const storeId = await findStoreId(db);
		let seq = 0;
		let done = 0;
		async function* documents() {
			for (;;) {
				const changes = await listChangesSince(db, seq, SYNC_BATCH);
				if (changes.length === 0) return;
				const shown = changes.filter((paper) => !paper.hiddenAt);
				await embeddings?.add(shown);
				for (const paper of shown) {
					attributes.set(paper.id, toAttributes(paper));
					yield toIndexDocument(paper);
				}
				seq = changes[changes.length - 1].seq;
				done += changes.length;
				onProgress?.(done, seq);
			}
		}
		const lexical = await LexicalIndex.buildAsync(documents());
		const lsa = lexical.size >= MIN_DOCS_FOR_LSA ? LsaIndex.train(lexical) : null;
		const replica = new SearchReplica(
			dir,
			new SearchEngine(lexical, lsa),
			attributes,
			seq,
			storeId,
			1
		);
		replica.attachEmbeddings(embeddings?.finish() ?? null);
		return replica;
	}

	/** Embeds every paper in the store with `provider`, replacing the current vectors. */
	async embedAll(db: Db, provider: EmbeddingProvider): Promise<DocumentEmbeddings> {
		const builder = DocumentEmbeddings.builder(provider);
		for (let seq = 0; ;) {
			const changes = await listChangesSince(db, seq, SYNC_BATCH);
			if (changes.length === 0) break;
			await builder.add(changes.filter((paper) => !paper.hiddenAt));
			seq = changes[changes.length - 1].seq;
		}
		const layer = builder.finish();
		this.attachEmbeddings(layer);
		this.version++;
		return layer;
	}

	/**
	 * Writes the replica to its folder atomically (temp files, then renames, state last). On a
	 * failure (read-only or full disk, a file in the folder's place) it removes its temp file and
	 * throws; the replica in memory stays usable and unsaved.
	 */
	async save(): Promise<void> {
		await fs.mkdir(this.dir, { recursive: true });
		await removeOrphanedTempFiles(this.dir);
		const write = async (name: string, data: string | Uint8Array) => {
			const temp = path.join(this.dir, `.${name}.${process.pid}.tmp`);
			try {
				await fs.writeFile(temp, data);
				await fs.rename(temp, path.join(this.dir, name));
			} catch (error) {
				// A full disk would otherwise keep a partial multi-megabyte temp file.
				await fs.rm(temp, { force: true }).catch(() => undefined);
				throw error;
			}
		};
		// Invalidate first: a crash between the data files and the new state must not pair them wrongly.
		await fs.rm(path.join(this.dir, 'state.json'), { force: true });
		const version = this.version;
		const seq = this.seqValue;
		const docs = this.index.size;
		const files = this.engine.serialize();
		await write('lexical.bin', files.lexical);
		if (files.lsa) await write('lsa.bin', files.lsa);
		else await fs.rm(path.join(this.dir, 'lsa.bin'), { force: true });
		const attributes = Buffer.from(JSON.stringify([...this.attributes]));
		await write('attributes.json', attributes);
		if (this.embeddingsLayer) await write('embeddings.bin', this.embeddingsLayer.serialize());
		else await fs.rm(path.join(this.dir, 'embeddings.bin'), { force: true });
		const state: ReplicaState = {
			format: FORMAT,
			storeId: this.storeId,
			seq,
			docs,
			savedAt: new Date().toISOString(),
			attributesCrc32: crc32(attributes),
			lsa: files.lsa !== null
		};
		await write('state.json', JSON.stringify(state));
		this.savedVersion = version;
	}

	/** Index figures plus the replica's position (and the store's, when given a db). */
	async stats(db?: Db): Promise<ReplicaStats> {
		return {
			...this.index.stats(),
			semantic: this.semantic,
			seq: this.seqValue,
			...(db ? { storeSeq: await currentSeq(db) } : {}),
			dir: this.dir
		};
	}
}

/** `.lexical.bin.<pid>.tmp` and its kin, as {@link SearchReplica.save} names its temporary files. */
const TEMP_FILE =
	/^\.(?:lexical\.bin|lsa\.bin|attributes\.json|embeddings\.bin|state\.json)\.(\d+)\.tmp$/;

/**
 * Removes temporary files left in `dir` by a save that was killed (kill -9, power loss): they
 * would otherwise stay forever, each as large as the file it was replacing. Files of a process
 * still running (another save under way) are left alone.
 */
async function removeOrphanedTempFiles(dir: string): Promise<void> {
	for (const name of await fs.readdir(dir)) {
		const pid = TEMP_FILE.exec(name)?.[1];
		if (pid === undefined || (Number(pid) !== process.pid && processExists(Number(pid)))) continue;
		await fs.rm(path.join(dir, name), { force: true });
	}
}

function processExists(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists but belongs to someone else.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Saved vectors made by `provider`'s model, or null (another model, or unreadable: re-embed). */
function readEmbeddings(
	bytes: Uint8Array,
	provider: EmbeddingProvider,
	log?: Logger
): DocumentEmbeddings | null {
	try {
		return DocumentEmbeddings.deserialize(bytes, provider);
	} catch (error) {
		log?.warn({ err: error }, 'embeddings.bin unreadable; papers will be embedded again');
		return null;
	}
}
