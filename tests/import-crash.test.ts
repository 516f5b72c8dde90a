/**
 * kill -9 in the middle of `dailypapers import hf-daily`, then the same command
 * again: nothing half-written, nothing missing, nothing doubled.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { killCliAfterFirstCommit, runCli } from './support/app-server';
import { describeEachDialect } from './support/databases';
import { makeHfEntry } from './support/fixtures';
import { countRows, currentSeq } from '../src/lib/server/papers/paper.repository';

const FILES = 300;
const PER_FILE = 40;

function writeArchive(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-crash-'));
	for (let f = 0; f < FILES; f += 1) {
		const day = new Date(Date.UTC(2030, 0, 1) + f * 86_400_000).toISOString().slice(0, 10);
		const entries = Array.from({ length: PER_FILE }, (_, i) => {
			const entry = makeHfEntry(`3001.${String(f * PER_FILE + i).padStart(5, '0')}`);
			// Distinct author lists per paper, so a half-written byline would show.
			(entry.paper as { authors: { name: string }[] }).authors = Array.from(
				{ length: 1 + (i % 7) },
				(_, a) => ({
					name: `Author ${f}-${i}-${a}`
				})
			);
			return entry;
		});
		fs.writeFileSync(path.join(dir, `${day}.json`), JSON.stringify(entries));
	}
	return dir;
}

describeEachDialect('an import killed midway', (get) => {
	it('leaves whole papers only and completes on the re-run without duplicates', async () => {
		const { store, env } = get();
		const archive = writeArchive();
		const expectedPapers = FILES * PER_FILE;
		const expectedLinks =
			FILES * Array.from({ length: PER_FILE }, (_, i) => 1 + (i % 7)).reduce((a, b) => a + b, 0);

		const signal = await killCliAfterFirstCommit(
			['import', 'hf-daily', archive],
			env,
			async () => (await currentSeq(store.db)) > 0
		);
		expect(signal).toBe('SIGKILL');

		const partial = await countRows(store.db);
		expect(partial.papers).toBeGreaterThan(0);
		expect(partial.papers).toBeLessThan(expectedPapers);
		// Every stored paper has its whole byline and its pick: transactions are all-or-nothing.
		const orphans = await store.db
			.selectFrom('papers')
			.select('id')
			.where((eb) =>
				eb.not(
					eb.exists(
						eb
							.selectFrom('daily_picks')
							.select('paper_id')
							.whereRef('daily_picks.paper_id', '=', 'papers.id')
					)
				)
			)
			.execute();
		expect(orphans).toEqual([]);
		const links = await store.db
			.selectFrom('paper_authors')
			.select(['paper_id', 'position'])
			.execute();
		const byPaper = new Map<string, number>();
		for (const link of links) byPaper.set(link.paper_id, (byPaper.get(link.paper_id) ?? 0) + 1);
		for (const [id, count] of byPaper) {
			const index = Number(id.split('.')[1]) % PER_FILE;
			expect(count, id).toBe(1 + (index % 7));
		}

		const rerun = await runCli(['import', 'hf-daily', archive], env);
		expect(rerun.status, rerun.stderr).toBe(0);
		const complete = await countRows(store.db);
		expect(complete.papers).toBe(expectedPapers);
		expect(complete.dailyPicks).toBe(expectedPapers);
		expect(complete.paperAuthors).toBe(expectedLinks);
		expect(await currentSeq(store.db)).toBe(expectedPapers);

		const again = await runCli(['import', 'hf-daily', archive], env);
		expect(again.stdout).toContain(`0 new, 0 updated, ${expectedPapers} unchanged`);
		expect(await countRows(store.db)).toEqual(complete);
		fs.rmSync(archive, { recursive: true, force: true });
	}, 180_000);
});
