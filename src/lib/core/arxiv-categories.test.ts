import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isArxivCategory, parseCategories } from './arxiv-categories';

describe('parseCategories', () => {
	it('keeps the order (primary first) and drops repeats', () => {
		expect(parseCategories('math.CO cs.CG')).toEqual(['math.CO', 'cs.CG']);
		expect(parseCategories('nlin.PS physics.chem-ph q-bio.MN nlin.PS')).toEqual([
			'nlin.PS',
			'physics.chem-ph',
			'q-bio.MN'
		]);
		expect(parseCategories('  hep-ph\n hep-lat,nucl-th ')).toEqual([
			'hep-ph',
			'hep-lat',
			'nucl-th'
		]);
		expect(parseCategories('')).toEqual([]);
	});

	it('accepts every category form arXiv uses, old archives included', () => {
		for (const category of [
			'cs.CL',
			'hep-th',
			'math.AG',
			'q-bio.NC',
			'physics.optics',
			'cond-mat.mes-hall',
			'cond-mat',
			'astro-ph.GA',
			'physics.data-an',
			'math-ph',
			'q-fin.CP',
			'eess.SP',
			'solv-int',
			'alg-geom',
			'cmp-lg'
		]) {
			expect(isArxivCategory(category), category).toBe(true);
		}
	});

	it('drops tokens that are not categories', () => {
		expect(
			parseCategories('cs.CL CS.CL cs. .CL cs_CL hep-th/9901001 2401.12345 cs.CL.x <b> hep--th')
		).toEqual(['cs.CL']);
	});

	it('returns only valid, distinct categories for any input', () => {
		fc.assert(
			fc.property(fc.string(), (raw) => {
				const categories = parseCategories(raw);
				expect(new Set(categories).size).toBe(categories.length);
				for (const category of categories) expect(isArxivCategory(category)).toBe(true);
			})
		);
	});
});
