import { describe, it, expect } from 'vitest';
import { ageOf, visitDue } from './care.js';

const now = Date.parse('2026-12-04T12:00:00Z');

describe('care', () => {
	it('computes ages', () => {
		expect(ageOf(1938, now)).toBe(88);
		expect(ageOf(0, now)).toBe(null);
	});

	it.each([
		['2026-11-30 12:00:00.000Z', 15, false, 11],
		['2026-11-19 12:00:00.000Z', 15, false, 0],
		['2026-11-10 12:00:00.000Z', 15, true, -9],
		['2026-11-30 12:00:00.000Z', 0, false, 11],
	])('last visit %s every %i days: overdue %s, %i days left', (last, every, overdue, left) => {
		const due = visitDue(last, every, now);
		expect(due.overdue).toBe(overdue);
		expect(due.daysLeft).toBe(left);
	});

	it('is due at once without any visit', () => {
		expect(visitDue('', 15, now)).toEqual({ dueAt: null, overdue: true, daysLeft: 0 });
	});
});
