import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, analyzeWithPositions, ENGLISH_STOPWORDS, stripLatex, tokenize } from './analyzer';

describe('tokenize', () => {
	it('folds case and diacritics and splits on anything but letters and digits', () => {
		expect(tokenize('Café naïve Ångström, co-operation!')).toEqual([
			'cafe',
			'naive',
			'angstrom',
			'co',
			'operation'
		]);
	});

	it('keeps letter–digit runs whole', () => {
		expect(tokenize('GPT4 beats x86 in 3D; GPT-4 too')).toEqual([
			'gpt4',
			'beats',
			'x86',
			'in',
			'3d',
			'gpt',
			'4',
			'too'
		]);
	});

	it('applies compatibility normalisation (ligatures, full-width forms)', () => {
		expect(tokenize('ﬁne-tuning ＬＬＭ')).toEqual(['fine', 'tuning', 'llm']);
	});

	it('joins inner apostrophes instead of splitting on them', () => {
		expect(tokenize("the model's output, don’t")).toEqual(['the', 'models', 'output', 'dont']);
	});
});

describe('stripLatex', () => {
	it('drops dollars and command names but keeps their argument words', () => {
		expect(tokenize(stripLatex('$\\mathbf{x}$ and \\emph{sparse} attention'))).toEqual([
			'x',
			'and',
			'sparse',
			'attention'
		]);
	});

	it('folds accent commands into the word', () => {
		expect(tokenize(stripLatex('Schr\\"odinger and Erd\\H{o}s, G\\\'{e}rard'))).toEqual([
			'schrodinger',
			'and',
			'erd',
			'o',
			's',
			'gerard'
		]);
	});

	it('returns text without LaTeX unchanged', () => {
		expect(stripLatex('plain text')).toBe('plain text');
	});
});

describe('analyze', () => {
	it('removes stopwords and lone letters and Porter-stems the rest', () => {
		expect(analyze('The retrieval of relevant documents is running in $O(n)$ time')).toEqual([
			'retriev',
			'relev',
			'document',
			'run',
			'time'
		]);
	});

	it('leaves tokens with digits unstemmed', () => {
		expect(analyze('GPT4 models and 3D scenes on x86')).toEqual([
			'gpt4',
			'model',
			'3d',
			'scene',
			'x86'
		]);
	});

	it('maps inflections of a word to one term', () => {
		expect(new Set(analyze('connect connected connecting connection connections'))).toEqual(
			new Set(['connect'])
		);
	});

	it('never emits stopwords, empty strings or whitespace', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
				for (const term of analyze(text)) {
					expect(term.length).toBeGreaterThan(0);
					expect(term).not.toMatch(/\s/);
					expect(ENGLISH_STOPWORDS.has(term)).toBe(false);
				}
			})
		);
	});

	it('is not idempotent (Porter stems are not words), so stems must never be re-analyzed', () => {
		expect(analyze('representations')).toEqual(['represent']);
		expect(analyze('represent')).toEqual(['repres']);
	});
});

describe('analyzeWithPositions', () => {
	it('keeps original token positions, with gaps where stopwords were', () => {
		expect(analyzeWithPositions('the cat sat on the mat')).toEqual([
			{ term: 'cat', position: 1 },
			{ term: 'sat', position: 2 },
			{ term: 'mat', position: 5 }
		]);
	});
});
