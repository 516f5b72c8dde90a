import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { avatarPattern, avatarSvg } from './avatar';

describe('avatarSvg', () => {
	it('is a well-formed SVG document', () => {
		const svg = avatarSvg('q3R8xYb2LmN0pQ1s');
		expect(XMLValidator.validate(svg)).toBe(true);
		const root = new XMLParser({ ignoreAttributes: false }).parse(svg) as {
			svg: Record<string, unknown>;
		};
		expect(root.svg['@_xmlns']).toBe('http://www.w3.org/2000/svg');
	});

	it('draws the same avatar for the same id every time', () => {
		expect(avatarSvg('member-1')).toBe(avatarSvg('member-1'));
	});

	it('draws different avatars for different ids', () => {
		const ids = Array.from({ length: 200 }, (_, i) => `member-${i}`);
		const drawn = new Set(ids.map((id) => avatarSvg(id)));
		// 15 free cells and 360 hues: a collision among 200 ids would be a broken hash.
		expect(drawn.size).toBe(ids.length);
	});

	it('is mirrored left to right, and never blank', () => {
		for (const id of ['a', 'b', 'zz', '', 'x'.repeat(500)]) {
			const { cells, hue } = avatarPattern(id);
			expect(cells).toHaveLength(25);
			for (let row = 0; row < 5; row++) {
				expect(cells[row * 5]).toBe(cells[row * 5 + 4]);
				expect(cells[row * 5 + 1]).toBe(cells[row * 5 + 3]);
			}
			expect(cells.some((c) => c)).toBe(true);
			expect(hue).toBeGreaterThanOrEqual(0);
			expect(hue).toBeLessThan(360);
		}
	});

	it('carries nothing of the id itself, so hostile ids inject nothing', () => {
		for (const id of ['"><script>alert(1)</script>', ']]><x/>', '&amp;', '\u202e\u0000']) {
			const svg = avatarSvg(id);
			expect(XMLValidator.validate(svg)).toBe(true);
			expect(svg).not.toContain('script');
			// Only the fixed markup: tags, numbers, hsl() colours and the fixed attribute words.
			expect(svg.replace(/<[^>]*>/g, '')).toBe('');
			expect(svg).toMatch(
				/^<svg [^<]*>(<rect [-\w=". ]*(?:fill="hsl\(\d+ \d+% \d+%\)")?\/>|<g fill="hsl\(\d+ \d+% \d+%\)">|<\/g>)*<\/svg>$/
			);
		}
	});
});
