import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('DP_PUBLIC_URL', () => {
	it('defaults to localhost on the configured port', () => {
		expect(loadConfig({}).publicUrl).toBe('http://localhost:3000');
		expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
	});

	it.each([
		['https://papers.example.org', 'https://papers.example.org'],
		['https://papers.example.org/', 'https://papers.example.org'],
		['http://10.0.0.5:8080', 'http://10.0.0.5:8080'],
		['  https://Papers.Example.org  ', 'https://papers.example.org']
	])('takes the origin %s as %s', (given, origin) => {
		expect(loadConfig({ DP_PUBLIC_URL: given }).publicUrl).toBe(origin);
	});

	it.each([
		'papers.example.org',
		'ftp://papers.example.org',
		'https://papers.example.org/daily',
		'https://papers.example.org?x=1',
		'https://papers.example.org/#top',
		'https://user:secret@papers.example.org'
	])('refuses %s with a message that says what is wanted', (given) => {
		expect(() => loadConfig({ DP_PUBLIC_URL: given })).toThrow(ConfigError);
		expect(() => loadConfig({ DP_PUBLIC_URL: given })).toThrow(
			/DP_PUBLIC_URL: must be the site's public origin: an http\(s\) URL without a path/
		);
	});
});

describe('DP_HF_OAUTH_ISSUER', () => {
	const client = { DP_HF_OAUTH_CLIENT_ID: 'id', DP_HF_OAUTH_CLIENT_SECRET: 'secret' };

	it.each(['https://huggingface.co', 'http://127.0.0.1:4000', 'http://localhost:4000'])(
		'accepts %s',
		(issuer) => {
			expect(loadConfig({ ...client, DP_HF_OAUTH_ISSUER: issuer }).auth.huggingFace?.issuer).toBe(
				issuer
			);
		}
	);

	it.each(['http://huggingface.co', 'http://10.0.0.5', 'ftp://localhost'])(
		'refuses %s: tokens and secrets must not cross the network in clear',
		(issuer) => {
			expect(() => loadConfig({ ...client, DP_HF_OAUTH_ISSUER: issuer })).toThrow(
				/DP_HF_OAUTH_ISSUER: must be an https URL/
			);
		}
	);
});
