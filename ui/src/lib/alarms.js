// The alarm board's pure logic: order, groups, how long an alarm has
// waited, who has it, and every text a row or card shows. Given the
// translator t, so it is unit-tested without a DOM or a server.
import { parseDate, formatDateTime } from './format.js';
import { SEVERITIES } from './schema.js';

/** ALARM_EXPAND is what the board, the phone list and the detail expand on an alarm. */
export const ALARM_EXPAND = 'elder,household,device,grid,assignee,acknowledged_by';

/** OPEN_FILTER selects open alarms (own fields only: the server's filter guard). */
export const OPEN_FILTER = 'status != "resolved"';

/**
 * ALARM_TOPIC is the appliance's realtime alarm feed (model.TopicAlarms):
 * every change of an alarm the user may see, decided by the server in
 * memory rather than by a database check per connected board, so an SOS
 * reaches fifty boards at once. Staff get the board's relations expanded;
 * others get the alarm and the list fetches what it does not know yet.
 */
export const ALARM_TOPIC = 'fengqiao/alarms';

/** OPEN_STATUSES are the states of an alarm that is not resolved yet. */
export const OPEN_STATUSES = ['active', 'acknowledged', 'snoozed'];

// Within a severity, what still needs a person comes first.
const STATUS_RANK = { active: 0, snoozed: 1, acknowledged: 2, resolved: 3 };

/** severityRank orders severities: critical 0 … info 4; unknown last. */
export function severityRank(severity) {
	const i = SEVERITIES.indexOf(severity);
	return i < 0 ? SEVERITIES.length : i;
}

/** isOpen says whether an alarm is not resolved. */
export function isOpen(alarm) {
	return !!alarm && alarm.status !== 'resolved';
}

/** ageStart is when an alarm started waiting: first_seen, else created. */
export function ageStart(alarm) {
	return parseDate(alarm.first_seen) ?? parseDate(alarm.created);
}

/**
 * compareAlarms is the board's order: by severity (critical first), then
 * unacknowledged before snoozed before acknowledged, then the longest
 * waiting first; the id keeps the order stable.
 */
