// The one PocketBase client of the app. The web UI is served by the
// appliance itself, so the API is on the same origin ("/").
import PocketBase from 'pocketbase';

/** pb is the shared PocketBase SDK client. */
export const pb = new PocketBase(import.meta.env.VITE_PB_URL || '/');

// Screens load several lists of one collection at once (counts per role,
// per grid…): the SDK's default cancels all but the last of such requests.
pb.autoCancellation(false);

/** errorKey maps an SDK error to the i18n key of a message for people. */
export function errorKey(err) {
	if (err?.isAbort) return 'error.cancelled';
	switch (err?.status) {
		case 0:
			return 'error.network';
		case 401:
			return 'error.signedOut';
		case 403:
			return 'error.forbidden';
		case 404:
			return 'error.notFound';
		case 429:
			return 'error.rateLimited';
		default:
			return 'error.server';
	}
}
