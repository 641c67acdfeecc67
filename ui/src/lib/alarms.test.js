import { describe, it, expect } from 'vitest';
import { compareAlarms, groupBySeverity, countOpen, formatElapsed, formatSince, alarmView, holderOf, alarmKindLabel, allowedActions, isOpen, severityRank, ALL_ACTIONS, LIVE_ALARMS, ALARM_TOPIC, ALARM_EXPAND, OPEN_FILTER } from './alarms.js';
import { applyEvent, applyEvents } from './realtime.js';
import { translate } from './i18n/index.svelte.js';

const zh = (k, p) => translate('zh-CN', k, p);
const en = (k, p) => translate('en', k, p);
const NOW = Date.parse('2026-12-04T10:00:00Z');
const at = (secAgo) => new Date(NOW - secAgo * 1000).toISOString().replace('T', ' ');
const alarm = (id, severity, status, secAgo, extra = {}) => ({ id, severity, status, first_seen: at(secAgo), updated: at(0), count: 1, ...extra });

describe('board order', () => {
	it('sorts by severity, then unacknowledged first, then the longest waiting', () => {
		const list = [
			alarm('info-old', 'info', 'active', 9000),
			alarm('crit-acked', 'critical', 'acknowledged', 5000),
			alarm('crit-new', 'critical', 'active', 10),
			alarm('major', 'major', 'active', 100),
			alarm('crit-old', 'critical', 'active', 300),
			alarm('crit-snoozed', 'critical', 'snoozed', 9999),
			alarm('odd', 'nonsense', 'active', 1),
		];
		expect(list.toSorted(compareAlarms).map((a) => a.id)).toEqual(['crit-old', 'crit-new', 'crit-snoozed', 'crit-acked', 'major', 'info-old', 'odd']);
		expect(severityRank('critical')).toBe(0);
		expect(severityRank('nonsense')).toBe(5);
	});

	it('is stable for equal alarms and falls back to created', () => {
		const a = { id: 'a', severity: 'major', status: 'active', created: at(10) };
		const b = { id: 'b', severity: 'major', status: 'active', created: at(10) };
		const c = { id: 'c', severity: 'major', status: 'active', created: at(20) };
		expect([b, a, c].toSorted(compareAlarms).map((x) => x.id)).toEqual(['c', 'a', 'b']);
	});

	it('groups by severity in order, leaving out empty groups, counting the unacknowledged', () => {
		const groups = groupBySeverity([
			alarm('w', 'warning', 'active', 5),
			alarm('c1', 'critical', 'acknowledged', 50),
			alarm('c2', 'critical', 'active', 10),
		]);
		expect(groups.map((g) => [g.severity, g.items.map((a) => a.id), g.active])).toEqual([
			['critical', ['c2', 'c1'], 1],
			['warning', ['w'], 1],
		]);
		expect(groupBySeverity([])).toEqual([]);
	});

	it('counts open alarms and the critical ones nobody acknowledged', () => {
		const c = countOpen([
			alarm('1', 'critical', 'active', 1),
			alarm('2', 'critical', 'acknowledged', 1),
			alarm('3', 'major', 'active', 1),
			alarm('4', 'info', 'snoozed', 1),
			alarm('5', 'critical', 'resolved', 1),
		]);
		expect(c).toEqual({ open: 4, active: 2, acknowledged: 1, snoozed: 1, critical: 1 });
	});
});

describe('how long ago', () => {
	it('counts seconds, minutes, hours and days', () => {
		expect(formatElapsed(0, zh)).toBe('0 秒');
		expect(formatElapsed(59_999, zh)).toBe('59 秒');
		expect(formatElapsed(60_000, zh)).toBe('1 分 00 秒');
		expect(formatElapsed(3 * 60_000 + 5_000, zh)).toBe('3 分 05 秒');
		expect(formatElapsed(2 * 3600_000 + 7 * 60_000, en)).toBe('2 h 07 min');
		expect(formatElapsed(3 * 86400_000 + 4 * 3600_000, en)).toBe('3 d 4 h');
		expect(formatElapsed(-5000, en)).toBe('0 s');
	});

	it('ticks as now moves on', () => {
		const s = at(0);
		expect(formatSince(s, NOW + 1000, en)).toBe('1 s');
		expect(formatSince(s, NOW + 61_000, en)).toBe('1 min 01 s');
		expect(formatSince('', NOW, en)).toBe('');
	});
});

