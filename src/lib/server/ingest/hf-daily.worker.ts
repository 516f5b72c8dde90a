/**
 * Worker-thread entry for `importHfDaily({ parseWorker })`: reads and parses one
 * daily-papers source per message and posts the result back. Bundled by
 * scripts/build-cli.mjs as dist/hf-daily.worker.js.
 */
import { parentPort } from 'node:worker_threads';
import { parseHfDocument, readHfSource } from './hf-daily.import';

parentPort?.on(
	'message',
	async (message: { index: number; source: string; timeoutMs?: number }) => {
		const document = await readHfSource(message.source, { timeoutMs: message.timeoutMs });
		parentPort?.postMessage({ index: message.index, parsed: parseHfDocument(document) });
	}
);
