/**
 * Text with inline LaTeX (`$...$`, as arXiv titles and abstracts carry it) to
 * safe HTML: everything outside math is escaped, math goes through KaTeX with
 * `trust: false`, and math KaTeX cannot parse is shown as the escaped source.
 */
import katex from 'katex';
import { latexToUnicode } from './latex-text';
import { MATH_SPAN, MAX_MATH_SPANS_PER_FIELD, stripUnsafeCharacters } from './paper-safety';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

const MAX_MATH_LENGTH = 1000;

/**
 * KaTeX time one synchronous turn (one page render) may spend; math met after
 * that is shown as its source, and that result is not cached, so the next
 * request renders the rest. With one span bounded by MAX_MATH_LENGTH (at most
 * ~20 ms), no render holds the event loop much past 50 ms whatever the data.
 */
export const MATH_BUDGET_MS_PER_TURN = 25;

/** KaTeX's HTML for one span, or null when it does not parse (cached both ways). */
function renderMath(source: string, displayMode: boolean): string | null {
	if (source.length > MAX_MATH_LENGTH) return null;
	const key = `${displayMode ? 'D' : 'i'}${source}`;
	const cached = spanCache.get(key);
	if (cached !== undefined) return cached === FAILED ? null : cached;
	const began = performance.now();
	const html = renderKatex(source, displayMode);
	chargeMathTime(performance.now() - began);
	spanCache.set(key, html ?? FAILED);
	return html;
}

function renderKatex(source: string, displayMode: boolean): string | null {
	try {
		return katex.renderToString(source, {
			displayMode,
			throwOnError: true,
			trust: false,
			strict: 'ignore',
			output: 'htmlAndMathml',
			maxSize: 20,
			maxExpand: 200
		});
	} catch {
		return null;
	}
}

/**
 * A least-recently-used map bounded by the UTF-16 bytes of its keys and values,
 * not by its number of entries: one hostile abstract renders to megabytes.
 */
export class ByteBoundedCache {
	readonly #entries = new Map<string, string>();
	#bytes = 0;

	constructor(
		readonly maxBytes: number,
		/** A larger entry is not kept at all: it would push out many ordinary ones. */
		readonly maxEntryBytes = maxBytes / 16
	) {}

	/** The value for `key`, now the most recently used. */
	get(key: string): string | undefined {
		const value = this.#entries.get(key);
		if (value === undefined) return undefined;
		this.#entries.delete(key);
		this.#entries.set(key, value);
		return value;
	}

	/** Keeps `value` unless it is too large, dropping the least recently used to fit. */
	set(key: string, value: string): void {
		const size = ByteBoundedCache.sizeOf(key, value);
		this.delete(key);
		if (size > this.maxEntryBytes) return;
		while (this.#bytes + size > this.maxBytes) {
			const oldest = this.#entries.keys().next();
			if (oldest.done) break;
			this.delete(oldest.value);
		}
		this.#entries.set(key, value);
		this.#bytes += size;
	}

	delete(key: string): void {
		const value = this.#entries.get(key);
		if (value === undefined) return;
		this.#entries.delete(key);
		this.#bytes -= ByteBoundedCache.sizeOf(key, value);
	}

	get bytes(): number {
		return this.#bytes;
	}

	get size(): number {
		return this.#entries.size;
	}

	static sizeOf(key: string, value: string): number {
		return 2 * (key.length + value.length);
	}
}

// Pages render the same titles and abstracts over and over; KaTeX is the costly part.
const RENDER_CACHE_BYTES = 32 * 1024 * 1024;
const cache = new ByteBoundedCache(RENDER_CACHE_BYTES);
// Spans too: a text left part-rendered by the turn budget then progresses from
// turn to turn instead of starting over, and a span shared by many texts renders once.
const spanCache = new ByteBoundedCache(RENDER_CACHE_BYTES / 4);
const FAILED = '';

/** How full the render caches (texts and spans) are, for tests and health checks. */
export function renderCacheUsage(): { bytes: number; entries: number; maxBytes: number } {
	return {
		bytes: cache.bytes + spanCache.bytes,
		entries: cache.size + spanCache.size,
		maxBytes: cache.maxBytes + spanCache.maxBytes
	};
}

let mathMsThisTurn = 0;
let turnResetQueued = false;

function chargeMathTime(ms: number): void {
	mathMsThisTurn += ms;
	if (turnResetQueued) return;
	turnResetQueued = true;
	// A page renders synchronously: the queue drains only once its render is done.
	queueMicrotask(() => {
		mathMsThisTurn = 0;
		turnResetQueued = false;
	});
}

/**
 * Renders text with `$...$` math to HTML that is safe to insert as is. Control
 * and bidi override characters are dropped (imports strip them too; this covers
 * rows stored before), and math past the per-field bounds or the turn's
 * time budget is shown as its escaped source.
 */
export function renderMathText(text: string): string {
	const cached = cache.get(text);
	if (cached !== undefined) return cached;
	const { html, complete } = renderUncached(stripUnsafeCharacters(text));
	if (complete) cache.set(text, html);
	return html;
}

function textHtml(text: string): string {
	return escapeHtml(latexToUnicode(text).replace(/\\\$/g, '$'));
}

function renderUncached(text: string): { html: string; complete: boolean } {
	let html = '';
	let last = 0;
	let spans = 0;
	let complete = true;
	for (const match of text.matchAll(MATH_SPAN)) {
		const start = match.index;
		html += textHtml(text.slice(last, start));
		spans += 1;
		if (spans > MAX_MATH_SPANS_PER_FIELD) {
			// Past the bound the rest is shown as it is stored, in one piece: wrapping
			// each of 20,000 spans costs as much time as it adds bytes.
			html += `<span class="math-source">${escapeHtml(text.slice(start))}</span>`;
			return { html, complete };
		} else if (mathMsThisTurn >= MATH_BUDGET_MS_PER_TURN) {
			complete = false;
			html += `<span class="math-source">${escapeHtml(match[0])}</span>`;
		} else {
			const rendered = renderMath(match[1] ?? match[2], match[1] !== undefined);
			html +=
				rendered ??
				`<span class="math-error" title="LaTeX that could not be rendered">${escapeHtml(match[0])}</span>`;
		}
		last = start + match[0].length;
	}
	html += textHtml(text.slice(last));
	return { html, complete };
}

/** Plain text for places that cannot hold markup (page titles, feeds): math kept as source. */
export function plainText(text: string): string {
	return latexToUnicode(stripUnsafeCharacters(text)).replace(/\s+/g, ' ').trim();
}
