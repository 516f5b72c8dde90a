import { describe, expect, it } from 'vitest';
import {
	buildThread,
	checkCommentBody,
	countNodes,
	isWithinEditWindow,
	pageOfThread,
	threadViewOf,
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

describe('pageOfThread', () => {
	// Ten top-level threads of three comments each.
	const flat = Array.from({ length: 10 }, (_, i) => [
		comment(`t${i}`, null, `2030-01-01T00:${String(i).padStart(2, '0')}:00Z`),
		comment(`t${i}a`, `t${i}`, `2030-01-01T01:${String(i).padStart(2, '0')}:00Z`),
		comment(`t${i}b`, `t${i}a`, `2030-01-01T02:${String(i).padStart(2, '0')}:00Z`)
	]).flat();
	const thread = buildThread(flat);

	it('keeps top-level threads whole and closes a page once it holds the size', () => {
		const first = pageOfThread(thread, { page: 0 }, 7);
		expect(first.nodes.map((n) => n.comment.id)).toEqual(['t0', 't1', 't2']);
		expect(first.pages).toBe(4);
		expect(pageOfThread(thread, { page: 3 }, 7).nodes.map((n) => n.comment.id)).toEqual(['t9']);
		// Past the end: the last page.
		expect(pageOfThread(thread, { page: 99 }, 7).page).toBe(3);
	});

	it('opens the page that holds a linked comment, at any depth', () => {
		expect(pageOfThread(thread, { page: 0, commentId: 't5b' }, 7).page).toBe(1);
		expect(pageOfThread(thread, { page: 2, commentId: 'unknown' }, 7).page).toBe(2);
	});

	it('reads the view from the address, ignoring what is malformed', () => {
		expect(threadViewOf(new URLSearchParams('comments=2'))).toEqual({
			page: 2,
			focus: null,
			open: null
		});
		expect(threadViewOf(new URLSearchParams('comments=-1&comment=abc'))).toEqual({
			page: 0,
			focus: 'abc',
			open: null
		});
		expect(threadViewOf(new URLSearchParams('reply=xyz'))).toEqual({
			page: 0,
			focus: 'xyz',
			open: { kind: 'reply', commentId: 'xyz' }
		});
	});
});
