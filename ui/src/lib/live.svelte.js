// LiveList: a PocketBase collection list that follows realtime events.
// Subscribe first, then fetch, then apply what arrived in between, so no
// change is lost between the two; stop() unsubscribes (call it on leave).
// Events are applied at most once every BATCH_MS: one after a quiet moment
// at once (an SOS shows without waiting), and a burst — all sensors
// reconnecting after a power cut — in batches that re-sort and re-render
// once.
//
// A list may follow one of the appliance's own topics instead of the
// collection's record subscription (the alarm feed, ALARM_TOPIC): the
// server decides there who hears what, in memory, and sends every change
// the user may see, unfiltered and, for all but staff, without expand. The
// list then keeps the expanded relations of the rows it has and fetches,
// in one request, the rows whose relations are new to it.
import { pb } from './pb.js';
import { applyEvents, carryExpand, hiddenRelations } from './realtime.js';

/**
 * subscriptionKey is the key under which the PocketBase SDK files a
 * subscription made with options {query} (RealtimeService.subscribe).
 */
export function subscriptionKey(topic, query) {
	return topic + '?options=' + encodeURIComponent(JSON.stringify({ query }));
}

/** BATCH_MS is the shortest time between two applications of realtime changes, and the longest a change waits. */
export const BATCH_MS = 100;

/** FETCH_IDS is how many rows one completion request asks for. */
const FETCH_IDS = 50;

export class LiveList {
	/** items are the records, in order. */
	items = $state.raw([]);
	/** loading is true until the first fetch answered. */
	loading = $state(true);
	/** error is the SDK error of the fetch or subscription, or null. */
	error = $state.raw(null);
	/** live is true while the realtime subscription is active. */
	live = $state(false);

	#collection;
	#opts;
	#fields;
	#unsubscribe = null;
	#unsubscribeConnect = null;
	#clientId = '';
	#loads = 0;
	#queue = null;
	#pending = [];
	#timer = null;
	#lastFlush = -Infinity;
	#stopped = false;
	#wanted = new Set();
	#hidden = new Set();

	/**
	 * @param {string} collection PocketBase collection name
	 * @param {{filter?: string, liveFilter?: string, expand?: string, sort?: string, compare?: Function, accept?: Function, topic?: string, resync?: boolean}} opts
	 *   filter and expand apply to the fetch and the subscription alike;
	 *   liveFilter, when given, replaces filter for the subscription ("" for
	 *   none): PocketBase sends no event for a record updated OUT of a
	 *   subscription's filter, so a list whose rows leave it (an alarm
	 *   resolved off the open board) subscribes wider and lets accept drop
	 *   them; compare keeps the list in the order sort gave it; accept drops
	 *   records that no longer match a filter after an update.
	 *   topic follows one of the appliance's own realtime topics instead of
	 *   the collection's (subscribed without options: it is unfiltered, so
	 *   give accept; records without expand are completed, see above).
	 *   resync reloads the list on a new realtime connection (after a
	 *   network drop, or the server dropped a client that fell behind):
	 *   what changed while it was away is not lost.
	 */
	constructor(collection, opts = {}) {
		this.#collection = collection;
		this.#opts = opts;
		this.#fields = opts.topic && opts.expand ? opts.expand.split(',') : [];
	}

