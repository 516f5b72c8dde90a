import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from './analyzer';
import { fieldText } from './doc-terms';
import { bm25Idf, LexicalIndex, PRUNING_TUNING, type SearchOptions } from './lexical-index';
import { DEFAULT_BM25F, FIELD_NAMES, type Bm25fParams, type IndexDocument } from './lexical-types';

// ---------------------------------------------------------------------------
// Brute-force BM25F over the live documents, straight from the definition.

function bruteForce(
	docs: ReadonlyMap<string, IndexDocument>,
	query: readonly string[],
	params: Bm25fParams,
	options: SearchOptions & { filterId?: (id: string) => boolean } = {}
): Map<string, number> {
	const analyzed = [...docs.values()].map((doc) => ({
		id: doc.id,
		fields: FIELD_NAMES.map((field) => analyze(fieldText(doc, field)))
	}));
	const n = analyzed.length;
	const avg = FIELD_NAMES.map(
		(_, f) => analyzed.reduce((sum, d) => sum + d.fields[f].length, 0) / n
	);
	const qtf = new Map<string, number>();
	for (const term of query) qtf.set(term, (qtf.get(term) ?? 0) + 1);
	const scores = new Map<string, number>();
	for (const doc of analyzed) {
		const all = new Set(doc.fields.flat());
		if (options.excluded?.some((term) => all.has(term))) continue;
		if (options.required?.some((group) => !group.some((term) => all.has(term)))) continue;
		if (options.filterId && !options.filterId(doc.id)) continue;
		let score = 0;
		let matched = false;
		for (const [term, weight] of qtf) {
			const df = analyzed.filter((d) => d.fields.some((terms) => terms.includes(term))).length;
			if (df === 0) continue;
			let tfn = 0;
			FIELD_NAMES.forEach((field, f) => {
				const tf = doc.fields[f].filter((t) => t === term).length;
				const { weight: fw, b } = params.fields[field];
				const norm = avg[f] > 0 ? 1 - b + (b * doc.fields[f].length) / avg[f] : 1;
				tfn += (fw * tf) / norm;
			});
			if (tfn === 0) continue;
			matched = true;
			score += (weight * bm25Idf(n, df) * (params.k1 + 1) * tfn) / (params.k1 + tfn);
		}
		if (matched || (query.length === 0 && (options.required?.length ?? 0) > 0))
			scores.set(doc.id, score);
	}
	return scores;
}

/** Checks a top-k answer against brute-force scores, allowing any order among exact ties. */
function expectTopK(
	hits: readonly { id: string; score: number }[],
	expected: Map<string, number>,
	k: number
): void {
	const sorted = [...expected.values()].sort((a, b) => b - a);
	expect(hits.length).toBe(Math.min(k, sorted.length));
	hits.forEach((hit, i) => {
		expect(expected.has(hit.id)).toBe(true);
		expect(hit.score).toBeCloseTo(expected.get(hit.id) ?? NaN, 6);
		expect(hit.score).toBeCloseTo(sorted[i], 6);
	});
	expect(new Set(hits.map((h) => h.id)).size).toBe(hits.length);
}

// ---------------------------------------------------------------------------
// Random corpora over a small vocabulary, so terms collide often.

const WORDS = [
	'graph',
	'neural',
	'sparse',
	'vision',
	'token',
	'reward',
	'agent',
	'diffusion',
	'matrix',
	'robot'
];
const NAMES = ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Karen Jones'];
const text = (max: number) =>
	fc.array(fc.constantFrom(...WORDS), { maxLength: max }).map((words) => words.join(' '));
const docArb = (id: string) =>
	fc.record({
		id: fc.constant(id),
		title: text(5),
		abstract: text(25),
		authors: fc.subarray(NAMES, { maxLength: 2 })
	});
const idArb = fc.integer({ min: 0, max: 30 }).map((i) => `doc${i}`);
const opArb = fc.oneof(
	idArb.chain((id) => docArb(id)).map((doc) => ({ kind: 'add' as const, doc })),
	idArb.map((id) => ({ kind: 'remove' as const, id })),
	fc.constant({ kind: 'compact' as const }),
	fc.constant({ kind: 'roundtrip' as const })
);
const queryArb = fc.array(
	fc.constantFrom(...WORDS.map((w) => analyze(w)[0]), 'lovelac', 'absent'),
	{
		minLength: 1,
		maxLength: 5
	}
);

