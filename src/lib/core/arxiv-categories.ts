/**
 * arXiv subject categories as the snapshot and OAI-PMH write them: one
 * space-separated string, primary category first. Pure functions: no I/O.
 */

// archive(.subject-class)?: `hep-th`, `cs.CL`, `math.AG`, `q-bio.NC`, `physics.optics`,
// `cond-mat.mes-hall`, and the frozen pre-2007 archives such as `solv-int`, `alg-geom`.
const CATEGORY = /^[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]+(?:-[a-z]+)?)?$/;

/** Whether `token` is written as an arXiv category (syntax only: new archives still pass). */
export function isArxivCategory(token: string): boolean {
	return token.length <= 40 && CATEGORY.test(token);
}

/**
 * The categories of a record, primary first, each once; tokens that are not
 * categories are dropped (commas are tolerated as separators).
 *
 * @example parseCategories('math.CO cs.CG math.CO') // ['math.CO', 'cs.CG']
 */
export function parseCategories(raw: string): string[] {
	const categories: string[] = [];
	for (const token of raw.split(/[\s,]+/)) {
		if (isArxivCategory(token) && !categories.includes(token)) categories.push(token);
	}
	return categories;
}
