import { describe, it, expect } from 'vitest';
import { validateAction, serverErrors, alarmPath, localInputValue, MAX_SNOOZE_MS } from './alarmActions.js';
import { translate } from './i18n/index.svelte.js';

const zh = (k, p) => translate('zh-CN', k, p);
const NOW = Date.parse('2026-12-04T10:00:00Z');

describe('validateAction', () => {
	it('acknowledges with an optional note', () => {
		expect(validateAction('ack', {}, NOW)).toEqual({ body: { note: '' }, errors: {} });
		expect(validateAction('ack', { note: '  on my way ' }, NOW).body).toEqual({ note: 'on my way' });
	});

	it('needs a note for a comment and a resolution, at most 2000 characters', () => {
		expect(validateAction('comment', { note: '   ' }, NOW).errors).toEqual({ note: 'alarmForm.error.noteRequired' });
		expect(validateAction('resolve', {}, NOW).errors).toEqual({ note: 'alarmForm.error.noteRequired' });
		expect(validateAction('comment', { note: '字'.repeat(2001) }, NOW).errors).toEqual({ note: 'alarmForm.error.noteTooLong' });
		expect(validateAction('comment', { note: '字'.repeat(2000) }, NOW).errors).toEqual({});
		expect(validateAction('resolve', { note: '老人误按', falseAlarm: true }, NOW)).toEqual({ body: { note: '老人误按', false_alarm: true }, errors: {} });
	});

	it('assigns to someone or takes the alarm back', () => {
		expect(validateAction('assign', { assignee: 'u1' }, NOW).body).toEqual({ assignee: 'u1', note: '' });
		expect(validateAction('assign', {}, NOW).body).toEqual({ assignee: '', note: '' });
	});

	it('snoozes for a preset or until a time in the next 7 days', () => {
		expect(validateAction('snooze', { preset: '15m' }, NOW).body.until).toBe('2026-12-04T10:15:00.000Z');
		expect(validateAction('snooze', { preset: '1h' }, NOW).body.until).toBe('2026-12-04T11:00:00.000Z');
		const local = (ms) => localInputValue(new Date(ms));
		expect(validateAction('snooze', { preset: 'until', until: local(NOW + 3600_000) }, NOW).errors).toEqual({});
		expect(validateAction('snooze', { preset: 'until', until: '' }, NOW).errors).toEqual({ until: 'alarmForm.error.untilRequired' });
		expect(validateAction('snooze', { preset: 'until', until: 'tomorrow' }, NOW).errors).toEqual({ until: 'alarmForm.error.untilRequired' });
		expect(validateAction('snooze', { preset: 'until', until: local(NOW - 60_000) }, NOW).errors).toEqual({ until: 'alarmForm.error.untilPast' });
		expect(validateAction('snooze', { preset: 'until', until: local(NOW + MAX_SNOOZE_MS + 120_000) }, NOW).errors).toEqual({ until: 'alarmForm.error.untilTooLong' });
		expect(validateAction('snooze', {}, NOW).errors).toEqual({ until: 'alarmForm.error.untilRequired' });
	});

	it('refuses an unknown action', () => {
		expect(validateAction('explode', {}, NOW).errors).toEqual({ action: 'alarmForm.error.unknown' });
	});
});

describe('serverErrors', () => {
	it('reads PocketBase field errors, translating the codes it knows', () => {
		const err = {
			status: 400,
			response: {
				message: 'The alarm could not be changed: see the fields.',
				data: {
					note: { code: 'validation_required', message: 'A note is required.' },
					until: { code: 'validation_something_new', message: 'Something new.' },
				},
			},
		};
		expect(serverErrors(err, zh)).toEqual({ fields: { note: '此项必填。', until: 'Something new.' }, message: 'The alarm could not be changed: see the fields.' });
		expect(serverErrors({ status: 0, message: 'Failed to fetch' }, zh)).toEqual({ fields: {}, message: 'Failed to fetch' });
	});

	it('builds the endpoint path', () => {
		expect(alarmPath('abc123', 'ack')).toBe('/api/fengqiao/alarms/abc123/ack');
		expect(alarmPath('a/b', 'case')).toBe('/api/fengqiao/alarms/a%2Fb/case');
	});
});
