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

/**
 * A short name for a license URL, as readers know it: `CC BY-NC-SA 4.0`, `CC0 1.0`,
 * `arXiv non-exclusive license`; other URLs are shown without their scheme.
 *
 * @example licenseLabel('https://creativecommons.org/licenses/by-nc-sa/4.0/') // 'CC BY-NC-SA 4.0'
 */
export function licenseLabel(url: string): string {
	const cc = /creativecommons\.org\/licenses\/([a-z-]+)\/(\d+(?:\.\d+)?)/i.exec(url);
	if (cc) return `CC ${cc[1].toUpperCase()} ${cc[2]}`;
	const zero = /creativecommons\.org\/publicdomain\/zero\/(\d+(?:\.\d+)?)/i.exec(url);
	if (zero) return `CC0 ${zero[1]}`;
	if (/arxiv\.org\/licenses\/nonexclusive-distrib/i.test(url)) return 'arXiv non-exclusive license';
	if (/arxiv\.org\/licenses\/assumed/i.test(url)) return 'arXiv license (assumed, pre-2004)';
	return url.replace(/^https?:\/\//i, '').replace(/\/$/, '');
}
