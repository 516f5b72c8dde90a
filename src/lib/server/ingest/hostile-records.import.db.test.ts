/**
 * Hostile records through the importers into a real store, on both dialects:
 * control and bidi characters never reach a row, and sizes no real paper has
 * are reported and skipped (core/paper-safety.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDialect } from '$support/databases';
import { makeHfEntry } from '$support/fixtures';
import { findPaper } from '../papers/paper.repository';
import { importArxivSnapshot } from './arxiv-snapshot.import';
import { importHfDaily } from './hf-daily.import';

const RLO = '\u202e';
// eslint-disable-next-line no-control-regex -- the assertion is about control characters
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describeEachDialect('hostile records through the importers', (get) => {
	it('HF daily: stores titles, names and abstracts without control or bidi characters', async () => {
		const { db } = get().store;
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-hostile-'));
		const entry = makeHfEntry('3107.00001', {
			title: `Invoice ${RLO}fdp.exe`,
			summary: 'A NUL\u0000 in the abstract.'
		});
		(entry.paper as { authors: unknown[] }).authors = [
			{ name: `Alice ${RLO}Jones` },
			{ name: 'Carol\u0007 Smith' }
		];
		fs.writeFileSync(path.join(dir, '2031-07-01.json'), JSON.stringify([entry]));
		const summary = await importHfDaily(db, [dir]);
		expect(summary.problems).toEqual([]);
		const stored = await findPaper(db, '3107.00001');
		expect(stored).toMatchObject({
			title: 'Invoice fdp.exe',
			abstract: 'A NUL in the abstract.',
			authors: ['Alice Jones', 'Carol Smith']
		});
	});

	it('HF daily: reports 20,000 math spans and a 1 MB abstract, and imports the rest', async () => {
		const { db } = get().store;
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-hostile-'));
		fs.writeFileSync(
			path.join(dir, '2031-07-02.json'),
			JSON.stringify([
				makeHfEntry('3107.00002', { summary: '$x_1$ '.repeat(20_000) }),
				makeHfEntry('3107.00003', { summary: 'a'.repeat(1 << 20) }),
				makeHfEntry('3107.00004', {
					summary: Array.from({ length: 101 }, (_, i) => `$y_${i}$`).join(' ')
				}),
				makeHfEntry('3107.00005')
			])
		);
		const summary = await importHfDaily(db, [dir]);
		expect(summary.inserted).toBe(1);
		expect(summary.skipped).toBe(3);
		expect(summary.problems.map((p) => `${p.id}: ${p.reason}`)).toEqual([
			'3107.00002: abstract is 119,999 characters (limit 10,000)',
			'3107.00003: abstract is 1,048,576 characters (limit 10,000)',
			'3107.00004: abstract has more than 100 math spans'
		]);
		for (const id of ['3107.00002', '3107.00003', '3107.00004'])
			expect(await findPaper(db, id)).toBeUndefined();
	});

	it('arXiv snapshot: strips control and bidi characters and skips a record with too many math spans', async () => {
		const { db } = get().store;
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-hostile-'));
		const file = path.join(dir, 'snapshot.jsonl');
		const record = (id: string, fields: Record<string, unknown>) =>
			JSON.stringify({
				id,
				submitter: `Eve${RLO}`,
				authors: `Alice ${RLO}Jones and Carol Smith`,
				title: 'Title',
				abstract: 'Abstract.',
				categories: 'cs.LG',
				versions: [{ version: 'v1', created: 'Mon, 4 Jan 2021 10:00:00 GMT' }],
				...fields
			});
		fs.writeFileSync(
			file,
			[
				record('3107.00011', { title: `Invoice ${RLO}fdp.exe`, abstract: 'A NUL\u0000 here.' }),
				record('3107.00012', { abstract: '$z$ '.repeat(101) })
			].join('\n') + '\n'
		);
		const summary = await importArxivSnapshot(db, file);
		expect(summary.inserted).toBe(1);
		expect(summary.problems.map((p) => p.reason)).toEqual([
			'abstract has more than 100 math spans'
		]);
		const stored = await findPaper(db, '3107.00011');
		expect(stored).toMatchObject({
			title: 'Invoice fdp.exe',
			abstract: 'A NUL here.',
			authors: ['Alice Jones', 'Carol Smith'],
			submitter: 'Eve'
		});
		for (const text of [
			stored!.title,
			stored!.abstract,
			stored!.authorsText ?? '',
			...stored!.authors
		])
			expect(text).not.toMatch(UNSAFE);
		expect(await findPaper(db, '3107.00012')).toBeUndefined();
	});
});
