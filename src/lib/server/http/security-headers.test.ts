import { describe, expect, it } from 'vitest';
import { applySecurityHeaders, NON_PAGE_CSP } from './security-headers';

describe('applySecurityHeaders', () => {
	it('keeps the page CSP SvelteKit set and forbids framing and unused features', () => {
		const headers = new Headers({
			'content-type': 'text/html',
			'content-security-policy': "default-src 'none'; frame-ancestors 'none'; script-src 'self'"
		});
		applySecurityHeaders(headers);
		expect(headers.get('content-security-policy')).toContain("script-src 'self'");
		expect(headers.get('x-frame-options')).toBe('DENY');
		expect(headers.get('permissions-policy')).toMatch(/camera=\(\).*microphone=\(\)/);
		expect(headers.get('x-content-type-options')).toBe('nosniff');
	});

	it('gives JSON a CSP that allows nothing, and a page without one at least no framing', () => {
		const json = new Headers({ 'content-type': 'application/json' });
		applySecurityHeaders(json);
		expect(json.get('content-security-policy')).toBe(NON_PAGE_CSP);
		const fallbackPage = new Headers({ 'content-type': 'text/html; charset=utf-8' });
		applySecurityHeaders(fallbackPage);
		expect(fallbackPage.get('content-security-policy')).toBe("frame-ancestors 'none'");
	});
});
