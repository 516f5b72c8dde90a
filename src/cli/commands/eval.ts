/**
 * `dailypapers eval --beir <dir> [--run file] [--embedding-model <dir|owner/name>]`:
 * search quality on a BEIR collection. Needs no store, so it reads the
 * configuration only for an embedding model.
 */
import { createLogger } from '../../lib/server/log';
import { runBeirEval } from '../../lib/server/search/eval/beir';
import { openEmbeddingModel } from '../../lib/server/search/embeddings/load-embedding-model';
import { UsageError, type Command } from '../shared';

export const evalCommand: Command = async ({ flags, config }) => {
	if (!flags.beir)
		throw new UsageError('eval needs --beir <dir> (corpus.jsonl, queries.jsonl, qrels/test.tsv)');
	const spec = flags['embedding-model'];
	const model = spec
		? await openEmbeddingModel(spec, config().embeddings, createLogger('info'))
		: undefined;
	try {
		await runBeirEval(flags.beir, { runFile: flags.run, embeddings: model?.provider });
	} finally {
		await model?.provider.dispose?.();
	}
	return 0;
};
