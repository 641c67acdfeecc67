// Formatting of dates, devices and states for display. Pure functions that
// take the translator t, so they are unit-tested without a DOM.

/** LOW_BATTERY is the level (%) under which a battery is shown as low; the
 *  default battery rule of DESIGN.md raises its alarm at the same level. */
export const LOW_BATTERY = 15;

/** parseDate reads PocketBase's "2026-12-04 16:54:34.312Z" (or ISO); '' → null. */
export function parseDate(s) {
	if (!s) return null;
	const d = new Date(String(s).replace(' ', 'T'));
	return Number.isNaN(d.getTime()) ? null : d;
}

/** formatDateTime is a full local date and time in the UI language. */
export function formatDateTime(s, lang) {
	const d = parseDate(s);
	if (!d) return '';
	return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** formatDate is a local date in the UI language. */
export function formatDate(s, lang) {
	const d = parseDate(s);
	if (!d) return '';
	return new Intl.DateTimeFormat(lang, { dateStyle: 'medium' }).format(d);
}

/**
 * formatAgo says how long ago s was, relative to now: "just now", "5 min
 * ago", "3 h ago", "2 days ago", then the date. Empty s gives ifEmpty's text.
 */
export function formatAgo(s, now, t, lang, ifEmpty = 'time.never') {
	const d = parseDate(s);
	if (!d) return t(ifEmpty);
	const sec = Math.max(0, Math.round((now - d.getTime()) / 1000));
	if (sec < 60) return t('time.justNow');
	const min = Math.floor(sec / 60);
	if (min < 60) return t('time.minutesAgo', { n: min });
	const h = Math.floor(min / 60);
	if (h < 24) return t('time.hoursAgo', { n: h });
	const days = Math.floor(h / 24);
	if (days < 7) return t('time.daysAgo', { n: days });
	return formatDate(s, lang);
}

/**
 * deviceStatus is 'disabled', 'online', 'offline' (seen before) or 'never'
 * (has not connected yet).
 */
export function deviceStatus(device) {
	if (device.disabled) return 'disabled';
	if (device.online) return 'online';
	return parseDate(device.last_seen) ? 'offline' : 'never';
}

/**
 * batteryInfo is {text, level}: level is 'low', 'ok' or 'unknown'. A device
 * that never reported has no known battery, even though the field reads 0.
 */
export function batteryInfo(device) {
	const b = device.battery;
	const reported = parseDate(device.last_seen) !== null || b > 0;
	if (typeof b !== 'number' || !reported) return { text: '—', level: 'unknown' };
	return { text: `${Math.round(b)}%`, level: b < LOW_BATTERY ? 'low' : 'ok' };
}

// Telemetry keys whose values are summarized elsewhere or are noise here.
const HIDDEN_STATE_KEYS = new Set(['battery', 'ts']);

/**
 * formatState renders the last telemetry object as "key: value · …": known
 * keys and booleans are translated (state.open → 门开 / door open), other
 * values shown as they are. Nothing (or an empty object) gives '—'.
 */
export function formatState(state, t) {
	if (state === null || state === undefined || state === '') return '—';
	if (typeof state !== 'object' || Array.isArray(state)) return JSON.stringify(state);
	const parts = [];
	for (const [key, value] of Object.entries(state)) {
		if (HIDDEN_STATE_KEYS.has(key)) continue;
		const known = t('state.' + key) !== 'state.' + key;
		const label = known ? t('state.' + key) : key;
		if (typeof value === 'boolean') parts.push(`${label}: ${t(value ? 'common.yes' : 'common.no')}`);
		else if (value !== null && typeof value === 'object') parts.push(`${label}: ${JSON.stringify(value)}`);
		else parts.push(`${label}: ${value}`);
	}
	return parts.length ? parts.join(' · ') : '—';
}

/**
 * ownerOf describes what a device belongs to from its expanded relations:
 * {kind: 'elder'|'household'|'parking'|'none', name, detail}.
 */
export function ownerOf(device) {
	const x = device.expand ?? {};
	if (x.elder) return { kind: 'elder', name: x.elder.name, detail: x.household?.address ?? '' };
	if (x.household) return { kind: 'household', name: x.household.address, detail: '' };
	if (x.parking_space) return { kind: 'parking', name: x.parking_space.code, detail: x.parking_space.zone };
	if (device.elder || device.household || device.parking_space) return { kind: 'hidden', name: '', detail: '' };
	return { kind: 'none', name: '', detail: '' };
}

/**
 * deviceView is everything a device row or card shows, formatted: the one
 * place both the console table and the mobile cards take their text from.
 */
export function deviceView(device, now, t, lang) {
	const status = deviceStatus(device);
	return {
		id: device.id,
		clientId: device.client_id,
		name: device.name,
		place: device.location_note || '',
		kind: t('kind.' + device.kind),
		status,
		statusText: t('device.status.' + status),
		battery: batteryInfo(device),
		lastSeen: formatAgo(device.last_seen, now, t, lang),
		lastSeenTitle: formatDateTime(device.last_seen, lang),
		state: formatState(device.last_state, t),
		error: device.last_error || '',
		errorAt: device.last_error ? formatAgo(device.last_error_at, now, t, lang, 'time.unknown') : '',
		owner: ownerOf(device),
	};
}
