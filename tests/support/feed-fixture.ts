/** A two-day Hugging Face daily-papers archive with the awkward titles pages must survive. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeHfEntry } from './fixtures';

export const HOSTILE_TITLE = '<script>alert(1)</script> & $x<y$';

/** Writes the fixture archive into a new temporary folder and returns its path. */
export function writeFeedFixture(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-feed-'));
	const day1 = [
		makeHfEntry('2406.00001', {
			title: 'Attention with $\\mathcal{O}(n \\log n)$ cost',
			summary: 'We show $\\alpha + \\beta = \\gamma$ and a broken formula $\\frac{1}{$ stays text.',
			upvotes: 40
		}),
		makeHfEntry('2406.00002', { title: HOSTILE_TITLE, upvotes: 12 }),
		makeHfEntry('2406.00003', { title: 'A quiet paper', upvotes: 3 })
	];
	const day2 = [
		makeHfEntry('2406.00004', { title: 'Newest day, most upvoted', upvotes: 99 }),
		makeHfEntry('2406.00005', { title: 'Newest day, second', upvotes: 1 })
	];
	fs.writeFileSync(path.join(dir, '2024-06-03.json'), JSON.stringify(day1));
	fs.writeFileSync(path.join(dir, '2024-06-04.json'), JSON.stringify(day2));
	return dir;
}