	#query() {
		const { filter, expand } = this.#opts;
		const query = {};
		if (filter) query.filter = filter;
		if (expand) query.expand = expand;
		return query;
	}

	/** start subscribes and fetches; safe to await or to fire and forget. */
	async start() {
		const { liveFilter, topic: own, resync } = this.#opts;
		const liveQuery = { ...this.#query() };
		if (liveFilter !== undefined) {
			delete liveQuery.filter;
			if (liveFilter) liveQuery.filter = liveFilter;
		}
		const topic = own || `${this.#collection}/*`;
		const onEvent = (e) => {
			if (this.#queue) this.#queue.push(e);
			else this.#schedule(e);
		};
		this.#queue = [];
		try {
			const unsubscribe = own ? await pb.realtime.subscribe(topic, onEvent) : await pb.realtime.subscribe(topic, onEvent, { query: liveQuery });
			if (this.#stopped) {
				await unsubscribe();
				return;
			}
			this.#unsubscribe = unsubscribe;
			this.live = true;
			if (resync) await this.#followConnects();
		} catch (err) {
			// Realtime may be refused (a rule or a filter this user may not
			// use): the list still loads, it just does not follow changes.
			// The SDK keeps a refused subscription and would resend it with
			// every later one, failing those too: drop it.
			console.warn(`fengqiao: realtime ${this.#collection}`, err);
			await pb.realtime.unsubscribe(own ? topic : subscriptionKey(topic, liveQuery)).catch(() => {});
		}
		await this.#load();
	}

	/** #followConnects reloads the list on every new realtime connection. */
	async #followConnects() {
		this.#clientId = pb.realtime.clientId;
		try {
			const off = await pb.realtime.subscribe('PB_CONNECT', (e) => this.#connected(e?.clientId));
			if (this.#stopped) await off();
			else this.#unsubscribeConnect = off;
		} catch (err) {
			console.warn('fengqiao: realtime reconnects', err);
		}
	}

	/** #load fetches the list and applies the events queued meanwhile. */
	async #load() {
		const load = ++this.#loads;
		this.#queue ??= [];
		const { sort, accept } = this.#opts;
		try {
			const items = await pb.collection(this.#collection).getFullList({ ...this.#query(), sort, batch: 500 });
			if (load !== this.#loads) return; // a newer load replaces this one
			this.items = this.#apply(accept ? items.filter(accept) : items, this.#queue);
			this.error = null;
		} catch (err) {
			if (load === this.#loads) {
				this.error = err;
				// a reload that failed keeps the list and what arrived meanwhile
				if (!this.loading) for (const e of this.#queue ?? []) this.#schedule(e);
			}
		} finally {
			if (load === this.#loads) {
				this.#queue = null;
				this.loading = false;
			}
		}
	}

	/** #connected reloads after a new realtime connection (resync). */
	#connected(clientId) {
		if (this.#stopped || !clientId || clientId === this.#clientId) return;
		this.#clientId = clientId;
		this.#load();
	}

	/** #apply applies events to list, completing records that came without expand. */
	#apply(list, events) {
		if (!this.#fields.length) return applyEvents(list, events, this.#opts);
		return events.reduce((acc, e) => {
			if (!e?.record || e.action === 'delete' || e.fetched || e.record.expand) return applyEvents(acc, [e], this.#opts);
			const { record, missing } = carryExpand(acc, e.record, this.#fields, this.#hidden);
			if (missing.length) this.#want(record.id);
			return applyEvents(acc, [{ ...e, record }], this.#opts);
		}, list);
	}

	/** #want fetches a row with its expand, with the others wanted at the same moment. */
	#want(id) {
		if (this.#wanted.size === 0) queueMicrotask(() => this.#complete());
		this.#wanted.add(id);
	}

	async #complete() {
		const ids = [...this.#wanted];
		this.#wanted.clear();
		for (let i = 0; i < ids.length && !this.#stopped; i += FETCH_IDS) {
			const filter = ids
				.slice(i, i + FETCH_IDS)
				.map((id) => pb.filter('id = {:id}', { id }))
				.join(' || ');
			try {
				const rows = await pb.collection(this.#collection).getFullList({ filter, expand: this.#opts.expand, batch: FETCH_IDS });
				for (const r of rows) {
					for (const h of hiddenRelations(r, this.#fields)) this.#hidden.add(h);
					if (!this.#stopped) this.#schedule({ action: 'update', record: r, fetched: true });
				}
			} catch (err) {
				// the row still shows, without the names of its relations
				console.warn(`fengqiao: complete ${this.#collection}`, err);
			}
		}
	}

	#schedule(event) {
		this.#pending.push(event);
		if (this.#timer) return;
		const wait = Math.max(0, this.#lastFlush + BATCH_MS - performance.now());
		this.#timer = setTimeout(() => this.flush(), wait);
	}

	/** flush applies the realtime changes received since the last batch. */
	flush() {
		clearTimeout(this.#timer);
		this.#timer = null;
		this.#lastFlush = performance.now();
		const events = this.#pending;
		this.#pending = [];
		if (events.length) this.items = this.#apply(this.items, events);
	}

	/** stop ends the realtime subscription; the items stay as they were. */
	async stop() {
		this.#stopped = true;
		this.live = false;
		clearTimeout(this.#timer);
		this.#timer = null;
		this.#pending = [];
		const unsubscribe = this.#unsubscribe;
		const off = this.#unsubscribeConnect;
		this.#unsubscribe = this.#unsubscribeConnect = null;
		if (unsubscribe) await unsubscribe().catch(() => {});
		if (off) await off().catch(() => {});
	}
}
