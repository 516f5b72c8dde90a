import { describe, expect, it } from 'vitest';
import { safeNextPath } from './next-path';

describe('safeNextPath', () => {
	it('keeps a path on this site, with its query', () => {
		expect(safeNextPath('/')).toBe('/');
		expect(safeNextPath('/papers/2406.00001?date=2024-06-03#abstract')).toBe(
			'/papers/2406.00001?date=2024-06-03#abstract'
		);
	});

	it('refuses anything that could lead to another site', () => {
		for (const hostile of [
			'//evil.example/',
			'/\\evil.example/',
			'\\\\evil.example',
			'https://evil.example/',
			'javascript:alert(1)',
			'evil.example',
			'/\t/evil.example',
			'/ /evil.example',
			'/papers\u0000'
		]) {
			expect(safeNextPath(hostile), hostile).toBeUndefined();
		}
	});

	it('refuses empty and oversized input', () => {
		expect(safeNextPath(undefined)).toBeUndefined();
		expect(safeNextPath(null)).toBeUndefined();
		expect(safeNextPath('')).toBeUndefined();
		expect(safeNextPath(`/${'a'.repeat(600)}`)).toBeUndefined();
	});

	it('normalises dot segments without leaving the site', () => {
		expect(safeNextPath('/a/../../b')).toBe('/b');
		expect(safeNextPath('papers/1')).toBeUndefined();
		expect(safeNextPath('/\n/evil.example')).toBeUndefined();
	});
});
