/**
 * Time of `renderCommentMarkdown` (Markdown → sanitized HTML with KaTeX), the cost of
 * writing a comment and of each live preview: typical comments, and the worst inputs
 * the bounds allow (docs/architecture.md, "Comment Markdown"). Prints p50/p95 per case.
 *
 *   node scripts/run-ts.mjs bench/comment-markdown.bench.ts
 */
import { renderCommentMarkdown } from '$lib/server/discussion/markdown';
import { XSS_PAYLOADS } from '../tests/support/xss-payloads';

const typical = [
	'Nice result! The ablation in Table 3 is convincing, though I would like to see',
	'the same with a smaller model. See also [this paper](https://arxiv.org/abs/2401.00001).',
	'',
	'The bound $O(n \\log n)$ follows from $$\\sum_{i=1}^n \\frac{1}{i} \\le \\ln n + 1.$$',
	'',
	'```python',
	'loss = F.cross_entropy(logits, labels)',
	'```'
].join('\n');

const cases: Record<string, string> = {
	'typical (300 characters, 2 formulas, a link, code)': typical,
	'prose only, 20,000 characters': 'Some *text* with a [link](https://a.example). '.repeat(430),
	'100 small formulas': '$x_i^2$ '.repeat(100),
	'5,000 characters of nested roots (the math bound)': (
		'$' +
		'\\sqrt{'.repeat(100) +
		'x' +
		'}'.repeat(100) +
		'$\n\n'
	).repeat(8),
	'20,000 characters of nested roots (past the bound)': (
		'$' +
		'\\sqrt{'.repeat(200) +
		'x' +
		'}'.repeat(200) +
		'$\n\n'
	).repeat(14),
	'every XSS payload, one after another': XSS_PAYLOADS.map((p) => p.source).join('\n\n')
};

const percentile = (sorted: number[], p: number) =>
	sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

for (const [name, source] of Object.entries(cases)) {
	for (let i = 0; i < 3; i += 1) renderCommentMarkdown(source);
	const times: number[] = [];
	const until = performance.now() + 3_000;
	while (times.length < 20 || (performance.now() < until && times.length < 2_000)) {
		const began = performance.now();
		renderCommentMarkdown(source);
		times.push(performance.now() - began);
	}
	times.sort((a, b) => a - b);
	console.log(
		`${name} (${source.length.toLocaleString('en')} chars, n=${times.length}): ` +
			`p50 ${percentile(times, 50).toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms`
	);
}
