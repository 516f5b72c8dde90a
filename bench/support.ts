/** Small pieces every benchmark needs. */
import fs from 'node:fs';
import path from 'node:path';

export { freePort } from '../tests/support/app-server';

/**
 * The project root: the nearest folder above this module with package.json
 * (benchmarks run bundled from dist/run/ by scripts/run-ts.mjs, or from bench/).
 */
export function projectRoot(): string {
	let dir = import.meta.dirname;
	for (let i = 0; i < 6; i += 1) {
		if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
		dir = path.dirname(dir);
	}
	return process.cwd();
}

/** The nearest-rank percentile of ascending samples. */
export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return Number.NaN;
	const rank = Math.ceil((p / 100) * sorted.length) - 1;
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

export function round(value: number, digits = 3): number {
	const f = 10 ** digits;
	return Math.round(value * f) / f;
}

/** A number for a table cell; a dash when there is none. */
export function fmt(value: number | null | undefined, digits = 2): string {
	if (value === null || value === undefined || Number.isNaN(value)) return '—';
	return value.toLocaleString('en-US', {
		minimumFractionDigits: digits,
		maximumFractionDigits: digits
	});
}

/** A plain-text table with aligned columns. */
export function table(header: string[], rows: string[][], rightAligned: boolean[]): string {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]) =>
		cells
			.map((c, i) => (rightAligned[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
			.join('  ')
			.trimEnd();
	return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
