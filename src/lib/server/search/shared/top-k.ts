/**
 * A bounded min-heap that keeps the k best (score, item) pairs. Typed arrays instead of objects
 * because every search pushes up to one entry per matching document.
 */

/** One ranked hit: the internal number of an item and its score. */
export interface RankedItem {
	item: number;
	score: number;
}

/**
 * Keeps the k highest-scoring items seen so far. Ties are broken towards the smaller item number
 * so that rankings are deterministic (and equal across an index and its serialized copy).
 */
export class TopK {
	private readonly scores: Float64Array;
	private readonly items: Uint32Array;
	private size = 0;

	/** Creates an empty collector for the best `k` items (k ≥ 0). */
	constructor(readonly k: number) {
		this.scores = new Float64Array(Math.max(k, 1));
		this.items = new Uint32Array(Math.max(k, 1));
	}

	/** The number of items held (≤ k). */
	get length(): number {
		return this.size;
	}

	/** The score an item must beat to enter a full heap; -Infinity while it is not full. */
	get threshold(): number {
		return this.size < this.k ? -Infinity : this.scores[0];
	}

	// `a` ranks below `b`: lower score, or equal score and larger item number.
	private worse(a: number, b: number): boolean {
		const sa = this.scores[a];
		const sb = this.scores[b];
		return sa < sb || (sa === sb && this.items[a] > this.items[b]);
	}

	private swap(a: number, b: number): void {
		const s = this.scores[a];
		this.scores[a] = this.scores[b];
		this.scores[b] = s;
		const i = this.items[a];
		this.items[a] = this.items[b];
		this.items[b] = i;
	}

	/** Offers an item; it is kept only if it ranks among the best k so far. */
	push(item: number, score: number): void {
		if (this.k === 0) return;
		if (this.size < this.k) {
			let i = this.size++;
			this.scores[i] = score;
			this.items[i] = item;
			while (i > 0) {
				const parent = (i - 1) >> 1;
				if (!this.worse(i, parent)) break;
				this.swap(i, parent);
				i = parent;
			}
			return;
		}
		const root = this.scores[0];
		if (score < root || (score === root && item > this.items[0])) return;
		this.scores[0] = score;
		this.items[0] = item;
		let i = 0;
		for (;;) {
			const left = 2 * i + 1;
			if (left >= this.size) break;
			const right = left + 1;
			const child = right < this.size && this.worse(right, left) ? right : left;
			if (!this.worse(child, i)) break;
			this.swap(child, i);
			i = child;
		}
	}

	/** Returns the kept items best first (score descending, then item ascending). */
	sorted(): RankedItem[] {
		const out: RankedItem[] = [];
		for (let i = 0; i < this.size; i++) out.push({ item: this.items[i], score: this.scores[i] });
		out.sort((a, b) => b.score - a.score || a.item - b.item);
		return out;
	}
}
