/**
 * Turns `DP_EMBEDDING_MODEL` into a provider: a local folder is read as it is; a Hub id
 * (`owner/name`) is fetched once into the cache folder and read from there. The folder's
 * files decide the kind: model2vec (model.safetensors with a model2vec config) or an ONNX
 * transformer (an .onnx graph beside config.json and tokenizer.json).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EmbeddingConfig } from '../../config';
import type { Logger } from '../../log';
import {
	downloadFromHub,
	findCachedModel,
	isHubId,
	looksLikeModel2VecConfig
} from './hub-download';
import { Model2VecProvider } from './model2vec';
import type { OnnxLayout } from './onnx-transformers';
import {
	EmbeddingModelError,
	type EmbeddingKind,
	type EmbeddingProvider,
	type EmbeddingStatus
} from './provider';

/** The embedding part of the configuration. */
export type EmbeddingSettings = EmbeddingConfig;

/** How a model folder is laid out. */
export type ModelLayout = { kind: 'model2vec' } | ({ kind: 'onnx' } & OnnxLayout);

// transformers.js file names, best first: full precision, then the int8-quantized export.
const ONNX_CANDIDATES: (OnnxLayout & { file: string })[] = [
	{ file: 'onnx/model.onnx', subfolder: 'onnx', dtype: 'fp32' },
	{ file: 'onnx/model_quantized.onnx', subfolder: 'onnx', dtype: 'q8' },
	{ file: 'model.onnx', subfolder: '', dtype: 'fp32' },
	{ file: 'model_quantized.onnx', subfolder: '', dtype: 'q8' }
];

/** Decides which provider reads the folder `dir`; throws a message listing what is missing. */
export function detectModelLayout(dir: string): ModelLayout {
	const has = (file: string) => fs.existsSync(path.join(dir, file));
	if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
		throw new EmbeddingModelError(`embedding model folder ${dir} does not exist`);
	if (!has('tokenizer.json'))
		throw new EmbeddingModelError(`${dir} has no tokenizer.json: not a model2vec or ONNX model`);
	const config = has('config.json') ? fs.readFileSync(path.join(dir, 'config.json'), 'utf8') : '';
	const onnx = ONNX_CANDIDATES.find((candidate) => has(candidate.file));
	if (has('model.safetensors') && (looksLikeModel2VecConfig(config) || !onnx))
		return { kind: 'model2vec' };
	if (onnx) {
		if (!config) throw new EmbeddingModelError(`${dir} has an ONNX graph but no config.json`);
		return { kind: 'onnx', subfolder: onnx.subfolder, dtype: onnx.dtype };
	}
	throw new EmbeddingModelError(
		`${dir} has neither model.safetensors (model2vec) nor ${ONNX_CANDIDATES.map((c) => c.file).join(' / ')} (ONNX)`
	);
}

/** Opens the model in a folder whose layout is known; `name` is what the provider id shows. */
export async function openModelFolder(
	dir: string,
	layout: ModelLayout,
	options: { name?: string; batchSize?: number } = {}
): Promise<EmbeddingProvider> {
	if (layout.kind === 'model2vec') return Model2VecProvider.load(dir, options.name ?? dir);
	// Imported here so that the transformers library is only loaded for an ONNX model.
	const { OnnxTransformersProvider } = await import('./onnx-transformers');
	return OnnxTransformersProvider.load(dir, layout, options);
}

/** Where `spec` is on disk (downloading a Hub model first when needed). */
export async function resolveModelFolder(
	spec: string,
	settings: Pick<EmbeddingSettings, 'cacheDir' | 'hubUrl'>,
	log?: Logger
): Promise<string> {
	if (fs.existsSync(spec)) return path.resolve(spec);
	const looksLikePath = path.isAbsolute(spec) || spec.startsWith('.') || spec.includes('\\');
	if (looksLikePath || !isHubId(spec))
		throw new EmbeddingModelError(
			`embedding model "${spec}" is neither an existing folder nor a Hub id (owner/name)`
		);
	const cached = findCachedModel(settings.cacheDir, spec);
	if (cached) return cached;
	log?.info({ model: spec, cacheDir: settings.cacheDir }, 'downloading the embedding model once');
	return downloadFromHub(settings.cacheDir, spec, { hubUrl: settings.hubUrl });
}

/** Resolves, detects and opens `spec`; throws {@link EmbeddingModelError} with the reason. */
export async function openEmbeddingModel(
	spec: string,
	settings: Omit<EmbeddingSettings, 'model'>,
	log?: Logger
): Promise<{ provider: EmbeddingProvider; kind: EmbeddingKind; path: string }> {
	const dir = await resolveModelFolder(spec, settings, log);
	const layout = detectModelLayout(dir);
	const provider = await openModelFolder(dir, layout, {
		name: spec,
		batchSize: settings.batchSize
	});
	return { provider, kind: layout.kind, path: dir };
}

/**
 * The app's start-up step: opens the configured model, or reports why there is none. Never
 * throws — a missing or broken model leaves search lexical + LSA, and the status says so.
 */
export async function loadEmbeddingModel(
	settings: EmbeddingSettings,
	log?: Logger
): Promise<{ provider: EmbeddingProvider | null; status: EmbeddingStatus }> {
	if (!settings.model) {
		const status: EmbeddingStatus = {
			status: 'none',
			reason: 'DP_EMBEDDING_MODEL is not set: the semantic side is the corpus-learned LSA'
		};
		log?.info({ embeddings: status }, 'no embedding model');
		return { provider: null, status };
	}
	try {
		const started = performance.now();
		const { provider, kind, path: dir } = await openEmbeddingModel(settings.model, settings, log);
		const status: EmbeddingStatus = {
			status: 'loaded',
			model: provider.id,
			dims: provider.dimensions,
			kind
		};
		log?.info(
			{ embeddings: status, path: dir, ms: Math.round(performance.now() - started) },
			'embedding model loaded'
		);
		return { provider, status };
	} catch (error) {
		const reason =
			error instanceof EmbeddingModelError ? error.message : `unexpected error: ${String(error)}`;
		const status: EmbeddingStatus = { status: 'failed', model: settings.model, reason };
		log?.warn(
			{ embeddings: status, err: error },
			'embedding model unavailable: search runs lexical + LSA without it'
		);
		return { provider: null, status };
	}
}