function expectBruteForceUnderChanges(numRuns: number): void {
	fc.assert(
		fc.property(
			fc.array(
				idArb.chain((id) => docArb(id)),
				{ maxLength: 15 }
			),
			fc.array(opArb, { maxLength: 25 }),
			fc.array(queryArb, { minLength: 1, maxLength: 4 }),
			fc.integer({ min: 1, max: 12 }),
			(initial, ops, queries, k) => {
				const model = new Map<string, IndexDocument>();
				for (const doc of initial) model.set(doc.id, doc);
				let index = LexicalIndex.build(initial);
				for (const op of ops) {
					if (op.kind === 'add') {
						index.add(op.doc);
						model.set(op.doc.id, op.doc);
					} else if (op.kind === 'remove') {
						expect(index.remove(op.id)).toBe(model.delete(op.id));
					} else if (op.kind === 'compact') index.compact();
					else index = LexicalIndex.deserialize(index.serialize());
				}
				expect(index.size).toBe(model.size);
				for (const id of model.keys()) expect(index.has(id)).toBe(true);
				if (model.size === 0) return;
				for (const query of queries) {
					expectTopK(index.search(query, { k }), bruteForce(model, query, DEFAULT_BM25F), k);
				}
			}
		),
		{ numRuns }
	);
}

function expectBruteForceWithConstraints(numRuns: number): void {
	fc.assert(
		fc.property(
			fc.array(
				fc.integer({ min: 0, max: 40 }).chain((i) => docArb(`d${i}`)),
				{ minLength: 1, maxLength: 30 }
			),
			queryArb,
			fc.array(
				fc.array(fc.constantFrom(...WORDS.map((w) => analyze(w)[0])), {
					minLength: 1,
					maxLength: 2
				}),
				{
					maxLength: 2
				}
			),
			fc.array(fc.constantFrom(...WORDS.map((w) => analyze(w)[0])), { maxLength: 2 }),
			fc.boolean(),
			(docs, query, required, excluded, withFilter) => {
				const model = new Map(docs.map((doc) => [doc.id, doc]));
				const index = LexicalIndex.build(docs);
				const filterId = (id: string) => Number(id.slice(1)) % 2 === 0;
				const options: SearchOptions = {
					k: 50,
					required,
					excluded,
					...(withFilter ? { filter: (docNo: number) => filterId(index.idOf(docNo)) } : {})
				};
				const expected = bruteForce(model, query, DEFAULT_BM25F, {
					required,
					excluded,
					...(withFilter ? { filterId } : {})
				});
				expectTopK(index.search(query, options), expected, 50);
			}
		),
		{ numRuns }
	);
}

