// Option values of the select fields the UI shows, as the migrations in
// pb_migrations define them. Every value has a label in both dictionaries
// (i18n.test.js checks), so a new value added here cannot go untranslated.

export const DEVICE_KINDS = ['door_magnet', 'sos_button', 'pir', 'smoke', 'gas', 'water_leak', 'parking', 'siren', 'led_board', 'feed', 'other'];
export const DEPARTMENT_KINDS = ['police', 'law_enforcement', 'market_supervision', 'mediation', 'city_management', 'legal', 'housing', 'property', 'other'];
export const PRESENCE = ['resident', 'on_demand'];
export const HOUSEHOLD_TAGS = ['elder_alone', 'empty_nest', 'low_income', 'disabled', 'military', 'rental', 'vacant'];
export const NOTICE_CATEGORIES = ['general', 'safety', 'activity', 'service', 'policy', 'outage'];
export const PARKING_KINDS = ['resident', 'visitor', 'charging', 'accessible'];
export const ELDER_MODES = ['home', 'away', 'hospital'];
export const DEVICE_STATUSES = ['online', 'offline', 'never', 'disabled'];
export const STATE_KEYS = ['open', 'motion', 'occupied', 'sos', 'smoke', 'gas', 'leak', 'water_leak', 'status', 'temperature', 'humidity'];
// Alarms (pb_migrations/1796400005_alarms.go) and the kinds of the default
// rules (1796400100_default_rules.go); admins' own kinds show as written.
export const SEVERITIES = ['critical', 'major', 'minor', 'warning', 'info'];
export const ALARM_STATUSES = ['active', 'acknowledged', 'snoozed', 'resolved'];
export const ALARM_KINDS = ['sos', 'sos_unreadable', 'smoke', 'gas', 'water_leak', 'door_night', 'inactivity', 'offline', 'battery'];
export const ALARM_ACTIONS = ['raise', 'repeat', 'acknowledge', 'comment', 'assign', 'snooze', 'resolve', 'clear', 'escalate', 'notify', 'to_case', 'reopen'];
export const RULE_WHEN = ['telemetry', 'silence', 'case', 'alarm', 'schedule'];
// Who an escalation step notifies (escalation_policies.steps[].audiences).
export const AUDIENCES = ['grid_worker', 'on_duty', 'volunteer', 'emergency_contacts', 'secretary', 'staff'];

/** ENUM_PREFIXES pairs each i18n key prefix with the values it must cover. */
export const ENUM_PREFIXES = {
	'kind.': DEVICE_KINDS,
	'deptKind.': DEPARTMENT_KINDS,
	'presence.': PRESENCE,
	'tag.': HOUSEHOLD_TAGS,
	'noticeCategory.': NOTICE_CATEGORIES,
	'parkingKind.': PARKING_KINDS,
	'mode.': ELDER_MODES,
	'device.status.': DEVICE_STATUSES,
	'state.': STATE_KEYS,
	'severity.': SEVERITIES,
	'alarmStatus.': ALARM_STATUSES,
	'alarmKind.': ALARM_KINDS,
	'alarmAction.': ALARM_ACTIONS,
	'ruleWhen.': RULE_WHEN,
	'audience.': AUDIENCES,
};
