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
};
