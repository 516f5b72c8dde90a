/**
 * Hostile-render benchmark: how long one synchronous render of the worst text
 * the import bounds let in (core/paper-safety.ts) holds the event loop, with the
 * per-turn KaTeX budget of core/latex.ts, next to the unbounded cost of the same
 * work and the reported 20,000-span abstract. Not a test: run it with
 *
 *   node scripts/run-ts.mjs bench/hostile-render.bench.ts [--runs 7]
 *
 * Each case renders fresh text (a salt defeats the render cache) in one turn,
 * as a page render does; "turns to complete" counts the later requests that
 * finish the math the budget left as source.
 */
import { parseArgs } from 'node:util';
import { MATH_BUDGET_MS_PER_TURN, renderMathText } from '$lib/core/latex';
import {
	MAX_ABSTRACT_LENGTH,
	MAX_MATH_SPANS_PER_FIELD,
	MAX_TITLE_LENGTH,
	securePaperRecord
} from '$lib/core/paper-safety';
import { makePaper } from '../tests/support/fixtures';
import { percentile, round } from './support';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Number(values.runs);

const HEAVY =
	'\\begin{pmatrix}a&b\\\\c&d\\end{pmatrix}\\frac{\\sqrt{a^2+b^2}}{\\sum_{i=1}^{n} x_i}';

/** As many heavy spans as fit in `length` characters, up to the span bound. */
function heaviestField(length: number, salt: number): string {
	const spans: string[] = [];
	let used = 0;
	for (let i = 0; i < MAX_MATH_SPANS_PER_FIELD; i++) {
		const span = `$${HEAVY}+${salt}_{${i}}$`;
		if (used + span.length + 1 > length) break;
		spans.push(span);
		used += span.length + 1;
	}
	return spans.join(' ');
}

interface Case {
	name: string;
	make: (salt: number) => string[];
}

const cases: Case[] = [
	{
		name: 'worst allowed page: title + abstract + AI summary',
		make: (s) => [
			heaviestField(MAX_TITLE_LENGTH, s),
			heaviestField(MAX_ABSTRACT_LENGTH, s),
			heaviestField(MAX_ABSTRACT_LENGTH, s + 0.5)
		]
	},
	{
		name: 'reported: 20,000 small spans (300 KB)',
		make: (s) => [Array.from({ length: 20_000 }, (_, i) => `$x_{${s}${i}}$`).join(' ')]
	},
	{
		name: 'real: 25 spans (most in ../shared/data)',
		make: (s) => [Array.from({ length: 25 }, (_, i) => `word $\\alpha_{${s}${i}}^2$`).join(' ')]
	}
];

let salt = 0;
const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));
const results = [];
for (const c of cases) {
	const firstTurn: number[] = [];
	const unbounded: number[] = [];
	let turnsToComplete = 0;
	let bytes = 0;
	for (let r = 0; r < runs; r++) {
		await nextTurn();
		const texts = c.make(++salt);
		const began = performance.now();
		const html = texts.map(renderMathText);
		firstTurn.push(performance.now() - began);
		bytes = html.reduce((sum, h) => sum + Buffer.byteLength(h), 0);
		let turns = 1;
		let total = firstTurn.at(-1)!;
		// Done when a turn renders what the one before did: the budget left nothing over.
		let previous = html.join('');
		for (;;) {
			await nextTurn();
			const again = performance.now();
			const now = texts.map(renderMathText).join('');
			total += performance.now() - again;
			if (now === previous) break;
			previous = now;
			turns += 1;
		}
		unbounded.push(total);
		turnsToComplete = turns;
	}
	firstTurn.sort((a, b) => a - b);
	unbounded.sort((a, b) => a - b);
	const imported = securePaperRecord(
		makePaper({
			id: '2401.00001',
			title: 'x',
			abstract: c.make(0).at(-1)!,
			authors: [],
			categories: []
		})
	);
	results.push({
		case: c.name,
		importAccepts: typeof imported !== 'string',
		firstTurnMsMedian: round(percentile(firstTurn, 50), 1),
		firstTurnMsMax: round(firstTurn.at(-1)!, 1),
		allTurnsMsMedian: round(percentile(unbounded, 50), 1),
		turnsToComplete,
		firstHtmlBytes: bytes
	});
}
console.log(JSON.stringify({ budgetMsPerTurn: MATH_BUDGET_MS_PER_TURN, runs, results }, null, 2));
