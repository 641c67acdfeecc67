// LiveList: a PocketBase collection list that follows realtime events.
// Subscribe first, then fetch, then apply what arrived in between, so no
// change is lost between the two; stop() unsubscribes (call it on leave).
// Events are applied in batches (every BATCH_MS at most), so a burst — all
// sensors reconnecting after a power cut — re-sorts and re-renders once.
import { pb } from './pb.js';
import { applyEvents } from './realtime.js';

/**
 * subscriptionKey is the key under which the PocketBase SDK files a
 * subscription made with options {query} (RealtimeService.subscribe).
 */
export function subscriptionKey(topic, query) {
	return topic + '?options=' + encodeURIComponent(JSON.stringify({ query }));
}

/** BATCH_MS is the longest a realtime change waits before it is shown. */
export const BATCH_MS = 100;

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
	#unsubscribe = null;
	#queue = null;
	#pending = [];
	#timer = null;
	#stopped = false;

	/**
	 * @param {string} collection PocketBase collection name
	 * @param {{filter?: string, liveFilter?: string, expand?: string, sort?: string, compare?: Function, accept?: Function}} opts
	 *   filter and expand apply to the fetch and the subscription alike;
	 *   liveFilter, when given, replaces filter for the subscription ("" for
	 *   none): PocketBase sends no event for a record updated OUT of a
	 *   subscription's filter, so a list whose rows leave it (an alarm
	 *   resolved off the open board) subscribes wider and lets accept drop
	 *   them; compare keeps the list in the order sort gave it; accept drops
	 *   records that no longer match a filter after an update.
	 */
	constructor(collection, opts = {}) {
		this.#collection = collection;
		this.#opts = opts;
	}

	/** start subscribes and fetches; safe to await or to fire and forget. */
	async start() {
		const { filter, liveFilter, expand, sort, compare, accept } = this.#opts;
		const query = {};
		if (filter) query.filter = filter;
		if (expand) query.expand = expand;
		const liveQuery = { ...query };
		if (liveFilter !== undefined) {
			delete liveQuery.filter;
			if (liveFilter) liveQuery.filter = liveFilter;
		}
		const topic = `${this.#collection}/*`;
		this.#queue = [];
		try {
			const unsubscribe = await pb.realtime.subscribe(
				topic,
				(e) => {
					if (this.#queue) this.#queue.push(e);
					else this.#schedule(e);
				},
				{ query: liveQuery },
			);
			if (this.#stopped) {
				await unsubscribe();
				return;
			}
			this.#unsubscribe = unsubscribe;
			this.live = true;
		} catch (err) {
			// Realtime may be refused (a rule or a filter this user may not
			// use): the list still loads, it just does not follow changes.
			// The SDK keeps a refused subscription and would resend it with
			// every later one, failing those too: drop it.
			console.warn(`fengqiao: realtime ${this.#collection}`, err);
			await pb.realtime.unsubscribe(subscriptionKey(topic, liveQuery)).catch(() => {});
		}
		try {
			const items = await pb.collection(this.#collection).getFullList({ ...query, sort, batch: 500 });
			this.items = applyEvents(accept ? items.filter(accept) : items, this.#queue, { compare, accept });
			this.error = null;
		} catch (err) {
			this.error = err;
		} finally {
			this.#queue = null;
			this.loading = false;
		}
	}

	#schedule(event) {
		this.#pending.push(event);
		this.#timer ??= setTimeout(() => this.flush(), BATCH_MS);
	}

	/** flush applies the realtime changes received since the last batch. */
	flush() {
		clearTimeout(this.#timer);
		this.#timer = null;
		const events = this.#pending;
		this.#pending = [];
		if (events.length) this.items = applyEvents(this.items, events, this.#opts);
	}

	/** stop ends the realtime subscription; the items stay as they were. */
	async stop() {
		this.#stopped = true;
		this.live = false;
		clearTimeout(this.#timer);
		this.#timer = null;
		this.#pending = [];
		const unsubscribe = this.#unsubscribe;
		this.#unsubscribe = null;
		if (unsubscribe) await unsubscribe().catch(() => {});
	}
}
