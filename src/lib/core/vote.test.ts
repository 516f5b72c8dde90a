import { describe, expect, it } from 'vitest';
import { cardAnchor, voteReturnPath } from './vote';

describe('vote return path', () => {
	it('returns to a path on this site, at the card', () => {
		expect(voteReturnPath('/papers?date=2024-06-03&p=1', '/papers/2406.00001', '2406.00001')).toBe(
			'/papers?date=2024-06-03&p=1#paper-2406.00001'
		);
		expect(voteReturnPath('/trending#old', '/papers/x', '2406.00001')).toBe(
			'/trending#paper-2406.00001'
		);
	});

	it('refuses other origins and odd paths, falling back to the paper page', () => {
		for (const back of [
			'https://evil.example/',
			'//evil.example/x',
			'/\\evil.example',
			'javascript:alert(1)',
			'papers',
			'/a b',
			'/a\nb',
			'/' + 'x'.repeat(2001),
			'',
			null,
			undefined
		]) {
			expect(voteReturnPath(back, '/papers/2406.00001', '2406.00001')).toBe(
				'/papers/2406.00001#paper-2406.00001'
			);
		}
	});

	it('makes an anchor of any id, old-style ids with a slash included', () => {
		expect(cardAnchor('hep-th/9901001')).toBe('paper-hep-th-9901001');
		expect(cardAnchor('2406.00001')).toBe('paper-2406.00001');
	});
});
