import { describe, expect, it } from 'vitest';
import { licenseLabel, normalizeLicense } from './arxiv-license';

describe('normalizeLicense', () => {
	it('writes arXiv and Creative Commons license URLs with https', () => {
		expect(normalizeLicense('http://arxiv.org/licenses/nonexclusive-distrib/1.0/')).toBe(
			'https://arxiv.org/licenses/nonexclusive-distrib/1.0/'
		);
		expect(normalizeLicense(' http://creativecommons.org/licenses/by-nc-nd/4.0/\n')).toBe(
			'https://creativecommons.org/licenses/by-nc-nd/4.0/'
		);
		expect(normalizeLicense('HTTP://CreativeCommons.org/publicdomain/zero/1.0/')).toBe(
			'https://creativecommons.org/publicdomain/zero/1.0/'
		);
		expect(normalizeLicense('https://creativecommons.org/licenses/by/4.0/')).toBe(
			'https://creativecommons.org/licenses/by/4.0/'
		);
	});

	it('leaves other licenses as written, trimmed', () => {
		expect(normalizeLicense(' http://example.org/license ')).toBe('http://example.org/license');
		expect(normalizeLicense('http://arxiv.org.evil.example/x')).toBe(
			'http://arxiv.org.evil.example/x'
		);
	});

	it('returns null when there is no license', () => {
		expect(normalizeLicense(null)).toBeNull();
		expect(normalizeLicense(undefined)).toBeNull();
		expect(normalizeLicense('')).toBeNull();
		expect(normalizeLicense('  \n')).toBeNull();
	});
});

describe('licenseLabel', () => {
	it('names the licenses arXiv uses the way readers know them', () => {
		expect(licenseLabel('https://creativecommons.org/licenses/by/4.0/')).toBe('CC BY 4.0');
		expect(licenseLabel('http://creativecommons.org/licenses/by-nc-sa/3.0/')).toBe(
			'CC BY-NC-SA 3.0'
		);
		expect(licenseLabel('https://creativecommons.org/publicdomain/zero/1.0/')).toBe('CC0 1.0');
		expect(licenseLabel('https://arxiv.org/licenses/nonexclusive-distrib/1.0/')).toBe(
			'arXiv non-exclusive license'
		);
		expect(licenseLabel('https://example.org/my-license/')).toBe('example.org/my-license');
	});
});
