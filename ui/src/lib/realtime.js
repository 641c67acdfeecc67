// How a live list follows PocketBase realtime events. Pure: given the list
// and one event it returns the next list, so it is tested without a server.

/** byField sorts records by the named fields (prefix "-" for descending). */
export function byField(...fields) {
	return (a, b) => {
		for (const f of fields) {
			const desc = f.startsWith('-');
			const k = desc ? f.slice(1) : f;
			const x = a[k] ?? '';
			const y = b[k] ?? '';
			if (x < y) return desc ? 1 : -1;
			if (x > y) return desc ? -1 : 1;
		}
		return 0;
	};
}

/**
 * applyEvent returns list after a realtime event {action, record}:
 * create adds the record, update replaces it (adds it when it was not
 * listed: it may just have become visible), delete removes it. An event
 * older than the listed record (by "updated") is ignored, so an event queued
 * while the list was being fetched cannot roll a row back. accept filters
 * records that do not belong (a record updated out of the list's filter is
 * removed); compare keeps the order.
 */
export function applyEvent(list, event, { compare, accept } = {}) {
	const { action, record } = event ?? {};
	if (!record?.id) return list;
	const i = list.findIndex((r) => r.id === record.id);
	if (action === 'delete') {
		return i < 0 ? list : list.toSpliced(i, 1);
	}
	if (action !== 'create' && action !== 'update') return list;
	if (i >= 0 && (list[i].updated ?? '') > (record.updated ?? '')) return list;
	if (accept && !accept(record)) {
		return i < 0 ? list : list.toSpliced(i, 1);
	}
	const next = i < 0 ? [...list, record] : list.with(i, record);
	return compare ? next.toSorted(compare) : next;
}

/** applyEvents applies a queue of events in order. */
export function applyEvents(list, events, opts) {
	return events.reduce((acc, e) => applyEvent(acc, e, opts), list);
}
