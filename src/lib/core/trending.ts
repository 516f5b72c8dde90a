/**
 * The trending score: a gravity/decay score in the style of Hacker News. Votes
 * (the one shown number: the source's count plus members' votes) and comments
 * lift a paper; age pulls it down, so a fresh paper with a few votes can pass an
 * old one with many. See docs/architecture.md "Trending".
 */

/** How strongly age pulls a score down; 1.8 is Hacker News' choice. */
export const TRENDING_GRAVITY = 1.8;
/** A comment counts as this many votes: it signals interest but is rarer and noisier. */
export const COMMENT_WEIGHT = 0.5;
/** Hours added to the age so a brand-new paper is not divided by (almost) zero. */
export const AGE_OFFSET_HOURS = 2;

/** The windows /trending offers, with how far back each reaches. */
export const TRENDING_WINDOWS = { day: 1, week: 7, month: 30 } as const;
export type TrendingWindow = keyof typeof TRENDING_WINDOWS;

/** Whether a string names a trending window. */
export function isTrendingWindow(value: string | null | undefined): value is TrendingWindow {
	return value === 'day' || value === 'week' || value === 'month';
}

export interface TrendingInput {
	upvotes: number;
	comments: number;
	/** When the paper was published (ISO 8601). */
	publishedAt: string;
}

/** `(upvotes + 0.5 × comments) / (age in hours + 2)^1.8`; age never counts below zero. */
export function trendingScore(input: TrendingInput, now: Date): number {
	const ageHours = Math.max(0, (now.getTime() - Date.parse(input.publishedAt)) / 3_600_000);
	const points = Math.max(0, input.upvotes) + COMMENT_WEIGHT * Math.max(0, input.comments);
	return points / Math.pow(ageHours + AGE_OFFSET_HOURS, TRENDING_GRAVITY);
}