describe('alarmView', () => {
	const a = alarm('x', 'critical', 'active', 125, {
		kind: 'sos',
		title: '一键呼救：骆阿婆',
		count: 3,
		elder: 'e1',
		last_seen: at(5),
		expand: {
			elder: { name: '骆阿婆' },
			household: { address: '枫桥花园1栋1单元102室' },
			device: { name: '骆阿婆 · 一键呼救', client_id: 'sos-1-1-102' },
		},
	});

	it('says what, where, since when and who has it', () => {
		const v = alarmView(a, NOW, zh, 'zh-CN');
		expect(v).toMatchObject({
			severityText: '紧急',
			statusText: '待处理',
			kind: '一键呼救',
			elder: '骆阿婆',
			address: '枫桥花园1栋1单元102室',
			device: '骆阿婆 · 一键呼救',
			deviceClientId: 'sos-1-1-102',
			age: '2 分 05 秒',
			lastSeen: '5 秒',
			count: 3,
			holderText: '无人处理',
			critical: true,
			needsAck: true,
		});
		expect(alarmView(a, NOW, en, 'en').holderText).toBe('Nobody yet');
	});

	it('names the assignee first, then who acknowledged, even when the name is hidden', () => {
		expect(holderOf({ assignee: 'u1', acknowledged_by: 'u2', expand: { assignee: { name: '张伟' } } })).toEqual({ kind: 'assignee', name: '张伟' });
		expect(holderOf({ acknowledged_by: 'u2', expand: { acknowledged_by: { phone: '13800000002' } } })).toEqual({ kind: 'acknowledged', name: '13800000002' });
		const hidden = alarmView({ ...a, status: 'acknowledged', acknowledged_by: 'u9' }, NOW, en, 'en');
		expect(hidden.holderText).toBe('Acknowledged by someone');
		expect(hidden.needsAck).toBe(false);
	});

	it('shows the kinds of admins own rules as they are', () => {
		expect(alarmKindLabel('door_night', en)).toBe('Door opened at night');
		expect(alarmKindLabel('my_custom_kind', en)).toBe('my_custom_kind');
		expect(alarmKindLabel('', en)).toBe('');
	});
});

describe('realtime merge on the board', () => {
	const opts = { compare: compareAlarms, accept: isOpen };

	it('puts a new critical alarm on top and moves it down once acknowledged', () => {
		let list = [alarm('m', 'major', 'active', 600)];
		const sos = alarm('s', 'critical', 'active', 1, { updated: '2026-12-04 10:00:01.000Z' });
		list = applyEvent(list, { action: 'create', record: sos }, opts);
		expect(list.map((a) => a.id)).toEqual(['s', 'm']);
		list = applyEvent(list, { action: 'create', record: alarm('c2', 'critical', 'active', 30, { updated: '2026-12-04 10:00:01.000Z' }) }, opts);
		expect(list.map((a) => a.id)).toEqual(['c2', 's', 'm']);
		// acknowledged: same row, new state, after the unacknowledged critical one
		list = applyEvent(list, { action: 'update', record: { ...sos, status: 'acknowledged', updated: '2026-12-04 10:00:09.000Z' } }, opts);
		expect(list.map((a) => [a.id, a.status])).toEqual([
			['c2', 'active'],
			['s', 'acknowledged'],
			['m', 'active'],
		]);
	});

	it('drops a resolved alarm and ignores an older event', () => {
		const a = alarm('a', 'critical', 'acknowledged', 60, { updated: '2026-12-04 10:00:05.000Z' });
		let list = [a];
		list = applyEvent(list, { action: 'update', record: { ...a, status: 'active', updated: '2026-12-04 10:00:01.000Z' } }, opts);
		expect(list[0].status).toBe('acknowledged');
		list = applyEvents(list, [{ action: 'update', record: { ...a, status: 'resolved', updated: '2026-12-04 10:00:07.000Z' } }], opts);
		expect(list).toEqual([]);
		// a resolved alarm created elsewhere never shows
		expect(applyEvent([], { action: 'create', record: { ...a, status: 'resolved' } }, opts)).toEqual([]);
	});

	it('bumps a repeat in place', () => {
		const a = alarm('a', 'critical', 'active', 60, { updated: '2026-12-04 10:00:00.000Z' });
		const list = applyEvent([a], { action: 'update', record: { ...a, count: 2, updated: '2026-12-04 10:00:30.000Z' } }, opts);
		expect(list.map((x) => [x.id, x.count])).toEqual([['a', 2]]);
	});
});

describe('allowedActions', () => {
	it('mirrors the server: staff everything, grid workers and volunteers acknowledge and comment', () => {
		expect(allowedActions(['staff'])).toEqual(ALL_ACTIONS);
		expect(allowedActions(['secretary'])).toEqual(ALL_ACTIONS);
		expect(allowedActions(['grid_worker'])).toEqual(['ack', 'comment']);
		expect(allowedActions(['volunteer', 'resident'])).toEqual(['ack', 'comment']);
		expect(allowedActions(['resident'])).toEqual([]);
		expect(allowedActions()).toEqual([]);
	});
});

describe('LIVE_ALARMS', () => {
	it('follows the alarm feed, fetches the open alarms with the board expand, drops resolved ones and resyncs', () => {
		expect(ALARM_TOPIC).toBe('fengqiao/alarms'); // model.TopicAlarms
		expect(ALARM_EXPAND.split(',')).toEqual(['elder', 'household', 'device', 'grid', 'assignee', 'acknowledged_by']); // model.AlarmBoardExpand
		expect(LIVE_ALARMS).toMatchObject({ topic: ALARM_TOPIC, resync: true, filter: OPEN_FILTER, expand: ALARM_EXPAND, sort: 'first_seen' });
		expect(LIVE_ALARMS.accept({ status: 'resolved' })).toBe(false);
		expect(LIVE_ALARMS.accept({ status: 'snoozed' })).toBe(true);
		expect(LIVE_ALARMS.compare).toBe(compareAlarms);
		expect(Object.isFrozen(LIVE_ALARMS)).toBe(true);
	});
});
