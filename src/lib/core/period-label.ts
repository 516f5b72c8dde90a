/** Human labels for feed periods (their URLs are built by `$lib/links`). */
import { isFeedPeriod, parseDay, parseMonth, parseWeek, weekOf, type Period } from './period';

const dayFormat = new Intl.DateTimeFormat('en-GB', {
	weekday: 'long',
	day: 'numeric',
	month: 'long',
	year: 'numeric',
	timeZone: 'UTC'
});
const shortDay = new Intl.DateTimeFormat('en-GB', {
	day: 'numeric',
	month: 'short',
	timeZone: 'UTC'
});
const monthFormat = new Intl.DateTimeFormat('en-GB', {
	month: 'long',
	year: 'numeric',
	timeZone: 'UTC'
});

const at = (day: string) => new Date(`${day}T00:00:00Z`);

/** "Monday 3 June 2024", "Week 23, 2024 (3 Jun – 9 Jun)", "June 2024". */
export function periodLabel(period: Period): string {
	if (period.kind === 'day') return dayFormat.format(at(period.from));
	if (period.kind === 'week') {
		const [year, week] = period.key.split('-W');
		return `Week ${Number(week)}, ${year} (${shortDay.format(at(period.from))} – ${shortDay.format(at(period.to))})`;
	}
	return monthFormat.format(at(period.from));
}

/**
 * The day, week and month that hold the selected day (by default the period's first day), for the
 * view switcher; null for one a feed cannot show (the day before 1991-W01 begins, the last week of 9999).
 */
export function enclosingPeriods(
	period: Period,
	selectedDay: string = period.from
): Record<Period['kind'], string | null> {
	const shown = (found: Period | null) => (found && isFeedPeriod(found) ? found.key : null);
	const day = parseDay(selectedDay);
	return {
		day: shown(day),
		week: shown(parseWeek(weekOf(selectedDay))),
		month: shown(parseMonth(selectedDay.slice(0, 7)))
	};
}

/** A short form of a day for bylines: "3 Jun 2024". */
export function shortDate(iso: string): string {
	const day = iso.slice(0, 10);
	return `${shortDay.format(at(day))} ${day.slice(0, 4)}`;
}
