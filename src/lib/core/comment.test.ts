import { describe, expect, it } from 'vitest';
import {
	buildThread,
	checkCommentBody,
	countNodes,
	isWithinEditWindow,
	type ThreadComment
} from './comment';

const comment = (id: string, parentId: string | null, createdAt: string): ThreadComment => ({
	id,
	parentId,
	author: { id: 'm', username: 'm', displayName: 'M' },
	createdAt,
	editedAt: null,
	deleted: false,
	hidden: false,
	body: id,
	bodyHtml: `<p>${id}</p>`
});

describe('checkCommentBody', () => {
	it('trims and normalizes line ends', () => {
		expect(checkCommentBody('  a\r\nb\r ')).toEqual({ ok: true, body: 'a\nb' });
	});
	it('says why an empty, a missing or an over-long body is refused', () => {
		expect(checkCommentBody(' \n ')).toEqual({ ok: false, reason: 'A comment cannot be empty.' });
		expect(checkCommentBody(null)).toMatchObject({ ok: false });
		expect(checkCommentBody('x'.repeat(20_001))).toEqual({
			ok: false,
			reason: 'A comment may be at most 20,000 characters; this one has 20,001.'
		});
		expect(checkCommentBody('x'.repeat(20_000)).ok).toBe(true);
	});
});

describe('isWithinEditWindow', () => {
	it('allows 15 minutes and not a moment more', () => {
		const at = '2030-01-01T00:00:00.000Z';
		expect(isWithinEditWindow(at, new Date('2030-01-01T00:15:00.000Z'))).toBe(true);
		expect(isWithinEditWindow(at, new Date('2030-01-01T00:15:00.001Z'))).toBe(false);
	});
});

describe('buildThread', () => {
	it('nests replies under their parents, oldest first at each level', () => {
		const thread = buildThread([
			comment('b', null, '2030-01-01T00:02:00Z'),
			comment('a2', 'a', '2030-01-01T00:05:00Z'),
			comment('a', null, '2030-01-01T00:01:00Z'),
			comment('a1', 'a', '2030-01-01T00:03:00Z'),
			comment('a1x', 'a1', '2030-01-01T00:04:00Z')
		]);
		expect(thread.map((n) => n.comment.id)).toEqual(['a', 'b']);
		expect(thread[0].replies.map((n) => n.comment.id)).toEqual(['a1', 'a2']);
		expect(thread[0].replies[0].replies[0]).toMatchObject({ depth: 2, comment: { id: 'a1x' } });
		expect(countNodes(thread)).toBe(5);
	});
	it('builds a thread 10,000 deep without overflowing the stack', () => {
		const chain = Array.from({ length: 10_000 }, (_, i) =>
			comment(`c${i}`, i === 0 ? null : `c${i - 1}`, new Date(i * 1000).toISOString())
		);
		expect(countNodes(buildThread(chain))).toBe(10_000);
	});
});
