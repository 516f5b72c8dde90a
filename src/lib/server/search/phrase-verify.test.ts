import { describe, expect, it } from 'vitest';
import { tokenize } from './lexical/analyzer';
import { containsSequence, verifyPhrases, type TextLoader } from './phrase-verify';

const papers = new Map(
	Array.from({ length: 300 }, (_, i) => [
		`p${i}`,
		{
			title: i % 3 === 0 ? `Domain adaptation ${i}` : `Adaptation of the domain ${i}`,
			abstract: i % 5 === 0 ? 'We study low rank adapters.' : 'Rank and low adapters.'
		}
	])
);

function loader(): { load: TextLoader; reads: string[][] } {
	const reads: string[][] = [];
	const load: TextLoader = async (ids) => {
		reads.push(ids);
		return new Map(ids.flatMap((id) => (papers.has(id) ? [[id, papers.get(id)!] as const] : [])));
	};
	return { load, reads };
}

const candidates = [...papers.keys(), 'gone'].map((id, rank) => ({ id, score: 1000 - rank }));

describe('verifyPhrases', () => {
	it('finds consecutive tokens only', () => {
		expect(containsSequence(tokenize('low rank adapters'), tokenize('rank adapters'))).toBe(true);
		expect(containsSequence(tokenize('rank and adapters'), tokenize('rank adapters'))).toBe(false);
		expect(containsSequence(tokenize('x'), [])).toBe(true);
	});

	it('keeps the rank order and reads only as deep as needed', async () => {
		const { load, reads } = loader();
		const { matches, complete } = await verifyPhrases(
			candidates,
			{ phrases: [tokenize('domain adaptation')], excluded: [] },
			5,
			load
		);
		// Whole batches are checked: at least the five asked for, in rank order.
		expect(matches.map((m) => m.id).slice(0, 5)).toEqual(['p0', 'p3', 'p6', 'p9', 'p12']);
		expect(matches.every((m) => Number(m.id.slice(1)) % 3 === 0)).toBe(true);
		expect(complete).toBe(false);
		expect(reads.flat().length).toBeLessThan(candidates.length / 4);
	});

	it('checks every candidate when asked for all, with exclusions and a deleted paper', async () => {
		const { load } = loader();
		const { matches, complete } = await verifyPhrases(
			candidates,
			{ phrases: [tokenize('domain adaptation')], excluded: [tokenize('low rank')] },
			Infinity,
			load
		);
		const expected = [...papers.keys()].filter((_, i) => i % 3 === 0 && i % 5 !== 0);
		expect(matches.map((m) => m.id)).toEqual(expected);
		expect(complete).toBe(true);
	});
});
