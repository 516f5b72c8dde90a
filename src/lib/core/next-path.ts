/**
 * Where a reader goes back to after signing in: only a path on this site. Anything
 * that a browser could read as another site (`//evil.example`, `/\evil.example`,
 * `https://…`) is refused, so a sign-in link cannot be turned into an open redirect.
 */

const NEXT_PATH_MAX = 500;

/**
 * `input` when it is a same-site path to return to, else undefined.
 *
 * @example
 * safeNextPath('/papers/2406.00001?x=1') // → '/papers/2406.00001?x=1'
 * safeNextPath('//evil.example/')        // → undefined
 * safeNextPath('https://evil.example/')  // → undefined
 */
export function safeNextPath(input: string | null | undefined): string | undefined {
	if (!input || input.length > NEXT_PATH_MAX) return undefined;
	if (!input.startsWith('/') || input.startsWith('//')) return undefined;
	// Browsers read a backslash as a slash (`/\evil.example` is `//evil.example`), and
	// control characters or spaces have no place in a path we redirect to.
	// eslint-disable-next-line no-control-regex
	if (/[\\\u0000-\u0020\u007f]/.test(input)) return undefined;
	// The URL parser is the judge: resolved against a placeholder origin, the path must stay on it.
	let url: URL;
	try {
		url = new URL(input, 'http://same.invalid');
	} catch {
		return undefined;
	}
	if (url.origin !== 'http://same.invalid') return undefined;
	// Dot segments resolved (`/a/../../b` → `/b`): what the browser would ask for anyway.
	return `${url.pathname}${url.search}${url.hash}`;
}
