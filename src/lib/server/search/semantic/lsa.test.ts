import { describe, expect, it } from 'vitest';
import { analyze } from '../lexical/analyzer';
import { LexicalIndex } from '../lexical/lexical-index';
import { DEFAULT_LSA, LsaIndex } from './lsa';

// Two topics; "automobile" and "car" never meet in one document but share their context words,
// which is exactly the co-occurrence signal LSA turns into similarity.
const corpus = [
	{ id: 'car1', abstract: 'car engine wheel fuel road' },
	{ id: 'car2', abstract: 'car engine wheel driver road' },
	{ id: 'auto1', abstract: 'automobile engine wheel fuel' },
	{ id: 'auto2', abstract: 'automobile engine driver road' },
	{ id: 'bio1', abstract: 'protein cell gene enzyme' },
	{ id: 'bio2', abstract: 'protein gene genome sequence' },
	{ id: 'bio3', abstract: 'cell enzyme membrane protein' },
	{ id: 'bio4', abstract: 'genome sequence cell gene' }
];
const params = { ...DEFAULT_LSA, dims: 2, minDocFreq: 1 };

describe('LsaIndex', () => {
	it('finds documents that share a topic but not a word with the query', () => {
		const lsa = LsaIndex.train(LexicalIndex.build(corpus), params);
		const hits = lsa.search(analyze('automobile'), 8);
		const rank = (id: string) => hits.findIndex((h) => h.id === id);
		// Both car documents rank above every biology document although neither says "automobile".
		for (const bio of ['bio1', 'bio2', 'bio3', 'bio4'])
			for (const car of ['car1', 'car2']) expect(rank(car)).toBeLessThan(rank(bio));
		expect(hits[0].score).toBeLessThanOrEqual(1.0001);
	});

	it('is deterministic for a fixed seed', () => {
		const a = LsaIndex.train(LexicalIndex.build(corpus), params).search(analyze('gene cell'), 8);
		const b = LsaIndex.train(LexicalIndex.build(corpus), params).search(analyze('gene cell'), 8);
		expect(b).toEqual(a);
	});

	it('folds in added documents with the learned basis and forgets removed ones', () => {
		const lexical = LexicalIndex.build(corpus);
		const lsa = LsaIndex.train(lexical, params);
		lsa.add('new', analyze('automobile wheel road'));
		expect(lsa.size).toBe(corpus.length + 1);
		// With two latent dimensions every vehicle document lands on the same topic direction.
		expect(lsa.search(analyze('car road'), 5).map((h) => h.id)).toContain('new');
		expect(lsa.remove('new')).toBe(true);
		expect(lsa.remove('new')).toBe(false);
		expect(lsa.search(analyze('car road'), 9).map((h) => h.id)).not.toContain('new');
		lsa.compact();
		expect(lsa.size).toBe(corpus.length);
		expect(lsa.search(analyze('automobile'), 1)[0].id).toMatch(/^(car|auto)/);
	});

	it('returns nothing for queries outside the vocabulary and honours filters', () => {
		const lsa = LsaIndex.train(LexicalIndex.build(corpus), params);
		expect(lsa.search(analyze('quantum'), 5)).toEqual([]);
		const filtered = lsa.search(analyze('protein'), 8, (id) => !id.startsWith('bio'));
		expect(filtered.every((h) => !h.id.startsWith('bio'))).toBe(true);
	});

	it('round-trips through serialize with identical results, removed documents dropped', () => {
		const lsa = LsaIndex.train(LexicalIndex.build(corpus), params);
		lsa.remove('bio2');
		const copy = LsaIndex.deserialize(lsa.serialize());
		expect(copy.size).toBe(corpus.length - 1);
		for (const q of ['automobile', 'gene cell', 'road']) {
			expect(copy.search(analyze(q), 8)).toEqual(lsa.search(analyze(q), 8));
		}
		copy.add('late', analyze('genome sequence'));
		expect(copy.search(analyze('genome'), 8).map((h) => h.id)).toContain('late');
		expect(() => LsaIndex.deserialize(Buffer.from('nope, not a model'))).toThrow(
			/not a search LSA layer/
		);
	});

	it('trains on a sample when the corpus exceeds maxTrainDocs but folds in every document', () => {
		const lsa = LsaIndex.train(LexicalIndex.build(corpus), { ...params, maxTrainDocs: 5 });
		expect(lsa.size).toBe(corpus.length);
		expect(lsa.dims).toBe(2);
	});
	it("lists a document's vector neighbours without the document itself", () => {
		const lsa = LsaIndex.train(LexicalIndex.build(corpus), params);
		const neighbours = lsa.neighbours('bio1', 7) ?? [];
		expect(neighbours.map((n) => n.id)).not.toContain('bio1');
		expect(neighbours).toHaveLength(7);
		expect(neighbours.slice(0, 3).every((n) => n.id.startsWith('bio'))).toBe(true);
		expect(lsa.neighbours('bio1', 2, (id) => id !== 'bio2')?.map((n) => n.id)).not.toContain(
			'bio2'
		);
		expect(lsa.neighbours('unknown', 3)).toBeNull();
	});

	it('indexes large collections approximately with the same answers for clear neighbours', () => {
		// Forced into the IVF path (2 lists) on the small corpus: each topic gets its own list.
		const lsa = LsaIndex.train(LexicalIndex.build(corpus), params, { exactBelow: 1, lists: 2 });
		expect(lsa.vectorIndex.listCount).toBe(2);
		const hits = lsa.search(analyze('automobile'), 4).map((h) => h.id);
		expect(hits.sort()).toEqual(['auto1', 'auto2', 'car1', 'car2']);
		const copy = LsaIndex.deserialize(lsa.serialize());
		expect(copy.vectorIndex.listCount).toBe(2);
		expect(copy.search(analyze('gene'), 4)).toEqual(lsa.search(analyze('gene'), 4));
	});
});
