// What people do to an alarm, through the appliance's alarm endpoints
// (POST /api/fengqiao/alarms/{id}/{action}): the forms' checks before
// anything is sent, and the server's field errors afterwards.
import { pb } from './pb.js';

/** MAX_NOTE is the longest note the server takes (alarm_events.note). */
export const MAX_NOTE = 2000;

/** MAX_SNOOZE_MS is the longest snooze the server allows (7 days). */
export const MAX_SNOOZE_MS = 7 * 24 * 60 * 60 * 1000;

/** SNOOZE_PRESETS are the snooze buttons, in ms. */
export const SNOOZE_PRESETS = { '15m': 15 * 60 * 1000, '1h': 60 * 60 * 1000 };

/** alarmPath is the endpoint of an action on an alarm. */
export function alarmPath(id, action) {
	return `/api/fengqiao/alarms/${encodeURIComponent(id)}/${action}`;
}

/** sendAlarmAction posts an action; it throws the SDK error on failure. */
export function sendAlarmAction(id, action, body = {}) {
	return pb.send(alarmPath(id, action), { method: 'POST', body });
}

function checkNote(note, required, errors) {
	const n = String(note ?? '').trim();
	if (required && !n) errors.note = 'alarmForm.error.noteRequired';
	else if ([...n].length > MAX_NOTE) errors.note = 'alarmForm.error.noteTooLong';
	return n;
}

/**
 * validateAction checks a form before it is sent and builds the request
 * body: {body, errors} with errors a map of field → i18n key (empty when
 * the form may be sent). now is the time a snooze counts from.
 *
 * ack: {note?}; comment: {note}; assign: {assignee, note?} ("" takes the
 * alarm back); snooze: {preset: '15m'|'1h'|'until', until (a local
 * "YYYY-MM-DDTHH:mm"), note?}; resolve: {note, falseAlarm}; case: {note?}.
 */
export function validateAction(action, form = {}, now = Date.now()) {
	const errors = {};
	const body = {};
	switch (action) {
		case 'ack':
		case 'case':
			body.note = checkNote(form.note, false, errors);
			break;
		case 'comment':
			body.note = checkNote(form.note, true, errors);
			break;
		case 'assign':
			body.assignee = form.assignee ?? '';
			body.note = checkNote(form.note, false, errors);
			break;
		case 'snooze': {
			body.note = checkNote(form.note, false, errors);
			let until = null;
			if (form.preset in SNOOZE_PRESETS) until = new Date(now + SNOOZE_PRESETS[form.preset]);
			else if (form.preset === 'until') {
				until = form.until ? new Date(form.until) : null;
				if (!until || Number.isNaN(until.getTime())) errors.until = 'alarmForm.error.untilRequired';
				else if (until.getTime() <= now) errors.until = 'alarmForm.error.untilPast';
				else if (until.getTime() - now > MAX_SNOOZE_MS) errors.until = 'alarmForm.error.untilTooLong';
			} else errors.until = 'alarmForm.error.untilRequired';
			if (!errors.until) body.until = until.toISOString();
			break;
		}
		case 'resolve':
			body.note = checkNote(form.note, true, errors);
			body.false_alarm = !!form.falseAlarm;
			break;
		default:
			errors.action = 'alarmForm.error.unknown';
	}
	return { body, errors };
}

/**
 * serverErrors reads a PocketBase-style error response: {field: text}
 * for every field it names (the server's own message, translated when its
 * code is one the UI knows), and general: the i18n key of the whole
 * failure when no field is named.
 */
export function serverErrors(err, t) {
	const data = err?.response?.data ?? err?.data?.data ?? {};
	const fields = {};
	for (const [field, e] of Object.entries(data)) {
		if (!e || typeof e !== 'object') continue;
		const key = 'alarmForm.code.' + e.code;
		const known = e.code && t(key) !== key;
		fields[field] = known ? t(key) : e.message || String(e.code ?? '');
	}
	return { fields, message: err?.response?.message ?? err?.message ?? '' };
}

/** localInputValue formats a Date for <input type="datetime-local">. */
export function localInputValue(d) {
	const p = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
