import { describe, it, expect } from 'vitest';
import { periodRange, figuresQuery, percent, meetsTarget, sortedCounts } from './figures.js';

const NOW = new Date(2026, 11, 4, 15, 30).getTime(); // local time

describe('periodRange', () => {
	it('today starts at local midnight; 7 and 30 days count back from now', () => {
		const today = periodRange('today', NOW);
		expect(today.from).toEqual(new Date(2026, 11, 4, 0, 0));
		expect(today.to.getTime()).toBe(NOW);
		expect(NOW - periodRange('7d', NOW).from.getTime()).toBe(7 * 86400_000);
		expect(NOW - periodRange('30d', NOW).from.getTime()).toBe(30 * 86400_000);
	});

	it('takes a custom period of whole days, the last one included', () => {
		const r = periodRange('custom', NOW, { from: '2026-11-01', to: '2026-11-30' });
		expect(r.from).toEqual(new Date(2026, 10, 1));
		expect(r.to).toEqual(new Date(2026, 11, 1));
		expect(periodRange('custom', NOW, { from: '2026-11-01', to: '2026-11-01' }).to).toEqual(new Date(2026, 10, 2));
		expect(periodRange('custom', NOW, { from: '2026-11-30', to: '2026-11-01' })).toBeNull();
		expect(periodRange('custom', NOW, { from: '2026-11-30' })).toBeNull();
		expect(periodRange('custom', NOW, { from: 'x', to: 'y' })).toBeNull();
		expect(periodRange('forever', NOW)).toBeNull();
	});

	it('asks the server with RFC 3339 times', () => {
		const q = new URLSearchParams(figuresQuery({ from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-02T00:00:00Z') }));
		expect(q.get('from')).toBe('2026-12-01T00:00:00.000Z');
		expect(q.get('to')).toBe('2026-12-02T00:00:00.000Z');
	});
});

describe('formatting', () => {
	it('shows shares with one decimal and nothing to show as a dash', () => {
		expect(percent(97.5)).toBe('97.5%');
		expect(percent(100)).toBe('100%');
		expect(percent(0)).toBe('0%');
		expect(percent(null)).toBe('—');
		expect(percent(undefined)).toBe('—');
	});

	it('meets the telecare target at 97.5 % within 60 s', () => {
		expect(meetsTarget(97.5)).toBe(true);
		expect(meetsTarget(97.4)).toBe(false);
		expect(meetsTarget(null)).toBe(false);
	});

	it('lists kinds by count', () => {
		expect(sortedCounts({ sos: 3, smoke: 5, battery: 0, door_night: 3 })).toEqual([
			['smoke', 5],
			['door_night', 3],
			['sos', 3],
		]);
		expect(sortedCounts(null)).toEqual([]);
	});
});