export function compareAlarms(a, b) {
	return (
		severityRank(a.severity) - severityRank(b.severity) ||
		(STATUS_RANK[a.status] ?? 9) - (STATUS_RANK[b.status] ?? 9) ||
		(ageStart(a)?.getTime() ?? 0) - (ageStart(b)?.getTime() ?? 0) ||
		(a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
	);
}

/**
 * groupBySeverity sorts alarms and splits them into [{severity, items,
 * active}] in severity order, leaving out empty groups; active counts the
 * alarms of the group nobody has acknowledged yet.
 */
export function groupBySeverity(alarms) {
	const groups = new Map();
	for (const a of alarms.toSorted(compareAlarms)) {
		if (!groups.has(a.severity)) groups.set(a.severity, { severity: a.severity, items: [], active: 0 });
		const g = groups.get(a.severity);
		g.items.push(a);
		if (a.status === 'active') g.active++;
	}
	return [...groups.values()];
}

/** countOpen counts open alarms by status and the unacknowledged critical ones. */
export function countOpen(alarms) {
	const c = { open: 0, active: 0, acknowledged: 0, snoozed: 0, critical: 0 };
	for (const a of alarms) {
		if (!isOpen(a)) continue;
		c.open++;
		if (a.status in c) c[a.status]++;
		if (a.severity === 'critical' && a.status === 'active') c.critical++;
	}
	return c;
}

/**
 * LIVE_ALARMS are the LiveList options of the open-alarm lists (the board,
 * a grid worker's and a volunteer's phone): the open alarms with the
 * board's expand, in board order, following the alarm feed — which sends
 * resolved alarms too (accept drops them) — and reloading after a
 * reconnect.
 */
export const LIVE_ALARMS = Object.freeze({
	topic: ALARM_TOPIC,
	resync: true,
	filter: OPEN_FILTER,
	expand: ALARM_EXPAND,
	sort: 'first_seen',
	compare: compareAlarms,
	accept: isOpen,
});

/**
 * formatElapsed says a duration in ms the way the board counts: "45 s",
 * "3 min 05 s", "2 h 07 min", "3 d 4 h". Negative durations count as 0.
 */
export function formatElapsed(ms, t) {
	const total = Math.max(0, Math.floor((ms ?? 0) / 1000));
	if (total < 60) return t('elapsed.seconds', { s: total });
	const min = Math.floor(total / 60);
	if (min < 60) return t('elapsed.minutes', { m: min, s: String(total % 60).padStart(2, '0') });
	const h = Math.floor(min / 60);
	if (h < 24) return t('elapsed.hours', { h, m: String(min % 60).padStart(2, '0') });
	return t('elapsed.days', { d: Math.floor(h / 24), h: h % 24 });
}

/** formatSince is formatElapsed from date string s to now ('' when unknown). */
export function formatSince(s, now, t) {
	const d = parseDate(s);
	return d ? formatElapsed(now - d.getTime(), t) : '';
}

/** labelOr translates prefix+value, falling back to the value itself. */
function labelOr(t, key, value) {
	const s = t(key);
	return s === key ? value : s;
}

/** alarmKindLabel names an alarm's kind; kinds of admins' own rules show as they are. */
export function alarmKindLabel(kind, t) {
	if (!kind) return '';
	return labelOr(t, 'alarmKind.' + kind, kind);
}

/** personName is a users record's name, else its phone, else ''. */
export function personName(user) {
	return user ? user.name || user.phone || '' : '';
}

/**
 * holderOf says who has the alarm: {kind, name} with kind 'assignee'
 * (someone was given it), 'acknowledged' (someone took it) or 'nobody'.
 * Names come from the expanded relations; a relation the viewer may not
 * expand still shows that someone has it.
 */
export function holderOf(alarm) {
	const x = alarm.expand ?? {};
	if (alarm.assignee) return { kind: 'assignee', name: personName(x.assignee) };
	if (alarm.acknowledged_by) return { kind: 'acknowledged', name: personName(x.acknowledged_by) };
	return { kind: 'nobody', name: '' };
}

/**
 * alarmView is everything a row, card or detail header shows of an alarm,
 * formatted: the board, the phone list and the detail panel all take
 * their text from here.
 */
export function alarmView(alarm, now, t, lang) {
	const x = alarm.expand ?? {};
	const holder = holderOf(alarm);
	const snoozedUntil = alarm.status === 'snoozed' ? formatDateTime(alarm.snoozed_until, lang) : '';
	return {
		id: alarm.id,
		severity: alarm.severity,
		severityText: t('severity.' + alarm.severity),
		status: alarm.status,
		statusText: t('alarmStatus.' + alarm.status),
		kind: alarmKindLabel(alarm.kind, t),
		title: alarm.title,
		elder: x.elder?.name ?? '',
		elderId: alarm.elder || '',
		address: x.household?.address ?? '',
		device: x.device?.name ?? '',
		deviceClientId: x.device?.client_id ?? '',
		grid: x.grid?.name ?? '',
		age: formatSince(alarm.first_seen || alarm.created, now, t),
		firstSeen: formatDateTime(alarm.first_seen, lang),
		lastSeen: formatSince(alarm.last_seen, now, t),
		count: alarm.count || 1,
		holder,
		holderText:
			holder.kind === 'nobody'
				? t('alarm.nobody')
				: t(holder.kind === 'assignee' ? 'alarm.assignedTo' : 'alarm.acknowledgedBy', { name: holder.name || t('alarm.someone') }),
		snoozedUntil,
		escalation: alarm.escalation_level || 0,
		caseId: alarm.case || '',
		critical: alarm.severity === 'critical',
		needsAck: alarm.status === 'active',
	};
}

/** ALL_ACTIONS are the alarm endpoints' actions. */
export const ALL_ACTIONS = ['ack', 'comment', 'assign', 'snooze', 'resolve', 'case'];

/**
 * allowedActions mirrors the server's alarms.Permit for the buttons shown:
 * staff and the secretary may do everything; grid workers and volunteers
 * acknowledge and comment (the server still checks grid and pairing).
 */
export function allowedActions(roles = []) {
	if (roles.includes('staff') || roles.includes('secretary')) return ALL_ACTIONS;
	if (roles.includes('grid_worker') || roles.includes('volunteer')) return ['ack', 'comment'];
	return [];
}
