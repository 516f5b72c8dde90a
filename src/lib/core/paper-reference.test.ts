import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAPER_REFERENCE_HELP, parsePaperReference } from './paper-reference';

const idOf = (input: string) => {
	const parsed = parsePaperReference(input);
	return parsed.ok ? `${parsed.id}${parsed.version ? `v${parsed.version}` : ''}` : null;
};

describe('parsePaperReference', () => {
	it('reads bare ids, new and old style, with versions and an arXiv: prefix', () => {
		expect(parsePaperReference('2406.01234')).toEqual({
			ok: true,
			id: '2406.01234',
			version: null
		});
		expect(parsePaperReference(' 2406.01234v2 ')).toEqual({
			ok: true,
			id: '2406.01234',
			version: 2
		});
		expect(idOf('hep-th/9901001')).toBe('hep-th/9901001');
		expect(idOf('math.GT/0309136v3')).toBe('math.GT/0309136v3');
		expect(idOf('arXiv:2406.01234')).toBe('2406.01234');
		expect(idOf('arxiv:hep-th/9901001v1')).toBe('hep-th/9901001v1');
		expect(idOf('0704.0001')).toBe('0704.0001');
	});

	it('reads arXiv abs, pdf and html links, export.arxiv.org and www.', () => {
		const cases: [string, string][] = [
			['https://arxiv.org/abs/2406.01234', '2406.01234'],
			['https://arxiv.org/abs/2406.01234v3', '2406.01234v3'],
			['http://arxiv.org/abs/2406.01234/', '2406.01234'],
			['https://arxiv.org/pdf/2406.01234', '2406.01234'],
			['https://arxiv.org/pdf/2406.01234v2.pdf', '2406.01234v2'],
			['https://arxiv.org/pdf/2406.01234.pdf', '2406.01234'],
			['https://arxiv.org/html/2406.01234v1', '2406.01234v1'],
			['https://export.arxiv.org/abs/2406.01234', '2406.01234'],
			['https://www.arxiv.org/abs/2406.01234?context=cs', '2406.01234'],
			['https://arxiv.org/abs/2406.01234#section', '2406.01234'],
			['HTTPS://ARXIV.ORG/abs/2406.01234', '2406.01234'],
			['arxiv.org/abs/hep-th/9901001', 'hep-th/9901001'],
			['https://arxiv.org/abs/hep-th/9901001v2', 'hep-th/9901001v2'],
			['https://arxiv.org/pdf/hep-th/9901001.pdf', 'hep-th/9901001']
		];
		for (const [input, expected] of cases) expect(idOf(input), input).toBe(expected);
	});

	it('reads Hugging Face, hf.co and alphaXiv paper links', () => {
		expect(idOf('https://huggingface.co/papers/2406.01234')).toBe('2406.01234');
		expect(idOf('huggingface.co/papers/2406.01234?utm=x')).toBe('2406.01234');
		expect(idOf('https://hf.co/papers/2406.01234')).toBe('2406.01234');
		expect(idOf('https://www.alphaxiv.org/abs/2406.01234')).toBe('2406.01234');
		expect(idOf('https://alphaxiv.org/overview/2406.01234v2')).toBe('2406.01234v2');
	});

	it("reads arXiv's DOIs, bare, with doi: and on doi.org", () => {
		expect(idOf('10.48550/arXiv.2406.01234')).toBe('2406.01234');
		expect(idOf('doi:10.48550/ARXIV.2406.01234')).toBe('2406.01234');
		expect(idOf('https://doi.org/10.48550/arXiv.2406.01234')).toBe('2406.01234');
		expect(parsePaperReference('https://doi.org/10.1145/3366423.3380092')).toEqual({
			ok: false,
			reason: "Only arXiv's DOIs (10.48550/arXiv.…) can be submitted."
		});
	});

	it('says what is accepted for everything else', () => {
		for (const bad of [
			'',
			'   ',
			'hello',
			'2413.12345',
			'2406.123',
			'https://arxiv.org/list/cs.LG/recent',
			'https://huggingface.co/papers',
			'https://huggingface.co/models/2406.01234',
			'ftp://arxiv.org/abs/2406.01234',
			'https://user:pass@arxiv.org/abs/2406.01234',
			'file:///etc/passwd',
			'data:text/html,2406.01234',
			'https://arxiv.org/abs/%E0%A4%A'
		]) {
			const parsed = parsePaperReference(bad);
			expect(parsed.ok, bad).toBe(false);
			if (!parsed.ok) expect(parsed.reason, bad).toContain('arXiv');
		}
	});

	it('names the site of a link it cannot read', () => {
		const parsed = parsePaperReference('https://example.org/paper.pdf');
		expect(parsed).toEqual({
			ok: false,
			reason: `Links to example.org cannot be submitted. ${PAPER_REFERENCE_HELP}`
		});
	});

	it('refuses hostile input: script URLs, look-alike hosts and digits, 1 kB, control characters', () => {
		const hostile = [
			'javascript:alert(1)',
			'JaVaScRiPt:alert("2406.01234")',
			'javascript://arxiv.org/abs/2406.01234%0Aalert(1)',
			'https://arxiv.org.evil.example/abs/2406.01234',
			'https://evil.example/https://arxiv.org/abs/2406.01234',
			'https://аrxiv.org/abs/2406.01234', // Cyrillic а
			'２４０６.０１２３４', // full-width digits
			'٢٤٠٦.٠١٢٣٤', // Arabic-Indic digits
			'2406.01234\u202e',
			'2406.01234\u0000',
			'2406.\n01234',
			'<script>2406.01234</script>',
			'2406.01234'.padEnd(1024, 'x'),
			'https://arxiv.org/abs/' + '2'.repeat(1000)
		];
		for (const bad of hostile) expect(parsePaperReference(bad).ok, JSON.stringify(bad)).toBe(false);
		const long = parsePaperReference('x'.repeat(1024));
		expect(long.ok).toBe(false);
		if (!long.ok) expect(long.reason).toMatch(/^That is too long/);
	});

	it('never throws, and what it accepts is always a valid id', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 400 }), (s) => {
				const parsed = parsePaperReference(s);
				if (parsed.ok) expect(idOf(parsed.id)).toBe(parsed.id);
			})
		);
		fc.assert(
			fc.property(fc.webUrl(), (url) => {
				parsePaperReference(url);
			})
		);
	});
});
