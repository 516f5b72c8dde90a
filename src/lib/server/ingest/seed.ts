/**
 * First run: an empty store is seeded from DP_SEED (a file, folder or URL of
 * Hugging Face daily-papers JSON) or, without it, from the live Hugging Face
 * API for the last 30 days. Without network the site still starts.
 */
import { addDays, dayOf } from '$lib/core/period';
import type { Config } from '../config';
import type { Db } from '../db/create-db';
import type { Logger } from '../log';
import { countRows } from '../papers/paper.repository';
import { importHfDaily, importHfDocuments, readHfSources } from './hf-daily.import';
import type { ImportSummary } from './import-report';

export type SeedOutcome =
	| { kind: 'not-empty' }
	| { kind: 'seeded'; from: string; summary: ImportSummary }
	| { kind: 'unavailable'; reason: string };

/** Seeds the store when it holds no papers; never throws for an unreachable source. */
export async function seedIfEmpty(
	db: Db,
	config: Pick<Config, 'seed' | 'seedFromHuggingFace' | 'huggingFaceApiUrl'>,
	log: Logger,
	now: Date = new Date()
): Promise<SeedOutcome> {
	if ((await countRows(db)).papers > 0) return { kind: 'not-empty' };
	if (config.seed) {
		log.info({ seed: config.seed }, 'empty database: seeding from DP_SEED');
		const summary = await importHfDaily(db, [config.seed]);
		log.info(summaryFields(summary), 'seed import finished');
		return { kind: 'seeded', from: config.seed, summary };
	}
	if (!config.seedFromHuggingFace) {
		log.info(
			'empty database and no DP_SEED: nothing to seed (see the home page for how to import)'
		);
		return { kind: 'unavailable', reason: 'seeding disabled' };
	}
	const today = dayOf(now);
	const urls = Array.from({ length: 30 }, (_, i) => {
		const url = new URL(config.huggingFaceApiUrl);
		url.searchParams.set('date', addDays(today, -i));
		return url.href;
	});
	// Probe with the first day: without network this fails at once and we say so in one line.
	const documents = readHfSources(urls, { timeoutMs: 10_000 });
	const first = await documents.next();
	const firstText = first.done ? { error: 'no response' } : first.value.text;
	if (first.done || typeof firstText !== 'string') {
		const reason = typeof firstText === 'string' ? 'no response' : firstText.error;
		log.warn(
			`could not reach ${config.huggingFaceApiUrl} (${reason}); starting with an empty database — set DP_SEED or run "dailypapers import hf-daily <file|dir|url>"`
		);
		return { kind: 'unavailable', reason };
	}
	async function* all() {
		if (!first.done) yield first.value;
		yield* documents;
	}
	const summary = await importHfDocuments(db, all(), urls.length);
	log.info(summaryFields(summary), 'seeded from the Hugging Face API');
	return { kind: 'seeded', from: config.huggingFaceApiUrl, summary };
}

function summaryFields(s: ImportSummary) {
	return {
		sources: s.sources,
		records: s.records,
		inserted: s.inserted,
		updated: s.updated,
		skipped: s.skipped,
		picksAdded: s.picksAdded
	};
}
