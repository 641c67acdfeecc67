import { describe, it, expect, vi, beforeEach } from 'vitest';
import { flushSync } from 'svelte';

// A stand-in for the PocketBase SDK's collection service: records the
// subscription and lets the test fire realtime events and resolve the fetch.
const fake = vi.hoisted(() => ({
	handler: null,
	subscribeOpts: null,
	fetchOpts: null,
	unsubscribed: 0,
	resolveFetch: null,
	refuse: false,
	dropped: [],
	reset() {
		this.refuse = false;
		this.dropped = [];
		this.handler = null;
		this.subscribeOpts = null;
		this.fetchOpts = null;
		this.unsubscribed = 0;
		this.resolveFetch = null;
	},
}));

vi.mock('./pb.js', () => ({
	pb: {
		realtime: {
			subscribe: async (topic, handler, opts) => {
				fake.handler = handler;
				fake.subscribeOpts = { topic, ...opts };
				if (fake.refuse) throw Object.assign(new Error('refused'), { status: 403 });
				return async () => {
					fake.unsubscribed++;
				};
			},
			unsubscribe: async (key) => {
				fake.dropped.push(key);
			},
		},
		collection: () => ({
			getFullList: (opts) => {
				fake.fetchOpts = opts;
				return new Promise((resolve) => (fake.resolveFetch = resolve));
			},
		}),
	},
}));

const { LiveList, BATCH_MS, subscriptionKey } = await import('./live.svelte.js');
const { byField } = await import('./realtime.js');

const dev = (id, name, updated, extra = {}) => ({ id, name, updated, ...extra });
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('LiveList', () => {
	beforeEach(() => fake.reset());

	it('subscribes before fetching and applies events that arrive in between', async () => {
		const list = new LiveList('devices', { filter: 'elder != ""', expand: 'elder', sort: 'name', compare: byField('name') });
		const started = list.start();
		await tick();
		expect(fake.subscribeOpts).toEqual({ topic: 'devices/*', query: { filter: 'elder != ""', expand: 'elder' } });
		expect(fake.fetchOpts).toMatchObject({ filter: 'elder != ""', expand: 'elder', sort: 'name' });
		expect(list.loading).toBe(true);

		// an event while the fetch is in flight: queued, applied after it
		fake.handler({ action: 'update', record: dev('b', 'B', '2026-12-04 10:00:09.000Z', { online: true }) });
		fake.resolveFetch([dev('a', 'A', '2026-12-04 10:00:00.000Z'), dev('b', 'B', '2026-12-04 10:00:00.000Z')]);
		await started;
		flushSync();

		expect(list.loading).toBe(false);
		expect(list.live).toBe(true);
		expect(list.items.map((d) => [d.id, !!d.online])).toEqual([
			['a', false],
			['b', true],
		]);

		// live events after the fetch are applied in one batch, within BATCH_MS
		fake.handler({ action: 'create', record: dev('0', '0', '2026-12-04 10:01:00.000Z') });
		fake.handler({ action: 'delete', record: dev('a', 'A') });
		expect(list.items.map((d) => d.id)).toEqual(['a', 'b']);
		await new Promise((r) => setTimeout(r, BATCH_MS + 20));
		expect(list.items.map((d) => d.id)).toEqual(['0', 'b']);

		await list.stop();
		expect(fake.unsubscribed).toBe(1);
		expect(list.live).toBe(false);
	});

	it('subscribes wider than it fetches with liveFilter, so rows leaving the filter are seen', async () => {
		const list = new LiveList('alarms', { filter: 'status != "resolved"', liveFilter: '', expand: 'elder', accept: (a) => a.status !== 'resolved' });
		const started = list.start();
		await tick();
		expect(fake.subscribeOpts).toEqual({ topic: 'alarms/*', query: { expand: 'elder' } });
		expect(fake.fetchOpts).toMatchObject({ filter: 'status != "resolved"', expand: 'elder' });
		fake.resolveFetch([dev('a', 'A', '2026-12-04 10:00:00.000Z', { status: 'active' })]);
		await started;
		fake.handler({ action: 'update', record: dev('a', 'A', '2026-12-04 10:00:05.000Z', { status: 'resolved' }) });
		list.flush();
		expect(list.items).toEqual([]);
		await list.stop();
	});

	it('does not let a stale queued event roll back fresher fetched data', async () => {
		const list = new LiveList('devices');
		const started = list.start();
		await tick();
		fake.handler({ action: 'update', record: dev('a', 'old', '2026-12-04 10:00:00.000Z') });
		fake.resolveFetch([dev('a', 'new', '2026-12-04 10:00:05.000Z')]);
		await started;
		expect(list.items.map((d) => d.name)).toEqual(['new']);
	});

	it('applies a burst of events as one batch, in order', async () => {
		const list = new LiveList('devices', { compare: byField('name') });
		const started = list.start();
		await tick();
		fake.resolveFetch([]);
		await started;
		let changes = 0;
		const cleanup = $effect.root(() => {
			$effect(() => {
				list.items;
				changes++;
			});
		});
		flushSync();
		for (let i = 0; i < 500; i++) {
			fake.handler({ action: 'create', record: dev(`d${i}`, `n${String(i).padStart(3, '0')}`, '2026-12-04 10:00:00.000Z') });
		}
		fake.handler({ action: 'delete', record: dev('d0', 'n000') });
		list.flush();
		flushSync();
		expect(list.items).toHaveLength(499);
		expect(list.items[0].name).toBe('n001');
		expect(changes).toBe(2); // the first run and one batch
		cleanup();
		await list.stop();
	});

	it('still loads when realtime is refused, and drops the refused subscription', async () => {
		fake.refuse = true;
		const list = new LiveList('devices', { filter: 'x = 1', accept: (d) => d.name !== 'hidden' });
		const started = list.start();
		await tick();
		fake.resolveFetch([dev('a', 'A', ''), dev('b', 'hidden', '')]);
		await started;
		expect(list.live).toBe(false);
		expect(list.items.map((d) => d.id)).toEqual(['a']);
		expect(fake.dropped).toEqual([subscriptionKey('devices/*', { filter: 'x = 1' })]);
		expect(subscriptionKey('devices/*', { filter: 'x = 1' })).toBe('devices/*?options=' + encodeURIComponent('{"query":{"filter":"x = 1"}}'));
	});

	it('unsubscribes even when stopped before the subscription was made', async () => {
		const list = new LiveList('devices');
		const started = list.start();
		list.stop();
		await tick();
		expect(fake.unsubscribed).toBe(1);
		await started;
	});
});
