import { describe, expect, it } from 'vitest';
import { editDistance } from './spelling';

describe('editDistance', () => {
	it('counts insertions, deletions, substitutions and transpositions', () => {
		expect(editDistance('retrieval', 'retrieval', 2)).toBe(0);
		expect(editDistance('retreival', 'retrieval', 2)).toBe(1);
		expect(editDistance('tunig', 'tuning', 2)).toBe(1);
		expect(editDistance('forks', 'fork', 2)).toBe(1);
		expect(editDistance('graph', 'grape', 2)).toBe(1);
	});

	it('gives up past the bound', () => {
		expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
		expect(editDistance('a', 'abcdefgh', 2)).toBe(3);
	});
});
