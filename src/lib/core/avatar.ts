/**
 * Members' generated avatars: a 5×5 identicon, mirrored left to right, drawn from a
 * hash of the member id. No outside service and no text from the member, so nothing
 * a member types can reach the SVG: the id chooses the cells and the colour, nothing else.
 *
 * @example
 * avatarSvg('q3R8x…') // → '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 5 5" …>…</svg>'
 */

/** FNV-1a over UTF-16 code units, stretched to `count` bytes by re-seeding; deterministic, not secret. */
function hashBytes(text: string, count: number): number[] {
	const bytes: number[] = [];
	let seed = 0x811c9dc5;
	while (bytes.length < count) {
		let hash = seed;
		for (let i = 0; i < text.length; i++) {
			hash ^= text.charCodeAt(i);
			hash = Math.imul(hash, 0x01000193) >>> 0;
		}
		// Avalanche (murmur3's finaliser), so neighbouring ids look unlike each other.
		hash ^= hash >>> 16;
		hash = Math.imul(hash, 0x85ebca6b) >>> 0;
		hash ^= hash >>> 13;
		hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
		hash ^= hash >>> 16;
		bytes.push(hash & 0xff, (hash >>> 8) & 0xff, (hash >>> 16) & 0xff, hash >>> 24);
		seed = hash ^ 0x9e3779b9;
	}
	return bytes.slice(0, count);
}

/** Which cells of the 5×5 grid are filled (row by row), and the colour's hue, for a member id. */
export function avatarPattern(memberId: string): { cells: boolean[]; hue: number } {
	const bytes = hashBytes(memberId, 16);
	const cells: boolean[] = [];
	for (let row = 0; row < 5; row++) {
		// Three columns decide, the last two mirror the first two.
		const decided = [0, 1, 2].map((column) => bytes[row * 3 + column] % 2 === 0);
		cells.push(decided[0], decided[1], decided[2], decided[1], decided[0]);
	}
	// A blank or full grid tells nobody apart: fill the centre column's middle, clear its ends.
	if (cells.every((c) => c) || cells.every((c) => !c)) {
		cells.fill(false);
		cells[12] = true;
		cells[7] = true;
		cells[17] = true;
	}
	return { cells, hue: Math.round(((bytes[15] << 8) | bytes[14]) % 360) };
}

/**
 * The avatar of a member id as a standalone SVG document: square, 5×5 cells on a pale
 * background of the same hue. Only numbers derived from the id go into it.
 */
export function avatarSvg(memberId: string): string {
	const { cells, hue } = avatarPattern(memberId);
	const rects = cells
		.map((filled, i) =>
			filled ? `<rect x="${i % 5}" y="${Math.floor(i / 5)}" width="1" height="1"/>` : ''
		)
		.join('');
	return (
		'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-0.5 -0.5 6 6" width="120" height="120" ' +
		'shape-rendering="crispEdges" role="img" aria-label="avatar">' +
		`<rect x="-0.5" y="-0.5" width="6" height="6" fill="hsl(${hue} 60% 94%)"/>` +
		`<g fill="hsl(${hue} 55% 45%)">${rects}</g></svg>`
	);
}
