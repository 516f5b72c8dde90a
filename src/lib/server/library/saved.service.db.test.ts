import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '$support/databases';
import { addMembers, makePaper } from '$support/fixtures';
import { BadRequestError, NotFoundError } from '../errors';
import { savePapers } from '../papers/paper.service';
import { readerVotes } from '../votes/vote.service';
import {
	loadSavedPage,
	MAX_NOTE_LENGTH,
	savePaper,
	setSavedNote,
	unsavePaper
} from './saved.service';

describeEachDialect('reading list', (get) => {
	beforeAll(async () => {
		await addMembers(get().store.db, ['reader', 'other-reader', 'notes', 'paging', 'hiding']);
	});

	it('saves once however often it is saved, and unsaving twice changes nothing', async () => {
		const { db } = get().store;
		const paper = makePaper();
		await savePapers(db, [paper]);
		await savePaper(db, 'reader', paper.id, new Date('2026-12-01T10:00:00Z'));
		await setSavedNote(db, 'reader', paper.id, 'read §3');
		await savePaper(db, 'reader', paper.id, new Date('2026-12-02T10:00:00Z'));
		const list = await loadSavedPage(db, 'reader', { page: 0, pageSize: 10 });
		expect(list.total).toBe(1);
		// The second save kept the first time and the note.
		expect(list.papers[0]).toMatchObject({
			id: paper.id,
			note: 'read §3',
			savedAt: '2026-12-01T10:00:00.000Z'
		});
		await unsavePaper(db, 'reader', paper.id);
		await unsavePaper(db, 'reader', paper.id);
		expect((await loadSavedPage(db, 'reader', { page: 0, pageSize: 10 })).total).toBe(0);
		// Another member's list was never touched.
		expect((await loadSavedPage(db, 'other-reader', { page: 0, pageSize: 10 })).total).toBe(0);
	});

	it('refuses an unknown paper and writes nothing', async () => {
		const { db } = get().store;
		await expect(savePaper(db, 'reader', '9999.99999')).rejects.toBeInstanceOf(NotFoundError);
		expect((await loadSavedPage(db, 'reader', { page: 0, pageSize: 10 })).total).toBe(0);
	});

	it('keeps notes up to 2,000 characters and refuses longer ones, and notes on unsaved papers', async () => {
		const { db } = get().store;
		const paper = makePaper();
		await savePapers(db, [paper]);
		await expect(setSavedNote(db, 'notes', paper.id, 'x')).rejects.toBeInstanceOf(NotFoundError);
		await savePaper(db, 'notes', paper.id);
		await setSavedNote(db, 'notes', paper.id, '  ' + 'é'.repeat(MAX_NOTE_LENGTH) + '  ');
		await expect(
			setSavedNote(db, 'notes', paper.id, 'y'.repeat(MAX_NOTE_LENGTH + 1))
		).rejects.toBeInstanceOf(BadRequestError);
		const [saved] = (await loadSavedPage(db, 'notes', { page: 0, pageSize: 10 })).papers;
		expect(saved.note).toBe('é'.repeat(MAX_NOTE_LENGTH));
	});

	it('lists newest saved first, in pages, and tells each card it is saved with one query', async () => {
		const { db } = get().store;
		const papers = [makePaper(), makePaper(), makePaper()];
		await savePapers(db, papers);
		for (const [i, paper] of papers.entries()) {
			await savePaper(db, 'paging', paper.id, new Date(Date.UTC(2026, 11, 1 + i)));
		}
		const first = await loadSavedPage(db, 'paging', { page: 0, pageSize: 2 });
		const second = await loadSavedPage(db, 'paging', { page: 1, pageSize: 2 });
		const past = await loadSavedPage(db, 'paging', { page: 5, pageSize: 2 });
		expect(first.papers.map((p) => p.id)).toEqual([papers[2].id, papers[1].id]);
		expect(second.papers.map((p) => p.id)).toEqual([papers[0].id]);
		expect(past).toMatchObject({ total: 3, papers: [] });
		const votes = await readerVotes(db, { id: 'paging' }, [papers[0].id, 'not-saved']);
		expect(votes.saved).toEqual([papers[0].id]);
		expect((await readerVotes(db, null, [papers[0].id])).saved).toEqual([]);
	});

	it('leaves hidden papers out of the list and refuses to save them', async () => {
		const { db } = get().store;
		const [kept, hidden] = [makePaper(), makePaper()];
		await savePapers(db, [kept, hidden]);
		await savePaper(db, 'hiding', kept.id);
		await savePaper(db, 'hiding', hidden.id);
		await db
			.updateTable('papers')
			.set({ hidden_at: '2026-12-03T00:00:00.000Z' })
			.where('id', '=', hidden.id)
			.execute();
		const list = await loadSavedPage(db, 'hiding', { page: 0, pageSize: 10 });
		expect(list.total).toBe(1);
		expect(list.papers.map((p) => p.id)).toEqual([kept.id]);
		await expect(savePaper(db, 'reader', hidden.id)).rejects.toBeInstanceOf(NotFoundError);
	});
});
