/** Links taken from imported records. */

/** Only absolute http(s) links are kept: a `javascript:` URL must never reach a page. */
export function safeHttpUrl(text: string | null | undefined): string | null {
	if (!text) return null;
	try {
		const url = new URL(text.trim());
		return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
	} catch {
		return null;
	}
}
