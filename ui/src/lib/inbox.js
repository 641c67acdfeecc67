// The in-app notifications (deliveries of kind "inapp" to the signed-in
// user): which are new. A user cannot mark a delivery read on the server
// (deliveries are the outbox's, not theirs to change), so "seen" is the
// time this browser last opened the list.
import { parseDate } from './format.js';

const STORAGE_KEY = 'fq.inboxSeen.';

/** inboxFilter is the deliveries filter of the user's in-app notifications. */
export function inboxFilter(pb, userId) {
	return pb.filter('recipient = {:me} && kind = "inapp"', { me: userId });
}

/** isUnread says whether a delivery came after seenAt (ms) and was not read. */
export function isUnread(d, seenAt) {
	if (d.read_at) return false;
	const at = parseDate(d.created);
	return !!at && at.getTime() > (seenAt || 0);
}

/** unreadCount counts the deliveries that are new since seenAt. */
export function unreadCount(deliveries, seenAt) {
	return deliveries.filter((d) => isUnread(d, seenAt)).length;
}

/** loadSeen is when this browser last opened the user's notifications. */
export function loadSeen(userId, storage = globalThis.localStorage) {
	try {
		return Number(storage?.getItem(STORAGE_KEY + userId)) || 0;
	} catch {
		return 0;
	}
}

/** saveSeen remembers that the user's notifications were opened at ms. */
export function saveSeen(userId, ms, storage = globalThis.localStorage) {
	try {
		storage?.setItem(STORAGE_KEY + userId, String(ms));
	} catch {
		// not remembered
	}
}
