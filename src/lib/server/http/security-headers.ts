/**
 * Headers every response carries so that a page cannot be framed, sniffed or handed
 * powers it never uses. The pages' Content-Security-Policy itself is SvelteKit's
 * (`kit.csp` in svelte.config.js, with a nonce per page); this adds one for the rest.
 */

/** Browser features the site never uses, switched off for it and anything it embeds. */
export const PERMISSIONS_POLICY = [
	'accelerometer=()',
	'camera=()',
	'display-capture=()',
	'geolocation=()',
	'gyroscope=()',
	'magnetometer=()',
	'microphone=()',
	'midi=()',
	'payment=()',
	'usb=()'
].join(', ');

/** For answers that are not pages (JSON, plain text): nothing may load from them, nor frame them. */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Sets the security headers on a response's (mutable) headers. */
export function applySecurityHeaders(headers: Headers): void {
	headers.set('x-content-type-options', 'nosniff');
	headers.set('referrer-policy', 'strict-origin-when-cross-origin');
	// frame-ancestors 'none' in the CSP says the same to browsers that read it; this is for older ones.
	headers.set('x-frame-options', 'DENY');
	headers.set('permissions-policy', PERMISSIONS_POLICY);
	if (headers.has('content-security-policy')) return;
	// A page without SvelteKit's policy is its own fallback error page, whose inline style must stay.
	const isPage = (headers.get('content-type') ?? '').startsWith('text/html');
	headers.set('content-security-policy', isPage ? "frame-ancestors 'none'" : NON_PAGE_CSP);
}
