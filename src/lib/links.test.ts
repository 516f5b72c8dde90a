import { describe, expect, it } from 'vitest';
import { absoluteUrl, links } from './links';

describe('links', () => {
	it('builds feed links for each view, with a page only after the first', () => {
		expect(links.feed('day', '2024-06-03')).toBe('/papers?date=2024-06-03');
		expect(links.feed('week', '2024-W23')).toBe('/papers?week=2024-W23');
		expect(links.feed('month', '2024-06', 0)).toBe('/papers?month=2024-06');
		expect(links.feed('day', '2024-06-03', 2)).toBe('/papers?date=2024-06-03&p=2');
	});

	it('builds trending links for each window, the week by default, with a page only after the first', () => {
		expect(links.trending()).toBe('/trending?window=week');
		expect(links.trending('day', 0)).toBe('/trending?window=day');
		expect(links.trending('month', 3)).toBe('/trending?window=month&p=3');
	});

	it('builds profile links for each list, with a page only after the first, and avatar links by id', () => {
		expect(links.member('Ada')).toBe('/u/Ada');
		expect(links.member('Ada', 'submitted', 2)).toBe('/u/Ada?p=2');
		expect(links.member('Ada', 'upvoted')).toBe('/u/Ada?list=upvoted');
		expect(links.member('Ada', 'upvoted', 1)).toBe('/u/Ada?list=upvoted&p=1');
		expect(links.member('a/b?c')).toBe('/u/a%2Fb%3Fc');
		expect(links.avatar('q3R8-x_Y')).toBe('/avatars/q3R8-x_Y.svg');
	});

	it('carries the selected day along to a week or month, not to a day', () => {
		expect(links.feed('week', '2024-W23', undefined, '2024-06-05')).toBe(
			'/papers?week=2024-W23&day=2024-06-05'
		);
		expect(links.feed('month', '2024-06', 1, '2024-06-05')).toBe(
			'/papers?month=2024-06&day=2024-06-05&p=1'
		);
		expect(links.feed('day', '2024-06-05', undefined, '2024-06-05')).toBe(
			'/papers?date=2024-06-05'
		);
	});

	it('keeps the slash of old-style arXiv ids and escapes anything else', () => {
		expect(links.paper('2406.00001')).toBe('/papers/2406.00001');
		expect(links.paper('hep-th/9901001')).toBe('/papers/hep-th/9901001');
		expect(links.paper('a?b#c')).toBe('/papers/a%3Fb%23c');
		expect(links.api.similar('hep-th/9901001')).toBe('/api/papers/hep-th/9901001/similar');
	});

	it('builds search links, leaving out an empty query and the first page', () => {
		expect(links.search('')).toBe('/search');
		expect(links.search('   ')).toBe('/search');
		expect(links.search('author:"Y LeCun" & more')).toBe(
			'/search?q=author%3A%22Y%20LeCun%22%20%26%20more'
		);
		expect(links.search('gan', 0)).toBe('/search?q=gan');
		expect(links.search('gan', 3)).toBe('/search?q=gan&p=3');
		expect(links.api.search('a b')).toBe('/api/papers/search?q=a%20b');
	});

	it('makes absolute links on the public origin', () => {
		expect(absoluteUrl('https://papers.example.org', links.paper('2406.00001'))).toBe(
			'https://papers.example.org/papers/2406.00001'
		);
		expect(absoluteUrl('http://localhost:3000', links.feed('week', '2024-W23'))).toBe(
			'http://localhost:3000/papers?week=2024-W23'
		);
	});
});
