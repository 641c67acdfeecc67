// The signed-in user, kept in PocketBase's auth store (localStorage), and
// the preferences that travel with them (users.lang, users.large_text).
import { pb } from './pb.js';
import { i18n, setLang, hasStoredLang, LANGS } from './i18n/index.svelte.js';
import { prefs, setLargeText } from './prefs.svelte.js';

const EXPAND = 'household,department,grids';

class Session {
	/** user is the users record of the signed-in member, or null. */
	user = $state.raw(pb.authStore.isValid ? pb.authStore.record : null);
}

/** session is the app's current session. */
export const session = new Session();

pb.authStore.onChange(() => {
	session.user = pb.authStore.isValid ? pb.authStore.record : null;
});

/**
 * login signs in with a phone number or an e-mail address (both are
 * identity fields of users) and reconciles the display preferences: a choice
 * made in this browser is saved to the record, else the record's is used.
 */
export async function login(identity, password) {
	const auth = await pb.collection('users').authWithPassword(identity, password, { expand: EXPAND });
	await reconcilePrefs(auth.record);
	return auth.record;
}

async function reconcilePrefs(user) {
	const patch = {};
	if (hasStoredLang()) {
		if (user.lang !== i18n.lang) patch.lang = i18n.lang;
	} else if (LANGS.includes(user.lang)) {
		setLang(user.lang);
	}
	const choice = prefs.largeTextChoice;
	if (choice !== null) {
		if (!!user.large_text !== choice) patch.large_text = choice;
	} else if (user.large_text) {
		setLargeText(true);
	}
	if (Object.keys(patch).length) await savePrefs(patch);
}

/**
 * savePrefs stores preferences on the signed-in user's record. A failure is
 * logged and otherwise ignored: the browser still remembers the choice.
 */
export async function savePrefs(patch) {
	const user = session.user;
	if (!user) return;
	try {
		await pb.collection('users').update(user.id, patch, { expand: EXPAND });
	} catch (err) {
		console.warn('fengqiao: could not save preferences', patch, err);
	}
}

/** logout ends realtime subscriptions and forgets the auth token. */
export function logout() {
	pb.realtime.unsubscribe().catch(() => {});
	pb.authStore.clear();
}

/**
 * refresh re-reads the signed-in user at start (roles may have changed since
 * the token was issued); an expired or revoked token signs the user out.
 */
export async function refresh() {
	if (!pb.authStore.isValid) return;
	try {
		await pb.collection('users').authRefresh({ expand: EXPAND });
	} catch (err) {
		if (err?.status === 401 || err?.status === 403 || err?.status === 404) pb.authStore.clear();
	}
}
