// Elder-care helpers: ages and visit due dates, pure for tests.
import { parseDate } from './format.js';

const DAY = 24 * 60 * 60 * 1000;

/** ageOf is the age an elder born in birthYear turns this year. */
export function ageOf(birthYear, now = Date.now()) {
	if (!birthYear) return null;
	return new Date(now).getFullYear() - birthYear;
}

/**
 * visitDue says when the next visit is due after lastVisit (a date string)
 * with an interval in days, and whether it is overdue: {dueAt, overdue,
 * daysLeft}. No visit yet: due now.
 */
export function visitDue(lastVisit, intervalDays, now = Date.now()) {
	const last = parseDate(lastVisit);
	if (!last) return { dueAt: null, overdue: true, daysLeft: 0 };
	const dueAt = new Date(last.getTime() + (intervalDays || 15) * DAY);
	const daysLeft = Math.ceil((dueAt.getTime() - now) / DAY);
	return { dueAt, overdue: daysLeft < 0, daysLeft };
}
