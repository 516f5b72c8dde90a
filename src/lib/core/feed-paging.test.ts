import { describe, expect, it } from 'vitest';
import { feedPaging } from './feed-paging';

describe('feedPaging', () => {
	it('counts whole and partial pages, and at least one', () => {
		expect(feedPaging(0, 0, 50)).toEqual({ pageCount: 1, pastTheEnd: false });
		expect(feedPaging(50, 0, 50)).toEqual({ pageCount: 1, pastTheEnd: false });
		expect(feedPaging(51, 1, 50)).toEqual({ pageCount: 2, pastTheEnd: false });
	});

	it('marks a page beyond the last of a non-empty feed, never an empty one', () => {
		expect(feedPaging(120, 3, 50)).toEqual({ pageCount: 3, pastTheEnd: true });
		expect(feedPaging(3, 999, 50)).toEqual({ pageCount: 1, pastTheEnd: true });
		expect(feedPaging(0, 999, 50)).toEqual({ pageCount: 1, pastTheEnd: false });
	});
});
