/**
 * The cross-site form check SvelteKit would make, made here instead so that its refusal
 * speaks the API's language: SvelteKit answers it before `handle` runs, in plain text, even
 * under `/api`, whose every answer must be JSON. The rule is SvelteKit's: a state-changing
 * request with a body a plain HTML form can send, from another origin, is refused.
 */

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const FORM_CONTENT_TYPES = [
	'application/x-www-form-urlencoded',
	'multipart/form-data',
	'text/plain'
];

/**
 * Whether a request is a form submission (or form-like body) from an origin other than the
 * request's own (`url`) and the site's public one (`DP_PUBLIC_URL`). The public origin counts
 * because behind a proxy, or without adapter-node's ORIGIN, the URL SvelteKit sees may not
 * be the one the browser used.
 */
export function isCrossSiteForm(request: Request, url: URL, publicUrl: string): boolean {
	if (!UNSAFE_METHODS.has(request.method)) return false;
	const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
	if (!FORM_CONTENT_TYPES.includes(type)) return false;
	// A browser always sends Origin with these requests; its absence or a mismatch is refused.
	const origin = request.headers.get('origin');
	return origin !== url.origin && origin !== new URL(publicUrl).origin;
}

/** The message of the 403 a cross-site form submission gets. */
export const CROSS_SITE_MESSAGE = 'Cross-site form submissions are refused.';

/**
 * Reads and drops a refused request's body before answering: a reply sent while the client is
 * still uploading makes Node reset the connection, and the client sees ECONNRESET instead of
 * the 403. adapter-node's BODY_SIZE_LIMIT (512 KiB by default) bounds what is read.
 */
export async function discardBody(request: Request): Promise<void> {
	await request.arrayBuffer().catch(() => undefined);
}

/**
 * Whether a state-changing request carries an `Origin` that is neither its own nor the
 * public one, whatever its body. Browsers send `Origin` on every cross-origin POST or
 * DELETE, also a bodiless `fetch`, which the form check above lets through; API clients
 * with a bearer token send none, so they are not affected.
 */
export function hasForeignOrigin(request: Request, url: URL, publicUrl: string): boolean {
	if (!UNSAFE_METHODS.has(request.method)) return false;
	const origin = request.headers.get('origin');
	return origin !== null && origin !== url.origin && origin !== new URL(publicUrl).origin;
}