describe('LexicalIndex', () => {
	it('matches brute-force BM25F after any sequence of bulk build, add, remove, compact and reload', () =>
		expectBruteForceUnderChanges(150));

	it('applies required groups (AND of ORs), exclusions and filters like the brute force', () =>
		expectBruteForceWithConstraints(150));

	it('prunes exactly: with skewed term frequencies, top-k equals the unpruned ranking', () => {
		// Zipf-like corpora (common words everywhere, rare words in a few documents) are where the
		// continue strategy switches on; a filter that accepts everything turns pruning off.
		const vocab = Array.from(
			{ length: 40 },
			(_, i) => `w${String.fromCharCode(97 + (i % 26))}${i}`
		);
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 2 ** 31 - 1 }),
				fc.integer({ min: 1, max: 20 }),
				fc.array(fc.integer({ min: 0, max: 39 }), { minLength: 2, maxLength: 6 }),
				(seed, k, queryWords) => {
					let state = seed;
					const random = () => {
						state = (state * 48271) % 2147483647;
						return state / 2147483647;
					};
					const zipf = () => vocab[Math.min(39, Math.floor(1 / (random() + 0.025)) - 1)];
					const docs = Array.from({ length: 400 }, (_, i) => ({
						id: `z${i}`,
						title: Array.from({ length: 3 }, zipf).join(' '),
						abstract: Array.from({ length: 20 }, zipf).join(' ')
					}));
					const index = LexicalIndex.build(docs.slice(0, 350));
					for (const doc of docs.slice(350)) index.add(doc);
					const query = queryWords.map((i) => analyze(vocab[i])[0]);
					const pruned = index.search(query, { k });
					const full = index.search(query, { k, filter: () => true });
					expect(pruned.map((h) => h.id)).toEqual(full.map((h) => h.id));
					pruned.forEach((hit, i) => expect(hit.score).toBeCloseTo(full[i].score, 9));
				}
			),
			{ numRuns: 40 }
		);
	});

	it('answers a pure filter query (no scoring terms) with every matching document', () => {
		const index = LexicalIndex.build([
			{ id: 'a', title: 'sparse graph' },
			{ id: 'b', title: 'sparse vision' },
			{ id: 'c', title: 'dense vision' }
		]);
		const hits = index.search([], { k: 10, required: [analyze('sparse')] });
		expect(hits.map((h) => h.id)).toEqual(['a', 'b']);
		expect(hits.every((h) => h.score === 0)).toBe(true);
	});

	it('weighs fields: a title match outranks the same match in the abstract', () => {
		const index = LexicalIndex.build([
			{ id: 'abstract', title: 'other words here', abstract: 'transformer model for text' },
			{ id: 'title', title: 'transformer model', abstract: 'for text and other words here' }
		]);
		expect(index.searchText('transformer')[0].id).toBe('title');
	});

	it('finds papers by author name', () => {
		const index = LexicalIndex.build([
			{ id: 'p1', title: 'graphs', authors: ['Grace Hopper'] },
			{ id: 'p2', title: 'graphs', authors: ['Alan Turing'] }
		]);
		expect(index.searchText('hopper').map((h) => h.id)).toEqual(['p1']);
	});

	it('treats removal of an unknown id as a no-op and re-adding an id as a replacement', () => {
		const index = LexicalIndex.build([{ id: 'x', title: 'alpha' }]);
		expect(index.remove('nope')).toBe(false);
		index.add({ id: 'x', title: 'beta' });
		expect(index.size).toBe(1);
		expect(index.searchText('alpha')).toEqual([]);
		expect(index.searchText('beta').map((h) => h.id)).toEqual(['x']);
		expect(index.remove('x')).toBe(true);
		expect(index.remove('x')).toBe(false);
		expect(index.searchText('beta')).toEqual([]);
	});

	it('keeps the later document when a bulk source repeats an id', () => {
		const index = LexicalIndex.build([
			{ id: 'x', title: 'alpha' },
			{ id: 'y', title: 'gamma' },
			{ id: 'x', title: 'beta' }
		]);
		expect(index.size).toBe(2);
		expect(index.searchText('alpha')).toEqual([]);
		expect(index.searchText('beta').map((h) => h.id)).toEqual(['x']);
	});

	it('compacts automatically once the delta segment grows, without changing results', () => {
		const docs = Array.from({ length: 5000 }, (_, i) => ({
			id: `p${i}`,
			title: `${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]}`,
			abstract: `${WORDS[(i * 3) % WORDS.length]} number${i % 97}`
		}));
		const bulk = LexicalIndex.build(docs);
		const incremental = LexicalIndex.build([]);
		for (const doc of docs) incremental.add(doc);
		expect(incremental.stats().deltaDocs).toBeLessThan(docs.length);
		for (const q of ['graph number5', 'robot', 'sparse vision number42']) {
			const a = bulk.searchText(q, { k: 20 });
			const b = incremental.searchText(q, { k: 20 });
			expect(b.map((h) => h.id)).toEqual(a.map((h) => h.id));
			b.forEach((hit, i) => expect(hit.score).toBeCloseTo(a[i].score, 9));
		}
	});

	it('reports sizes and round-trips through serialize with identical rankings', () => {
		const index = LexicalIndex.build([
			{ id: '1', title: 'Graph neural networks', abstract: 'Message passing on graphs.' },
			{ id: '2', title: 'Sparse attention', abstract: 'Attention that is sparse.' }
		]);
		index.add({ id: '3', title: 'Graph transformers', abstract: 'Attention on graphs.' });
		index.remove('2');
		const stats = index.stats();
		expect(stats).toMatchObject({ docs: 2, deletedDocs: 1, deltaDocs: 1 });
		expect(stats.postings).toBeGreaterThan(0);
		expect(stats.bytes).toBeGreaterThan(0);
		const bytes = index.serialize();
		// A Buffer view at an odd offset must still decode (the reader copies to align).
		const shifted = Buffer.alloc(bytes.length + 1);
		bytes.copy(shifted, 1);
		const copy = LexicalIndex.deserialize(shifted.subarray(1));
		expect(copy.stats()).toMatchObject({ docs: 2, deletedDocs: 0, deltaDocs: 0 });
		for (const q of ['graph', 'attention graphs', 'sparse']) {
			expect(copy.searchText(q)).toEqual(index.searchText(q));
		}
		expect(() => LexicalIndex.deserialize(Buffer.from('not an index'))).toThrow(
			/not a lexical index/
		);
	});

	it('counts the ranking scratch space in its size once a query has used it, and drops it on compaction', () => {
		const index = LexicalIndex.build([
			{ id: '1', title: 'Graph neural networks', abstract: 'Message passing on graphs.' },
			{ id: '2', title: 'Sparse attention', abstract: 'Attention that is sparse.' }
		]);
		const stored = index.stats().bytes;
		const before = index.searchText('graph attention');
		expect(index.stats().bytes).toBeGreaterThan(stored);
		index.add({ id: '3', title: 'Graph transformers', abstract: 'Attention on graphs.' });
		index.compact();
		const fresh = LexicalIndex.deserialize(index.serialize());
		expect(index.stats()).toEqual(fresh.stats());
		expect(index.searchText('graph attention')).toEqual(fresh.searchText('graph attention'));
		expect(index.searchText('graph attention').map((hit) => hit.id)).toEqual(
			expect.arrayContaining(before.map((hit) => hit.id))
		);
	});

	it('keeps an index and one made from its snapshot independent', () => {
		const a = LexicalIndex.build([{ id: '1', title: 'graph' }]);
		const b = LexicalIndex.fromSnapshot(a.snapshot());
		b.add({ id: '2', title: 'lattice graph' });
		a.add({ id: '3', title: 'tensor' });
		expect(a.searchText('lattice')).toEqual([]);
		expect(b.searchText('tensor')).toEqual([]);
		expect(a.size).toBe(2);
		expect(b.size).toBe(2);
		expect(a.searchText('graph').map((h) => h.id)).toEqual(['1']);
	});

	it('changes parameters at query time without a rebuild', () => {
		const index = LexicalIndex.build([
			{ id: 'short', abstract: 'robot' },
			{ id: 'long', abstract: 'robot arm with many other words in a much longer text body' }
		]);
		index.params = {
			...DEFAULT_BM25F,
			fields: { ...DEFAULT_BM25F.fields, abstract: { weight: 1, b: 0 } }
		};
		const flat = index.searchText('robot');
		expect(flat[0].score).toBeCloseTo(flat[1].score, 12);
		index.params = DEFAULT_BM25F;
		const normalised = index.searchText('robot');
		expect(normalised[0].id).toBe('short');
		expect(normalised[0].score).toBeGreaterThan(normalised[1].score);
	});
});

