import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDialect } from '$support/databases';
import { makeHfEntry } from '$support/fixtures';
import { sharedData } from '$support/shared-data';
import { countRows, currentSeq, findPaper } from '../papers/paper.repository';
import { importHfDaily } from './hf-daily.import';

const hfRaw = sharedData('hf-daily-papers/raw');

function writeDay(dir: string, day: string, entries: unknown[]) {
	fs.writeFileSync(path.join(dir, `${day}.json`), JSON.stringify(entries));
}

describeEachDialect('importHfDaily', (get) => {
	it('reports a missing title, a bad date and an invalid id, and imports the rest', async () => {
		const { db } = get().store;
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-hf-'));
		writeDay(dir, '2031-03-04', [
			makeHfEntry('3103.00001', { upvotes: 9 }),
			makeHfEntry('3103.00002', { title: undefined }),
			{
				...makeHfEntry('3103.00003'),
				paper: { ...(makeHfEntry('3103.00003').paper as object), title: undefined }
			},
			makeHfEntry('3103.00004', { publishedAt: 'yesterday-ish' }),
			makeHfEntry('not-an-id'),
			makeHfEntry('3103.00005', { title: '   ' })
		]);
		const summary = await importHfDaily(db, [dir]);
		expect(summary.records).toBe(6);
		expect(summary.inserted).toBe(2);
		expect(summary.skipped).toBe(4);
		const reasons = summary.problems.map((p) => `${p.record}:${p.reason}`);
		expect(reasons).toEqual([
			expect.stringMatching(/^2:paper\.title/),
			expect.stringMatching(/^3:bad date paper\.publishedAt/),
			expect.stringMatching(/^4:invalid arXiv id/),
			expect.stringMatching(/^5:empty title/)
		]);
		for (const problem of summary.problems) expect(problem.source).toContain('2031-03-04.json');
		const stored = await findPaper(db, '3103.00001');
		expect(stored).toMatchObject({
			upvotes: 9,
			sourceUpvotes: 9,
			numComments: 2,
			codeUrl: 'https://github.com/example/repo'
		});
		expect(stored?.authors).toEqual(['Grace Hopper', 'Edsger Dijkstra']);
	});

	it('reads Python-repr archives and the {data: [...]} wrapper', async () => {
		const { db } = get().store;
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-hf-'));
		const repr = `{'paper': {'id': '3104.00007', 'authors': [{'_id': 'x', 'name': "Miles O'Brien", 'hidden': False}], 'publishedAt': '2031-04-01T00:00:00.000Z', 'title': 'Repr \\'quoted\\' title', 'summary': 'None of it', 'upvotes': 3}, 'numComments': 0, 'submittedBy': None}`;
		fs.writeFileSync(
			path.join(dir, '2031-04-02.json'),
			JSON.stringify({ status: 'ok', date: '2031-04-02', count: 1, data: [repr, '{broken'] })
		);
		const summary = await importHfDaily(db, [dir]);
		expect(summary.inserted).toBe(1);
		expect(summary.problems).toHaveLength(1);
		expect(summary.problems[0].reason).toMatch(/Python repr entry/);
		expect(await findPaper(db, '3104.00007')).toMatchObject({
			title: "Repr 'quoted' title",
			authors: ["Miles O'Brien"]
		});
	});

	it('does not let a javascript: URL through as a code link', async () => {
		const { db } = get().store;
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-hf-'));
		const entry = makeHfEntry('3105.00001');
		(entry.paper as Record<string, unknown>).githubRepo = 'javascript:alert(1)';
		writeDay(dir, '2031-05-01', [entry]);
		await importHfDaily(db, [dir]);
		expect((await findPaper(db, '3105.00001'))?.codeUrl).toBeNull();
	});

	it.skipIf(!hfRaw)(
		'imports the whole shared archive, and a second run changes nothing',
		async () => {
			const { db } = get().store;
			const first = await importHfDaily(db, [hfRaw!]);
			const counts = await countRows(db);
			const seq = await currentSeq(db);
			expect(first.sources).toBe(580);
			// 9,877 unique papers in the archive (PROVENANCE.md), plus the fixtures above.
			expect(first.inserted).toBe(9877);
			expect(first.skipped).toBe(0);
			const second = await importHfDaily(db, [hfRaw!]);
			expect(second.inserted + second.updated).toBe(0);
			expect(await countRows(db)).toEqual(counts);
			expect(await currentSeq(db)).toBe(seq);
		},
		240_000
	);
});
