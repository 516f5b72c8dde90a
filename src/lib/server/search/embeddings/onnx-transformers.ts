/**
 * Transformer encoders in ONNX (Xenova/all-MiniLM-L6-v2 and the like) run by
 * `@huggingface/transformers`: the feature-extraction pipeline with mean pooling over the
 * attention mask and L2 normalisation, as sentence-transformers does for those models.
 *
 * The library (and onnxruntime-node with it) is imported only when such a model is configured,
 * so a site without one never loads the native runtime. It only ever reads local files: Hub
 * models are fetched into the cache by hub-download.ts first.
 *
 * The library is a peer dependency: `npm ci` installs it, `npm ci --omit=peer` leaves it (and
 * onnxruntime and sharp, about 450 MB) out, and then an ONNX model fails with a status saying so.
 */
import { EmbeddingModelError, normalizeInPlace, type EmbeddingProvider } from './provider';

/** Where in a folder the ONNX graph is, as transformers.js names it. */
export interface OnnxLayout {
	/** Folder of the graph relative to the model folder (`onnx`, or `` for the top level). */
	subfolder: string;
	/** `fp32` reads `model.onnx`, `q8` reads `model_quantized.onnx`. */
	dtype: 'fp32' | 'q8';
}

interface PipelineOutput {
	dims: number[];
	data: Float32Array;
}

type Extractor = ((
	texts: string[],
	options: { pooling: 'mean'; normalize: boolean }
) => Promise<PipelineOutput>) & { dispose(): Promise<void> };

/**
 * The package, named through a variable so that no bundler resolves it: present or absent, the
 * built server imports it from node_modules at run time (as any dependency), never bundled.
 */
const ONNX_LIBRARY = '@huggingface/transformers';

/** What a site without the optional library reads in the embedding status and the log. */
export const ONNX_LIBRARY_MISSING = `install ${ONNX_LIBRARY} to use ONNX models`;

/**
 * Runs `load` (the library's dynamic import); a package that is not installed becomes an
 * {@link EmbeddingModelError} that says what to install, other failures pass through.
 */
export async function importOnnxLibrary<Library>(load: () => Promise<Library>): Promise<Library> {
	try {
		return await load();
	} catch (error) {
		const code = (error as { code?: unknown }).code;
		if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
			throw new EmbeddingModelError(
				`${ONNX_LIBRARY_MISSING} (npm ci --omit=peer leaves it out; ${(error as Error).message})`,
				{ cause: error }
			);
		throw error;
	}
}

/** An ONNX encoder with its tokenizer. */
export class OnnxTransformersProvider implements EmbeddingProvider {
	private constructor(
		readonly id: string,
		readonly dimensions: number,
		private readonly extractor: Extractor,
		private readonly batchSize: number
	) {}

	/** Loads the folder `dir` (config.json, tokenizer files, the ONNX graph per `layout`). */
	static async load(
		dir: string,
		layout: OnnxLayout,
		options: { name?: string; batchSize?: number } = {}
	): Promise<OnnxTransformersProvider> {
		const transformers = await importOnnxLibrary(
			() =>
				import(/* @vite-ignore */ ONNX_LIBRARY) as Promise<
					typeof import('@huggingface/transformers')
				>
		);
		// Never reach the network from here: downloads happen once, through hub-download.ts.
		transformers.env.allowRemoteModels = false;
		transformers.env.allowLocalModels = true;
		let extractor: Extractor;
		try {
			extractor = (await transformers.pipeline('feature-extraction', dir, {
				local_files_only: true,
				subfolder: layout.subfolder,
				dtype: layout.dtype
			})) as unknown as Extractor;
		} catch (error) {
			throw new EmbeddingModelError(
				`ONNX model ${dir}: transformers.js could not load it (${(error as Error).message})`,
				{ cause: error }
			);
		}
		// The output width is whatever the graph produces; one probe text tells it.
		const probe = await extractor(['probe'], { pooling: 'mean', normalize: true });
		const dimensions = probe.dims[probe.dims.length - 1];
		if (probe.dims.length !== 2 || !(dimensions > 0)) {
			await extractor.dispose();
			throw new EmbeddingModelError(
				`ONNX model ${dir}: expected [batch, dims] after pooling, got [${probe.dims.join(', ')}]`
			);
		}
		return new OnnxTransformersProvider(
			`onnx:${options.name ?? dir}`,
			dimensions,
			extractor,
			options.batchSize ?? 32
		);
	}

	async embed(texts: readonly string[]): Promise<Float32Array[]> {
		const out: Float32Array[] = [];
		for (let start = 0; start < texts.length; start += this.batchSize) {
			const batch = texts.slice(start, start + this.batchSize);
			const result = await this.extractor(batch, { pooling: 'mean', normalize: true });
			for (let row = 0; row < batch.length; row++) {
				const vector = result.data.slice(row * this.dimensions, (row + 1) * this.dimensions);
				// A text of padding only pools to 0/0; normalising again turns NaN into zeros.
				out.push(normalizeInPlace(vector));
			}
		}
		return out;
	}

	async dispose(): Promise<void> {
		await this.extractor.dispose();
	}
}
