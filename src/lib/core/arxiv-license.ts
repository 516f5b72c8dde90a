/**
 * The license URL of an arXiv record, written one way whatever the source:
 * arXiv's metadata mixes `http://` and `https://` for the same licenses.
 * Pure function: no I/O.
 */

const UPGRADABLE = /^http:\/\/((?:www\.)?(?:creativecommons\.org|arxiv\.org)\/)/i;

/**
 * Trims the license, upgrades `http://` to `https://` for creativecommons.org and
 * arxiv.org license URLs, and returns null when there is none.
 *
 * @example normalizeLicense(' http://arxiv.org/licenses/nonexclusive-distrib/1.0/ ')
 * // 'https://arxiv.org/licenses/nonexclusive-distrib/1.0/'
 */
export function normalizeLicense(raw: string | null | undefined): string | null {
	const license = raw?.trim();
	if (!license) return null;
	return license.replace(UPGRADABLE, (_match, host: string) => `https://${host.toLowerCase()}`);
}
