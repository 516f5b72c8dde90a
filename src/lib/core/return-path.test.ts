import { describe, expect, it } from 'vitest';
import { safeReturnPath } from './return-path';

describe('safeReturnPath', () => {
	it('keeps a path on this site with its query and fragment', () => {
		expect(safeReturnPath('/papers/2406.00001?p=2#comments')).toBe(
			'/papers/2406.00001?p=2#comments'
		);
		expect(safeReturnPath('/')).toBe('/');
	});

	it.each([
		['another site, scheme-relative', '//evil.example/x'],
		['another site, absolute', 'https://evil.example/'],
		['a backslash browsers read as a slash', '/\\evil.example'],
		['a tab browsers drop', '/\t/evil.example'],
		['a newline', '/\n/evil.example'],
		['a relative path', 'papers/1'],
		['a javascript: URL', 'javascript:alert(1)'],
		['nothing', ''],
		['over 2,000 characters', `/${'a'.repeat(2000)}`]
	])('sends %s to the front page', (_label, input) => {
		expect(safeReturnPath(input)).toBe('/');
	});

	it('sends a missing next to the front page', () => {
		expect(safeReturnPath(null)).toBe('/');
		expect(safeReturnPath(undefined)).toBe('/');
	});

	it('normalises dot segments without leaving the site', () => {
		expect(safeReturnPath('/a/../../b')).toBe('/b');
	});
});
