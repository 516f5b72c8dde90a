/**
 * Worker-thread entry of a snapshot import (see arxiv-snapshot.chunks.ts): reads
 * and parses the file, posting chunks while at most `chunksAhead` of them wait
 * for the writer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseSnapshotChunks, type ChunkOptions } from './arxiv-snapshot.chunks';

const { file, options, chunksAhead } = workerData as {
	file: string;
	options: ChunkOptions;
	chunksAhead: number;
};
let waiting = 0;
let resume: (() => void) | null = null;
parentPort!.on('message', () => {
	waiting -= 1;
	resume?.();
});

try {
	for await (const chunk of parseSnapshotChunks(file, options)) {
		parentPort!.postMessage({ chunk });
		waiting += 1;
		while (waiting >= chunksAhead) await new Promise<void>((r) => (resume = r));
	}
	parentPort!.postMessage({ done: true });
} catch (error) {
	parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
