/**
 * Fetches a model from the Hugging Face Hub once into a local cache folder
 * (`<cache>/<owner>/<name>`), so every later start loads it from disk without the network.
 * Only the files the two providers read are fetched; they land in a temporary folder that is
 * renamed into place when complete, so an interrupted download is retried, never half-used.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { EmbeddingModelError } from './provider';

/** `owner/name`, as the Hub spells repository ids. */
const HUB_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const COMPLETE_MARKER = '.complete';
const METADATA_TIMEOUT_MS = 20_000;
const FILE_TIMEOUT_MS = 30 * 60_000;

/** Whether `spec` has the shape of a Hub repository id (`minishlab/potion-base-8M`). */
export function isHubId(spec: string): boolean {
	return HUB_ID.test(spec) && !spec.includes('..');
}

/** The cache folder a Hub model lives in once downloaded. */
export function cachedModelDir(cacheDir: string, hubId: string): string {
	return path.join(cacheDir, ...hubId.split('/'));
}

/** Returns the cached folder when a complete download is there, else null. */
export function findCachedModel(cacheDir: string, hubId: string): string | null {
	const dir = cachedModelDir(cacheDir, hubId);
	return fs.existsSync(path.join(dir, COMPLETE_MARKER)) ? dir : null;
}

export interface HubDownloadOptions {
	/** The Hub's base URL (a mirror, or a local server in tests). */
	hubUrl: string;
	fetch?: typeof fetch;
}

/**
 * Downloads `hubId` into the cache unless it is there already; returns the folder. model2vec
 * repositories (config `model_type: model2vec`) get tokenizer + safetensors; anything else is
 * treated as a transformers.js repository and gets tokenizer files + onnx/model.onnx (or the
 * quantized graph when only that exists).
 */
export async function downloadFromHub(
	cacheDir: string,
	hubId: string,
	options: HubDownloadOptions
): Promise<string> {
	if (!isHubId(hubId)) throw new EmbeddingModelError(`"${hubId}" is not a Hub id (owner/name)`);
	const cached = findCachedModel(cacheDir, hubId);
	if (cached) return cached;
	const fetchImpl = options.fetch ?? fetch;
	const base = `${options.hubUrl.replace(/\/+$/, '')}/${hubId}/resolve/main`;
	const finalDir = cachedModelDir(cacheDir, hubId);
	const tempDir = `${finalDir}.partial-${process.pid}-${Date.now()}`;

	const get = async (file: string, timeoutMs: number): Promise<Response | null> => {
		let response: Response;
		try {
			response = await fetchImpl(`${base}/${file}`, {
				redirect: 'follow',
				signal: AbortSignal.timeout(timeoutMs)
			});
		} catch (error) {
			throw new EmbeddingModelError(
				`cannot download ${hubId} from ${options.hubUrl}: ${describeNetworkError(error)}`,
				{ cause: error }
			);
		}
		if (response.status === 404) {
			await response.body?.cancel();
			return null;
		}
		if (!response.ok) {
			await response.body?.cancel();
			throw new EmbeddingModelError(
				`cannot download ${hubId}/${file} from ${options.hubUrl}: HTTP ${response.status}`
			);
		}
		return response;
	};
	const save = async (file: string, response: Response): Promise<void> => {
		const target = path.join(tempDir, file);
		await fsp.mkdir(path.dirname(target), { recursive: true });
		if (!response.body) throw new EmbeddingModelError(`${hubId}/${file}: empty response`);
		await pipeline(
			Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
			fs.createWriteStream(target)
		);
	};
	const fetchFile = async (file: string, required: boolean): Promise<boolean> => {
		const response = await get(file, FILE_TIMEOUT_MS);
		if (!response) {
			if (required) throw new EmbeddingModelError(`${hubId} has no ${file} on ${options.hubUrl}`);
			return false;
		}
		await save(file, response);
		return true;
	};

	try {
		const configResponse = await get('config.json', METADATA_TIMEOUT_MS);
		if (!configResponse)
			throw new EmbeddingModelError(
				`${hubId} was not found on ${options.hubUrl} (no config.json; is the id right and the model public?)`
			);
		const configText = await configResponse.text();
		await fsp.mkdir(tempDir, { recursive: true });
		await fsp.writeFile(path.join(tempDir, 'config.json'), configText);
		const isModel2Vec = looksLikeModel2VecConfig(configText);
		await fetchFile('tokenizer.json', true);
		await fetchFile('tokenizer_config.json', false);
		if (isModel2Vec) {
			await fetchFile('model.safetensors', true);
		} else if (
			!(await fetchFile('onnx/model.onnx', false)) &&
			!(await fetchFile('onnx/model_quantized.onnx', false))
		) {
			throw new EmbeddingModelError(
				`${hubId} has neither model2vec weights nor onnx/model.onnx on ${options.hubUrl}; use an ONNX export (e.g. the Xenova/… repositories)`
			);
		}
		await fsp.writeFile(path.join(tempDir, COMPLETE_MARKER), new Date().toISOString());
		await fsp.rm(finalDir, { recursive: true, force: true });
		await fsp.mkdir(path.dirname(finalDir), { recursive: true });
		await fsp.rename(tempDir, finalDir);
		return finalDir;
	} finally {
		await fsp.rm(tempDir, { recursive: true, force: true });
	}
}

/** Whether a config.json is model2vec's (StaticModel) rather than a transformer's. */
export function looksLikeModel2VecConfig(configText: string): boolean {
	try {
		const config = JSON.parse(configText) as { model_type?: unknown; architectures?: unknown };
		return (
			config.model_type === 'model2vec' ||
			(Array.isArray(config.architectures) && config.architectures.includes('StaticModel'))
		);
	} catch {
		return false;
	}
}

function describeNetworkError(error: unknown): string {
	const err = error as Error & { cause?: { code?: string; message?: string } };
	if (err.name === 'TimeoutError') return 'timed out';
	return err.cause?.code ?? err.cause?.message ?? err.message;
}
