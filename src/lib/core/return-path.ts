/**
 * Where a reader returns after signing in: a path on this site only. A `next`
 * that names another site (`//evil.example`, `https://…`, `/\evil.example`)
 * would turn the sign-in into an open redirect, so anything but a plain
 * same-site path becomes the front page.
 *
 * @example
 * safeReturnPath('/papers/2406.00001?p=2') // → '/papers/2406.00001?p=2'
 * safeReturnPath('//evil.example/x') // → '/'
 * safeReturnPath('https://evil.example') // → '/'
 */

const MAX_RETURN_PATH = 2000;
// Any origin would do: only whether parsing keeps it matters.
const PROBE_ORIGIN = 'http://return-path.invalid';

/** `input` when it is a path on this site, else `/`. */
export function safeReturnPath(input: string | null | undefined): string {
	if (!input || input.length > MAX_RETURN_PATH) return '/';
	// Browsers read `\` as `/` and drop tabs and newlines, so `/\evil` and `/\t/evil` leave the site.
	// eslint-disable-next-line no-control-regex
	if (!input.startsWith('/') || /[\\\u0000-\u001f\u007f]/.test(input) || input.startsWith('//')) {
		return '/';
	}
	let url: URL;
	try {
		url = new URL(input, PROBE_ORIGIN);
	} catch {
		return '/';
	}
	if (url.origin !== PROBE_ORIGIN) return '/';
	return `${url.pathname}${url.search}${url.hash}`;
}
