/** What `/healthz` reports: the store answers, and its change-feed position. */
import type { App } from './app';
import type { Logger } from './log';
import type { EmbeddingStatus } from './search/embeddings/provider';
import { currentSeq } from './papers/paper.repository';

export interface Health {
	status: 'ok' | 'failing';
	database: { kind: string; ok: boolean; seq?: number; error?: string };
	/** This node's search replica: its documents and how far behind the store it is. */
	search: SearchHealth;
	uptimeSeconds: number;
}

/** This node's search replica: its documents and how far behind the store it is. */
interface SearchHealth {
	docs: number;
	seq: number;
	/** The corpus-learned layer (`lsa-128`, or `off` below 500 papers). */
	semantic: string;
	/** The embedding model: none / loaded (with the papers it has embedded) / failed and why. */
	embeddings: EmbeddingStatus & { docs?: number };
	lag?: number;
}

/** Checks the store with a cheap query; never throws (a failure is logged on `log`, the request's logger from a route). */
export async function checkHealth(app: App, log: Logger = app.log): Promise<Health> {
	const uptimeSeconds = Math.round((Date.now() - app.startedAt.getTime()) / 1000);
	try {
		// One indexed row, not a count(*): health is polled often and the store may hold millions.
		const seq = await currentSeq(app.store.db);
		return {
			status: 'ok',
			database: { kind: app.store.kind, ok: true, seq },
			search: { ...searchFigures(app), lag: seq - app.search.replica.seq },
			uptimeSeconds
		};
	} catch (error) {
		log.error({ err: error }, 'health check failed');
		return {
			status: 'failing',
			database: { kind: app.store.kind, ok: false, error: 'database query failed' },
			search: searchFigures(app),
			uptimeSeconds
		};
	}
}

function searchFigures(app: App): SearchHealth {
	const replica = app.search.replica;
	const embedded = replica.embeddings?.size;
	// A model that loaded but later failed to embed was dropped by the replica (see the log).
	const embeddings: EmbeddingStatus =
		app.embeddings.status === 'loaded' && embedded === undefined
			? {
					status: 'failed',
					model: app.embeddings.model,
					reason: 'embedding papers failed after start; search runs without the model until restart'
				}
			: app.embeddings;
	return {
		docs: replica.index.size,
		seq: replica.seq,
		semantic: replica.semantic,
		embeddings: embedded === undefined ? embeddings : { ...embeddings, docs: embedded }
	};
}
