/**
 * Hugging Face's period paths (`/papers/date/…`, `/papers/week/…`, `/papers/month/…`) answered by a
 * permanent redirect to our own feed URL, so links copied from huggingface.co/papers work here.
 */
import { error, redirect } from '@sveltejs/kit';
import { PERIOD_FORMAT_PROBLEM, parsePeriod, type PeriodKind } from '$lib/core/period';
import { links } from '$lib/links';

/** Redirects (308) a Hugging Face period path to the feed, or fails with the feed's own 400. */
export function redirectHfPeriodPath(kind: PeriodKind, key: string): never {
	if (parsePeriod(kind, key) === null) error(400, PERIOD_FORMAT_PROBLEM);
	// 308 keeps the method and is cached as permanent, like HF's own path is for that period.
	redirect(308, links.feed(kind, key));
}
