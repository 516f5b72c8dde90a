/**
 * Where the shared real data sets live, and the rule for tests that need them:
 * skip visibly on a user's clone without them, never skip in CI.
 */
import fs from 'node:fs';
import path from 'node:path';

export const sharedDataDir =
	process.env.DP_SHARED_DATA ?? path.resolve(process.cwd(), '../shared/data');

/** The path of a shared data set, or null (with a visible warning) when absent outside CI. */
export function sharedData(relative: string): string | null {
	const full = path.join(sharedDataDir, relative);
	if (fs.existsSync(full)) return full;
	if (process.env.CI === 'true') {
		throw new Error(`CI=true but the shared data set ${full} is missing`);
	}
	console.warn(`[skip] shared data ${full} is absent: tests that need it are skipped`);
	return null;
}
