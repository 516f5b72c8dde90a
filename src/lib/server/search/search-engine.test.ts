import { describe, expect, it } from 'vitest';
import { analyze } from './lexical/analyzer';
import {
	DEFAULT_RETRIEVAL,
	LEXICAL_ONLY,
	SEMANTIC_ONLY,
	SearchEngine,
	type RetrievalConfig
} from './search-engine';
import { DEFAULT_LSA } from './semantic/lsa';

const corpus = [
	{ id: 'car1', title: 'Car engines', abstract: 'car engine wheel fuel road' },
	{ id: 'car2', title: 'Driving', abstract: 'car engine wheel driver road' },
	{ id: 'auto1', title: 'Automobile fuel', abstract: 'automobile engine wheel fuel' },
	{ id: 'auto2', title: 'Automobile roads', abstract: 'automobile engine driver road' },
	{ id: 'bio1', title: 'Proteins', abstract: 'protein cell gene enzyme' },
	{ id: 'bio2', title: 'Genomes', abstract: 'protein gene genome sequence' },
	{ id: 'bio3', title: 'Membranes', abstract: 'cell enzyme membrane protein' },
	{ id: 'bio4', title: 'Sequencing', abstract: 'genome sequence cell gene' }
];
const build = () => SearchEngine.build(corpus, { lsa: { ...DEFAULT_LSA, dims: 2, minDocFreq: 1 } });
const RM3_HYBRID: RetrievalConfig = { ...DEFAULT_RETRIEVAL, lexical: 'rm3' };
const ALL = [DEFAULT_RETRIEVAL, LEXICAL_ONLY, SEMANTIC_ONLY, RM3_HYBRID];
const ids = (hits: { id: string }[]) => hits.map((h) => h.id);

describe('SearchEngine', () => {
	it('keeps the exact lexical ranking when the top hit contains every query term', async () => {
		const engine = await build();
		const terms = analyze('automobile fuel');
		expect(engine.search(terms, DEFAULT_RETRIEVAL, { k: 8 })).toEqual(
			engine.search(terms, LEXICAL_ONLY, { k: 8 })
		);
	});

	it('skips the semantic side for any query its top hit fully covers, whatever the term order', async () => {
		// Regression: coverage summed idf weights in two different orders, leaving a mismatch of
		// ~1e-16 instead of 0, so fully covered queries were still fused (and paid the scan).
		const engine = await build();
		for (const doc of corpus) {
			const words = `${doc.title} ${doc.abstract}`.split(' ');
			for (const order of [words, [...words].reverse()]) {
				const terms = analyze(order.join(' '));
				expect(engine.search(terms, DEFAULT_RETRIEVAL, { k: 8 }), order.join(' ')).toEqual(
					engine.search(terms, LEXICAL_ONLY, { k: 8 })
				);
			}
		}
	});

	it('brings in semantically related documents when no document covers the query', async () => {
		const engine = await build();
		// No document says both "automobile" and "driver wheel fuel"; the vehicle topic fills the top.
		const hits = engine.searchText('automobile driver wheel fuel protein-free', DEFAULT_RETRIEVAL, {
			k: 4
		});
		expect(ids(hits).every((id) => /^(car|auto)/.test(id))).toBe(true);
		const semantic = engine.searchText('automobile', SEMANTIC_ONLY, { k: 4 });
		expect(ids(semantic).sort()).toEqual(['auto1', 'auto2', 'car1', 'car2']);
	});

	it('keeps both layers in step on add and remove', async () => {
		const engine = await build();
		engine.add({ id: 'new', title: 'Automobile wheels', abstract: 'automobile wheel road driver' });
		for (const config of ALL)
			expect(ids(engine.searchText('automobile wheel road', config, { k: 10 }))).toContain('new');
		engine.remove('new');
		engine.remove('never-there');
		for (const config of ALL)
			expect(ids(engine.searchText('automobile wheel road', config, { k: 10 }))).not.toContain(
				'new'
			);
	});

	it('applies filters and term constraints on the semantic side too', async () => {
		const engine = await build();
		const options = {
			k: 10,
			required: [analyze('road')],
			excluded: analyze('fuel'),
			filter: (docNo: number) => engine.lexical.idOf(docNo) !== 'car2'
		};
		for (const config of ALL) {
			// Only auto2 has "road", lacks "fuel" and passes the filter.
			expect(ids(engine.searchText('automobile engine driver', config, options))).toEqual([
				'auto2'
			]);
		}
	});

	it('round-trips both layers through serialize', async () => {
		const engine = await build();
		engine.remove('bio1');
		const copy = SearchEngine.deserialize(engine.serialize());
		for (const config of ALL)
			for (const q of ['automobile driver wheel', 'protein gene'])
				expect(copy.searchText(q, config, { k: 8 })).toEqual(
					engine.searchText(q, config, { k: 8 })
				);
	});

	it('works without an LSA layer', async () => {
		const engine = await SearchEngine.build(corpus, { lsa: false });
		expect(engine.lsa).toBeNull();
		expect(ids(engine.searchText('genome', DEFAULT_RETRIEVAL, { k: 3 })).sort()).toEqual([
			'bio2',
			'bio4'
		]);
		expect(engine.searchText('genome', SEMANTIC_ONLY)).toEqual([]);
	});
	it('finds similar documents by vector, never the document itself', async () => {
		const engine = await build();
		for (const doc of corpus) {
			const similar = ids(engine.similar(doc.id, 3));
			expect(similar).toHaveLength(3);
			expect(similar).not.toContain(doc.id);
			// Same topic: vehicles next to vehicles, biology next to biology.
			const topic = (id: string) => (/^(car|auto)/.test(id) ? 'vehicle' : 'bio');
			expect(similar.map(topic)).toEqual(Array(3).fill(topic(doc.id)));
		}
		// A neighbour that shares no word at all: auto1 and car2 only share "engine wheel".
		expect(ids(engine.similar('auto1', 7))).toHaveLength(7);
		expect(engine.similar('never-there', 5)).toEqual([]);
		expect(engine.similar('car1', 0)).toEqual([]);
	});

	it('falls back to a lexical query for similar documents without an LSA layer', async () => {
		const engine = await SearchEngine.build(corpus, { lsa: false });
		const similar = ids(engine.similar('bio2', 3));
		expect(similar).not.toContain('bio2');
		// bio4 shares three of bio2's words (gene, genome, sequence).
		expect(similar[0]).toBe('bio4');
		expect(similar.every((id) => id.startsWith('bio'))).toBe(true);
	});

	it('falls back to a lexical query for a document with no LSA vector', async () => {
		// minDocFreq 2 drops words seen once: "zeta theta" gives the new document a zero vector.
		const engine = await SearchEngine.build(corpus, { lsa: { ...DEFAULT_LSA, dims: 2 } });
		engine.add({ id: 'odd', title: 'Zeta', abstract: 'zeta theta' });
		engine.add({ id: 'odd2', title: 'Theta', abstract: 'theta iota' });
		expect(engine.lsa?.neighbours('odd', 3)).toBeNull();
		expect(ids(engine.similar('odd', 3))).toEqual(['odd2']);
	});
});
