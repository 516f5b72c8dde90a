/**
 * The embedding-model seam: anything that turns texts into fixed-length vectors. Two kinds are
 * implemented — static model2vec models (model2vec.ts) and ONNX transformers run by
 * `@huggingface/transformers` (onnx-transformers.ts); load-embedding-model.ts picks one for a
 * folder or a Hugging Face Hub id.
 */

/** A loaded embedding model. */
export interface EmbeddingProvider {
	/** What was loaded, e.g. `model2vec:minishlab/potion-base-8M`; stored with the vectors. */
	readonly id: string;
	/** Length of every vector `embed` returns. */
	readonly dimensions: number;
	/**
	 * One L2-normalised vector per text, in order; a text with no known token gets the zero
	 * vector. Deterministic: the same text always gives the same vector.
	 */
	embed(texts: readonly string[]): Promise<Float32Array[]>;
	/** Frees native resources (the ONNX session); a no-op for static models. */
	dispose?(): Promise<void>;
}

/** Whether a model is in use, for the start-up log and `/healthz`. */
export type EmbeddingStatus =
	| { status: 'none'; reason: string }
	| { status: 'loaded'; model: string; dims: number; kind: EmbeddingKind }
	| { status: 'failed'; model: string; reason: string };

export type EmbeddingKind = 'model2vec' | 'onnx';

/** A model that cannot be found, fetched or read; the message says which and why. */
export class EmbeddingModelError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'EmbeddingModelError';
	}
}

/** Scales `vector` to unit length in place; a zero (or non-finite) vector becomes all zeros. */
export function normalizeInPlace(vector: Float32Array): Float32Array {
	let sum = 0;
	for (let i = 0; i < vector.length; i++) sum += vector[i] * vector[i];
	const norm = Math.sqrt(sum);
	if (!(norm > 0) || !Number.isFinite(norm)) return vector.fill(0);
	for (let i = 0; i < vector.length; i++) vector[i] /= norm;
	return vector;
}
