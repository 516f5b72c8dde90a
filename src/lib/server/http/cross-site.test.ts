import { describe, expect, it } from 'vitest';
import { isCrossSiteForm } from './cross-site';

const url = new URL('https://papers.example/api/daily_papers');
const publicUrl = 'https://public.example';

function request(method: string, headers: Record<string, string>): Request {
	return new Request(url, { method, headers, body: method === 'GET' ? undefined : 'x=1' });
}

describe('isCrossSiteForm', () => {
	it('refuses form-like bodies from another origin, or with no origin, on state-changing methods', () => {
		for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
			for (const type of [
				'application/x-www-form-urlencoded',
				'multipart/form-data; boundary=x',
				'text/plain;charset=UTF-8'
			]) {
				expect(
					isCrossSiteForm(
						request(method, { 'content-type': type, origin: 'https://evil.example' }),
						url,
						publicUrl
					)
				).toBe(true);
				expect(isCrossSiteForm(request(method, { 'content-type': type }), url, publicUrl)).toBe(
					true
				);
			}
		}
	});

	it('lets same-origin forms, JSON bodies and safe methods through', () => {
		const form = 'application/x-www-form-urlencoded';
		expect(
			isCrossSiteForm(
				request('POST', { 'content-type': form, origin: 'https://papers.example' }),
				url,
				publicUrl
			)
		).toBe(false);
		expect(
			isCrossSiteForm(
				request('POST', { 'content-type': 'application/json', origin: 'https://evil.example' }),
				url,
				publicUrl
			)
		).toBe(false);
		expect(
			isCrossSiteForm(request('GET', { origin: 'https://evil.example' }), url, publicUrl)
		).toBe(false);
		expect(
			isCrossSiteForm(request('POST', { 'content-type': form, origin: publicUrl }), url, publicUrl)
		).toBe(false);
	});
});
