/**
 * Static embeddings in the model2vec format (minishlab/potion-base-8M and friends): a folder
 * with `tokenizer.json`, `model.safetensors` (an `embeddings` matrix, one row per token, and
 * optionally per-token `weights` and a token → row `mapping`) and `config.json`. A text's
 * vector is the mean of its tokens' rows — tokenized without special tokens, unknown tokens
 * dropped, at most 512 tokens — as model2vec's StaticModel.encode does, then L2-normalised.
 * No ONNX runtime is involved: embedding a paper costs microseconds.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { EmbeddingModelError, normalizeInPlace, type EmbeddingProvider } from './provider';
import { SafetensorsFile } from './safetensors';

/** model2vec's default truncation (tokens per text). */
const MAX_TOKENS = 512;
// Texts are tokenized in slices of this many, yielding to the event loop in between.
const SLICE = 256;

interface TokenizerLike {
	encode(text: string, options: { add_special_tokens: boolean }): { ids: number[] };
	get_vocab(withAddedTokens?: boolean): Map<string, number>;
	token_to_id(token: string): number | undefined;
}

/** A model2vec model loaded in memory. */
export class Model2VecProvider implements EmbeddingProvider {
	readonly dimensions: number;

	private constructor(
		readonly id: string,
		private readonly tokenizer: TokenizerLike,
		private readonly matrix: Float32Array,
		dims: number,
		private readonly weights: Float32Array | null,
		private readonly mapping: Int32Array | null,
		private readonly unknownId: number | undefined,
		private readonly maxChars: number
	) {
		this.dimensions = dims;
	}

	/** Loads a model2vec folder; `name` is what the id reports (the Hub id or the folder). */
	static async load(dir: string, name: string = dir): Promise<Model2VecProvider> {
		const read = async (file: string): Promise<Buffer> => {
			try {
				return await fs.readFile(path.join(dir, file));
			} catch (error) {
				throw new EmbeddingModelError(`model2vec model ${dir}: cannot read ${file}`, {
					cause: error
				});
			}
		};
		const [tokenizerBytes, tensorBytes] = await Promise.all([
			read('tokenizer.json'),
			read('model.safetensors')
		]);
		const tokenizerJson = parseJson(tokenizerBytes, `${dir}/tokenizer.json`) as {
			model?: { unk_token?: string | null };
		};
		const tokenizerConfig = await fs
			.readFile(path.join(dir, 'tokenizer_config.json'), 'utf8')
			.then((text) => parseJson(Buffer.from(text), `${dir}/tokenizer_config.json`))
			.catch((error: unknown) => {
				if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
				throw error;
			});
		// Loaded on demand: a site without a model never parses the tokenizer library.
		const { Tokenizer } = await import('@huggingface/tokenizers');
		let tokenizer: TokenizerLike;
		try {
			tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig as object) as TokenizerLike;
		} catch (error) {
			throw new EmbeddingModelError(`${dir}/tokenizer.json: unsupported tokenizer`, {
				cause: error
			});
		}

		const tensors = new SafetensorsFile(tensorBytes, `${dir}/model.safetensors`);
		const matrixName = tensors.has('embeddings') ? 'embeddings' : 'embedding.weight';
		if (!tensors.has(matrixName))
			throw new EmbeddingModelError(
				`${dir}/model.safetensors: no "embeddings" tensor (found ${tensors.names().join(', ') || 'none'})`
			);
		const embeddings = tensors.floats(matrixName);
		if (embeddings.shape.length !== 2)
			throw new EmbeddingModelError(`${dir}/model.safetensors: "${matrixName}" is not a matrix`);
		const [rows, dims] = embeddings.shape;
		const vocab = tokenizer.get_vocab(true);
		const mapping = tensors.has('mapping') ? tensors.ints('mapping').data : null;
		const weights = tensors.has('weights') ? tensors.floats('weights').data : null;
		const tokens = mapping ? mapping.length : rows;
		if (vocab.size > tokens)
			throw new EmbeddingModelError(
				`${dir}: the tokenizer has ${vocab.size} tokens but the matrix covers ${tokens}`
			);
		if (mapping && mapping.some((row) => row < 0 || row >= rows))
			throw new EmbeddingModelError(
				`${dir}/model.safetensors: "mapping" points outside the matrix`
			);

		const unkToken = tokenizerJson.model?.unk_token;
		const unknownId = unkToken ? tokenizer.token_to_id(unkToken) : undefined;
		// model2vec cuts texts at max tokens × the median token length before tokenizing.
		const lengths = [...vocab.keys()].map((token) => token.length).sort((a, b) => a - b);
		const median = lengths.length > 0 ? lengths[Math.floor(lengths.length / 2)] : 1;
		return new Model2VecProvider(
			`model2vec:${name}`,
			tokenizer,
			embeddings.data,
			dims,
			weights,
			mapping,
			unknownId,
			MAX_TOKENS * Math.max(1, median)
		);
	}

	async embed(texts: readonly string[]): Promise<Float32Array[]> {
		const out: Float32Array[] = [];
		for (let start = 0; start < texts.length; start += SLICE) {
			if (start > 0) await new Promise((resolve) => setImmediate(resolve));
			for (const text of texts.slice(start, start + SLICE)) out.push(this.embedOne(text));
		}
		return out;
	}

	private embedOne(text: string): Float32Array {
		const dims = this.dimensions;
		const vector = new Float32Array(dims);
		const ids = this.tokenizer.encode(text.slice(0, this.maxChars), {
			add_special_tokens: false
		}).ids;
		let count = 0;
		for (const id of ids) {
			if (id === this.unknownId) continue;
			const row = this.mapping ? this.mapping[id] : id;
			if (row === undefined || row * dims >= this.matrix.length) continue;
			const weight = this.weights ? this.weights[id] : 1;
			const offset = row * dims;
			for (let i = 0; i < dims; i++) vector[i] += weight * this.matrix[offset + i];
			if (++count === MAX_TOKENS) break;
		}
		// The mean's divisor does not change the direction: normalising is enough.
		return normalizeInPlace(vector);
	}
}

function parseJson(bytes: Buffer, what: string): unknown {
	try {
		return JSON.parse(bytes.toString('utf8'));
	} catch (error) {
		throw new EmbeddingModelError(`${what}: not valid JSON`, { cause: error });
	}
}
