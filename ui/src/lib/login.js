// Login form logic, kept apart from the component so it is tested alone.

const PHONE = /^1[3-9]\d{9}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * normalizeIdentity trims what was typed and, when it is a mainland mobile
 * number written with spaces, dashes or a +86 prefix, reduces it to the 11
 * digits stored in users.phone. E-mail addresses are lower-cased.
 */
export function normalizeIdentity(raw) {
	const s = String(raw ?? '').trim();
	const digits = s.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
	if (PHONE.test(digits)) return digits;
	return s.includes('@') ? s.toLowerCase() : s;
}

/** identityKind says 'phone', 'email' or null for a normalized identity. */
export function identityKind(identity) {
	if (PHONE.test(identity)) return 'phone';
	if (EMAIL.test(identity)) return 'email';
	return null;
}

/**
 * validateLogin checks the form before anything is sent. It returns
 * {identity, password, errors}: the normalized identity and a map of field
 * → i18n key (empty when the form may be submitted).
 */
export function validateLogin({ identity, password }) {
	const id = normalizeIdentity(identity);
	const errors = {};
	if (!id) errors.identity = 'login.error.identityRequired';
	else if (!identityKind(id)) errors.identity = 'login.error.identityInvalid';
	if (!password) errors.password = 'login.error.passwordRequired';
	return { identity: id, password: password ?? '', errors };
}

/** loginErrorKey maps a failed authWithPassword to a message key. */
export function loginErrorKey(err) {
	switch (err?.status) {
		case 400:
		case 401:
		case 404:
			return 'login.error.invalid';
		case 403:
			return 'login.error.forbidden';
		case 429:
			return 'login.error.rateLimited';
		case 0:
			return 'error.network';
		default:
			return 'error.server';
	}
}
