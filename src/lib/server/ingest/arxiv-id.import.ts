/**
 * Imports papers by arXiv id (`dailypapers import arxiv-id 2401.12345 hep-th/9901001v2`):
 * looks them up in the arXiv API and saves what it returns. An id arXiv does not
 * know becomes a problem of the report, as does each entry it could not read.
 */
import { parseArxivId } from '$lib/core/arxiv-id';
import type { Db } from '../db/create-db';
import { savePapers } from '../papers/paper.service';
import { fetchArxivByIds } from './arxiv-api';
import type { ImportProblem, ImportSummary } from './import-report';

export interface ArxivIdImportOptions {
	/** The arXiv API's query URL (DP_ARXIV_API_URL); also the source named in problems. */
	baseUrl: string;
}

/**
 * Fetches `ids` (with or without version) from the arXiv API and saves the
 * papers. Throws before any request when an id is malformed, and
 * ArxivRequestError when arXiv cannot be reached.
 */
export async function importArxivIds(
	db: Db,
	ids: string[],
	options: ArxivIdImportOptions
): Promise<ImportSummary> {
	const source = options.baseUrl;
	const fetched = await fetchArxivByIds(ids, { baseUrl: options.baseUrl });
	const problems: ImportProblem[] = fetched.skipped.map((s) => ({
		source,
		record: s.index,
		id: s.id,
		reason: s.reason
	}));
	const found = new Set(fetched.papers.map((p) => p.id));
	for (const id of ids) {
		// fetchArxivByIds has validated every id; papers are stored without version.
		const bare = parseArxivId(id)?.id ?? id;
		if (!found.has(bare)) {
			problems.push({ source, record: null, id, reason: 'arXiv returned no such paper' });
		}
	}
	const saved = await savePapers(db, fetched.papers);
	return {
		sources: 1,
		records: ids.length,
		...saved,
		skipped: ids.length - fetched.papers.length,
		problems
	};
}
