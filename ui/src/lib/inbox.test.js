import { describe, it, expect } from 'vitest';
import { isUnread, unreadCount, loadSeen, saveSeen, inboxFilter } from './inbox.js';

describe('inbox', () => {
	const d = (created, read_at = '') => ({ created, read_at });
	const seen = Date.parse('2026-12-04T10:00:00Z');

	it('counts what came after the list was last opened and is not read', () => {
		const list = [d('2026-12-04 10:00:01.000Z'), d('2026-12-04 09:59:59.000Z'), d('2026-12-04 10:05:00.000Z', '2026-12-04 10:06:00.000Z'), d('')];
		expect(list.map((x) => isUnread(x, seen))).toEqual([true, false, false, false]);
		expect(unreadCount(list, seen)).toBe(1);
		expect(unreadCount(list, 0)).toBe(2);
	});

	it('remembers per user when the list was opened', () => {
		const m = new Map();
		const storage = { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => m.set(k, v) };
		expect(loadSeen('u1', storage)).toBe(0);
		saveSeen('u1', 1234, storage);
		expect(loadSeen('u1', storage)).toBe(1234);
		expect(loadSeen('u2', storage)).toBe(0);
	});

	it('filters on the user own deliveries only', () => {
		const pb = { filter: (s, p) => s.replace('{:me}', JSON.stringify(p.me)) };
		expect(inboxFilter(pb, 'u1')).toBe('recipient = "u1" && kind = "inapp"');
	});
});
