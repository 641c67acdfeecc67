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

/** relIds lists the ids a relation field holds ('' → none). */
function relIds(v) {
	return (Array.isArray(v) ? v : [v]).filter(Boolean);
}

/** expandedIds lists the ids of an expanded relation (one record or many). */
function expandedIds(x) {
	return (Array.isArray(x) ? x : [x]).filter(Boolean).map((r) => r.id);
}
/** expandedRecord finds an expanded record of field with id among the list's rows. */
function expandedRecord(list, field, id) {
	for (const r of list) {
		const x = r.expand?.[field];
		const hit = Array.isArray(x) ? x.find((y) => y?.id === id) : x?.id === id ? x : null;
		if (hit) return hit;
	}
	return null;
}

/**
 * carryExpand completes a record that came without its expand (the alarm
 * feed sends the alarm's own fields to all but staff) from what the list
 * already shows: each related record the list has expanded — on this row
 * or another (what a user may see of an elder or a grid does not depend
 * on the alarm) — is reused. missing names the fields it could not fill,
 * a relation new to the list, except those in hidden ("field:id" the
 * server does not expand for this user).
 */
export function carryExpand(list, record, fields, hidden = new Set()) {
	const expand = {};
	const missing = [];
	for (const f of fields) {
		const ids = relIds(record[f]);
		if (!ids.length) continue;
		const found = ids.map((id) => expandedRecord(list, f, id));
		if (found.every(Boolean)) {
			expand[f] = Array.isArray(record[f]) ? found : found[0];
			continue;
		}
		const known = found.filter(Boolean);
		if (known.length) expand[f] = Array.isArray(record[f]) ? known : known[0];
		if (!ids.every((id, i) => found[i] || hidden.has(`${f}:${id}`))) missing.push(f);
	}
	return { record: { ...record, expand }, missing };
}

/** hiddenRelations lists "field:id" of a fetched record's relations the server did not expand (the user may not see them). */
export function hiddenRelations(record, fields) {
	const out = [];
	for (const f of fields) {
		const had = expandedIds(record.expand?.[f]);
		for (const id of relIds(record[f])) if (!had.includes(id)) out.push(`${f}:${id}`);
	}
	return out;
}
