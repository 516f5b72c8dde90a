/**
 * When jobs are due: "daily at HH:MM UTC" and "every N minutes". Pure
 * arithmetic on slots (the instants a job is meant to start), so that a node
 * that was down runs a missed job once, for the latest slot, not once per slot.
 */

export type Schedule =
	| { kind: 'daily'; hourUtc: number; minuteUtc: number }
	/** Slots at whole multiples of `minutes` since 1970-01-01T00:00Z (every 15 → :00, :15, …). */
	| { kind: 'every'; minutes: number };

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** A daily schedule at `hourUtc`:`minuteUtc` UTC. */
export function daily(hourUtc: number, minuteUtc = 0): Schedule {
	return { kind: 'daily', hourUtc, minuteUtc };
}

/** A schedule every `minutes` minutes. */
export function everyMinutes(minutes: number): Schedule {
	if (!Number.isInteger(minutes) || minutes < 1) {
		throw new RangeError(`every N minutes needs a whole N ≥ 1, not ${minutes}`);
	}
	return { kind: 'every', minutes };
}

/** `daily at 03:00 UTC`, `every 15 minutes`. */
export function describeSchedule(schedule: Schedule): string {
	if (schedule.kind === 'every') return `every ${schedule.minutes} minute(s)`;
	const pad = (n: number) => String(n).padStart(2, '0');
	return `daily at ${pad(schedule.hourUtc)}:${pad(schedule.minuteUtc)} UTC`;
}

/** The latest slot at or before `now`. */
export function latestSlot(schedule: Schedule, now: Date): Date {
	const t = now.getTime();
	if (schedule.kind === 'every') {
		const period = schedule.minutes * MINUTE_MS;
		return new Date(Math.floor(t / period) * period);
	}
	const today = Date.UTC(
		now.getUTCFullYear(),
		now.getUTCMonth(),
		now.getUTCDate(),
		schedule.hourUtc,
		schedule.minuteUtc
	);
	return new Date(today <= t ? today : today - DAY_MS);
}

/** The first slot strictly after `now`. */
export function nextSlot(schedule: Schedule, now: Date): Date {
	const latest = latestSlot(schedule, now).getTime();
	const period = schedule.kind === 'every' ? schedule.minutes * MINUTE_MS : DAY_MS;
	return new Date(latest + period);
}

/** Milliseconds from `now` to the next slot (a full period when `now` is a slot). */
export function msUntilNextSlot(schedule: Schedule, now: Date): number {
	return nextSlot(schedule, now).getTime() - now.getTime();
}

/**
 * The slot a job should run for now, or null when it is not due: the latest
 * slot at or before `now` when that is later than the last slot it ran for.
 * However many slots were missed, this is one slot, so the job runs once.
 *
 * @example
 * // Down from Monday to Thursday noon: Thursday's 03:00 run, once.
 * dueSlot(daily(3), new Date('2026-12-10T12:00Z'), '2026-12-07T03:00:00.000Z')
 * // → 2026-12-10T03:00:00.000Z
 */
export function dueSlot(schedule: Schedule, now: Date, lastSlot: string | null): Date | null {
	const latest = latestSlot(schedule, now);
	if (lastSlot !== null && Date.parse(lastSlot) >= latest.getTime()) return null;
	return latest;
}