describe('LexicalIndex range-at-a-time pruning (tiny blocks and ranges so small corpora use it)', () => {
	const saved = { ...PRUNING_TUNING };
	beforeAll(() => Object.assign(PRUNING_TUNING, { blockSize: 4, rangeShift: 3, minPostings: 0 }));
	afterAll(() => Object.assign(PRUNING_TUNING, saved));

	it('matches brute-force BM25F after adds (drifting lengths), removes, compactions and reloads', () =>
		expectBruteForceUnderChanges(150));

	it('applies required groups, exclusions and filters like the brute force', () =>
		expectBruteForceWithConstraints(150));

	it('returns exactly the exhaustive top k on skewed corpora, with and without constraints', () => {
		const vocab = Array.from(
			{ length: 60 },
			(_, i) => `w${String.fromCharCode(97 + (i % 26))}${i}`
		);
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 2 ** 31 - 1 }),
				fc.integer({ min: 1, max: 30 }),
				fc.array(fc.integer({ min: 0, max: 59 }), { minLength: 1, maxLength: 5 }),
				fc.constantFrom('plain', 'all-required', 'filtered', 'excluded'),
				(seed, k, queryWords, mode) => {
					let state = seed;
					const random = () => {
						state = (state * 48271) % 2147483647;
						return state / 2147483647;
					};
					const zipf = () => vocab[Math.min(59, Math.floor(1 / (random() + 0.02)) - 1)];
					const docs = Array.from({ length: 600 }, (_, i) => ({
						id: `z${i}`,
						title: Array.from({ length: 1 + Math.floor(random() * 5) }, zipf).join(' '),
						abstract: Array.from({ length: 5 + Math.floor(random() * 40) }, zipf).join(' ')
					}));
					const index = LexicalIndex.build(docs.slice(0, 500));
					for (const doc of docs.slice(500)) index.add(doc);
					for (let i = 0; i < 600; i += 37) index.remove(`z${i}`);
					const query = queryWords.map((i) => analyze(vocab[i])[0]);
					const options: SearchOptions = { k };
					if (mode === 'all-required') options.required = query.map((term) => [term]);
					if (mode === 'filtered') options.filter = (docNo) => docNo % 3 !== 0;
					if (mode === 'excluded') options.excluded = [analyze(vocab[0])[0]];
					const pruned = index.search(query, options);
					PRUNING_TUNING.minPostings = Infinity;
					const full = index.search(query, options);
					PRUNING_TUNING.minPostings = 0;
					// Same arithmetic in the same order: identical ids and bit-identical scores.
					expect(pruned).toEqual(full);
				}
			),
			{ numRuns: 200 }
		);
	});

	it('keeps its bounds valid as added documents move the average lengths', () => {
		// Long documents added later raise the average abstract length, which raises every older
		// document's norm above what its block maxima were computed with.
		const index = LexicalIndex.build(
			Array.from({ length: 400 }, (_, i) => ({
				id: `s${i}`,
				title: i % 11 === 0 ? 'robot' : 'arm',
				abstract: `robot ${'arm '.repeat(i % 13)}`
			}))
		);
		const query = analyze('robot arm');
		const check = () => {
			const pruned = index.search(query, { k: 7 });
			PRUNING_TUNING.minPostings = Infinity;
			const full = index.search(query, { k: 7 });
			PRUNING_TUNING.minPostings = 0;
			expect(pruned).toEqual(full);
		};
		check();
		for (let i = 0; i < 300; i++) {
			index.add({ id: `l${i}`, title: 'other', abstract: 'filler '.repeat(50 + (i % 40)) });
			if (i % 25 === 0) check();
		}
		check();
	});

	it('recomputes its bounds when the scoring parameters change', () => {
		const docs = Array.from({ length: 300 }, (_, i) => ({
			id: `p${i}`,
			title: i % 7 === 0 ? 'robot arm' : 'arm',
			abstract: `robot ${'filler '.repeat(i % 23)}arm`
		}));
		const index = LexicalIndex.build(docs);
		const before = index.searchText('robot arm', { k: 5 });
		index.params = {
			...DEFAULT_BM25F,
			fields: { ...DEFAULT_BM25F.fields, title: { weight: 0.5, b: 0.2 } }
		};
		const pruned = index.searchText('robot arm', { k: 5 });
		PRUNING_TUNING.minPostings = Infinity;
		const full = index.searchText('robot arm', { k: 5 });
		PRUNING_TUNING.minPostings = 0;
		expect(pruned).toEqual(full);
		expect(pruned).not.toEqual(before);
	});
});
