import { describe, it, expect } from 'vitest';
import { translate } from './i18n/index.svelte.js';
import { parseDate, formatAgo, deviceStatus, batteryInfo, formatState, ownerOf, deviceView, LOW_BATTERY } from './format.js';

const zh = (k, p) => translate('zh-CN', k, p);
const en = (k, p) => translate('en', k, p);
const now = Date.parse('2026-12-04T12:00:00Z');
const ago = (sec) => new Date(now - sec * 1000).toISOString().replace('T', ' ');

describe('parseDate', () => {
	it('reads PocketBase dates and rejects junk', () => {
		expect(parseDate('2026-12-04 12:00:00.000Z').getTime()).toBe(now);
		expect(parseDate('')).toBe(null);
		expect(parseDate(null)).toBe(null);
		expect(parseDate('not a date')).toBe(null);
	});
});

describe('formatAgo (last seen)', () => {
	it.each([
		['', '从未上线', 'never connected'],
		[ago(5), '刚刚', 'just now'],
		[ago(59), '刚刚', 'just now'],
		[ago(60), '1 分钟前', '1 min ago'],
		[ago(59 * 60), '59 分钟前', '59 min ago'],
		[ago(3 * 3600), '3 小时前', '3 h ago'],
		[ago(2 * 86400), '2 天前', '2 days ago'],
		[ago(-30), '刚刚', 'just now'], // a clock slightly ahead is not "in the future"
	])('%s', (s, zhText, enText) => {
		expect(formatAgo(s, now, zh, 'zh-CN')).toBe(zhText);
		expect(formatAgo(s, now, en, 'en')).toBe(enText);
	});

	it('shows a date after a week', () => {
		expect(formatAgo(ago(30 * 86400), now, en, 'en')).toMatch(/Nov 4, 2026/);
		expect(formatAgo(ago(30 * 86400), now, zh, 'zh-CN')).toMatch(/2026年11月4日/);
	});
});

describe('deviceStatus', () => {
	it.each([
		[{ online: true, last_seen: ago(1) }, 'online'],
		[{ online: false, last_seen: ago(100) }, 'offline'],
		[{ online: false, last_seen: '' }, 'never'],
		[{ online: true, disabled: true, last_seen: ago(1) }, 'disabled'],
	])('%j → %s', (d, want) => expect(deviceStatus(d)).toBe(want));
});

describe('batteryInfo', () => {
	it.each([
		[{ battery: 80, last_seen: ago(1) }, '80%', 'ok'],
		[{ battery: LOW_BATTERY, last_seen: ago(1) }, `${LOW_BATTERY}%`, 'ok'],
		[{ battery: LOW_BATTERY - 1, last_seen: ago(1) }, `${LOW_BATTERY - 1}%`, 'low'],
		[{ battery: 0, last_seen: ago(1) }, '0%', 'low'],
		[{ battery: 0, last_seen: '' }, '—', 'unknown'], // never reported: 0 is the field's zero value
		[{ battery: 100, last_seen: '' }, '100%', 'ok'], // provisioned with a known level
		[{ battery: 37.6, last_seen: ago(1) }, '38%', 'ok'],
		[{ last_seen: ago(1) }, '—', 'unknown'],
	])('%j → %s %s', (d, text, level) => expect(batteryInfo(d)).toEqual({ text, level }));
});

describe('formatState', () => {
	it.each([
		[null, '—', '—'],
		[{}, '—', '—'],
		[{ battery: 80, ts: 1 }, '—', '—'],
		[{ open: true }, '门开: 是', 'Door open: yes'],
		[{ sos: false, battery: 50 }, '呼救: 否', 'SOS: no'],
		[{ occupied: true, temperature: 21.5 }, '占用: 是 · 温度: 21.5', 'Occupied: yes · Temperature: 21.5'],
		[{ custom: 'x', nested: { a: 1 } }, 'custom: x · nested: {"a":1}', 'custom: x · nested: {"a":1}'],
		['raw', '"raw"', '"raw"'],
	])('%j', (state, zhText, enText) => {
		expect(formatState(state, zh)).toBe(zhText);
		expect(formatState(state, en)).toBe(enText);
	});
});

describe('ownerOf', () => {
	it.each([
		[{ elder: 'e1', expand: { elder: { name: '骆阿婆' }, household: { address: '1栋101' } } }, { kind: 'elder', name: '骆阿婆', detail: '1栋101' }],
		[{ household: 'h1', expand: { household: { address: '1栋101' } } }, { kind: 'household', name: '1栋101', detail: '' }],
		[{ parking_space: 'p', expand: { parking_space: { code: 'A01', zone: '东门' } } }, { kind: 'parking', name: 'A01', detail: '东门' }],
		[{ elder: 'e1' }, { kind: 'hidden', name: '', detail: '' }], // relation not visible to this user
		[{}, { kind: 'none', name: '', detail: '' }],
	])('%j', (d, want) => expect(ownerOf(d)).toEqual(want));
});

describe('deviceView', () => {
	it('formats a whole row', () => {
		const v = deviceView(
			{
				id: 'd1',
				client_id: 'sos-1-1-102',
				name: '骆阿婆 · 一键呼救',
				kind: 'sos_button',
				online: true,
				last_seen: ago(120),
				battery: 9,
				last_state: { sos: false },
				last_error: 'payload is not JSON',
				last_error_at: ago(3600),
			},
			now,
			en,
			'en',
		);
		expect(v).toMatchObject({
			clientId: 'sos-1-1-102',
			kind: 'SOS button',
			status: 'online',
			statusText: 'Online',
			battery: { text: '9%', level: 'low' },
			lastSeen: '2 min ago',
			state: 'SOS: no',
			error: 'payload is not JSON',
			errorAt: '1 h ago',
		});
		expect(v.lastSeenTitle).toMatch(/2026/);
	});
});
