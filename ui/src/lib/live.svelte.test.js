import { describe, it, expect, vi, beforeEach } from 'vitest';
import { flushSync } from 'svelte';

// A stand-in for the PocketBase SDK's collection service: records the
// subscription and lets the test fire realtime events and resolve the fetch.
const fake = vi.hoisted(() => ({
	handler: null,
	onConnect: null,
	subscribeOpts: null,
	fetchOpts: null,
	fetches: [],
	unsubscribed: 0,
	resolveFetch: null,
	refuse: false,
	dropped: [],
	realtime: null,
	reset() {
		this.refuse = false;
		this.dropped = [];
		this.handler = null;
		this.onConnect = null;
		this.subscribeOpts = null;
		this.fetchOpts = null;
		this.fetches = [];
		this.unsubscribed = 0;
		this.resolveFetch = null;
		this.realtime.clientId = 'client-1';
	},
}));

vi.mock('./pb.js', () => {
	const realtime = {
		clientId: 'client-1',
		subscribe: async (topic, handler, opts) => {
			if (topic === 'PB_CONNECT') {
				fake.onConnect = handler;
				return async () => {
					fake.onConnect = null;
				};
			}
			fake.handler = handler;
			fake.subscribeOpts = opts ? { topic, ...opts } : { topic };
			if (fake.refuse) throw Object.assign(new Error('refused'), { status: 403 });
			return async () => {
				fake.unsubscribed++;
			};
		},
		unsubscribe: async (key) => {
			fake.dropped.push(key);
		},
	};
	fake.realtime = realtime;
	return {
		pb: {
			realtime,
			filter: (expr, params) => expr.replace(/\{:(\w+)\}/g, (_, k) => JSON.stringify(params[k])),
			collection: () => ({
				getFullList: (opts) => {
					fake.fetchOpts = opts;
					return new Promise((resolve) => {
						fake.resolveFetch = resolve;
						fake.fetches.push({ opts, resolve });
					});
				},
			}),
		},
	};
});

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

	it('shows a change after a quiet moment at once, and the next ones within BATCH_MS', async () => {
		const list = new LiveList('devices');
		const started = list.start();
		await tick();
		fake.resolveFetch([]);
		await started;
		fake.handler({ action: 'create', record: dev('a', 'A', '2026-12-04 10:00:00.000Z') });
		await new Promise((r) => setTimeout(r, 5));
		expect(list.items.map((d) => d.id)).toEqual(['a']);
		fake.handler({ action: 'create', record: dev('b', 'B', '2026-12-04 10:00:00.000Z') });
		await new Promise((r) => setTimeout(r, 5));
		expect(list.items.map((d) => d.id)).toEqual(['a']); // batched behind the first
		await new Promise((r) => setTimeout(r, BATCH_MS + 20));
		expect(list.items.map((d) => d.id)).toEqual(['a', 'b']);
		await list.stop();
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
	it('follows an own topic without options, completing records that come without expand', async () => {
		const fields = 'elder,grid';
		const list = new LiveList('alarms', { topic: 'fengqiao/alarms', filter: 'status != "resolved"', expand: fields, accept: (a) => a.status !== 'resolved' });
		const started = list.start();
		await tick();
		expect(fake.subscribeOpts).toEqual({ topic: 'fengqiao/alarms' });
		expect(fake.fetchOpts).toMatchObject({ filter: 'status != "resolved"', expand: fields });
		const e1 = { id: 'e1', name: '陈阿婆' };
		const g1 = { id: 'g1', name: '第一网格' };
		fake.resolveFetch([dev('a', 'A', '2026-12-04 10:00:00.000Z', { status: 'active', elder: 'e1', grid: 'g1', expand: { elder: e1, grid: g1 } })]);
		await started;
		expect(fake.fetches).toHaveLength(1);

		// an update of a listed row keeps its expanded relations: no fetch
		fake.handler({ action: 'update', record: dev('a', 'A', '2026-12-04 10:00:05.000Z', { status: 'acknowledged', elder: 'e1', grid: 'g1' }) });
		list.flush();
		await tick();
		expect(list.items[0].status).toBe('acknowledged');
		expect(list.items[0].expand).toEqual({ elder: e1, grid: g1 });
		expect(fake.fetches).toHaveLength(1);

		// a new alarm shows at once, then gets its relations from one fetch
		fake.handler({ action: 'create', record: dev('b', 'B', '2026-12-04 10:00:06.000Z', { status: 'active', elder: 'e2', grid: 'g1' }) });
		fake.handler({ action: 'create', record: dev('c', 'C', '2026-12-04 10:00:07.000Z', { status: 'active', elder: 'e3', grid: 'g1' }) });
		list.flush();
		expect(list.items.map((r) => r.id)).toEqual(['a', 'b', 'c']);
		expect(list.items[1].expand).toEqual({ grid: g1 });
		await tick();
		expect(fake.fetches).toHaveLength(2);
		expect(fake.fetchOpts).toMatchObject({ filter: 'id = "b" || id = "c"', expand: fields });
		const e2 = { id: 'e2', name: '何大爷' };
		// c's elder is one this user may not see: the server leaves it out
		fake.resolveFetch([
			dev('b', 'B', '2026-12-04 10:00:06.000Z', { status: 'active', elder: 'e2', grid: 'g1', expand: { elder: e2, grid: g1 } }),
			dev('c', 'C', '2026-12-04 10:00:07.000Z', { status: 'active', elder: 'e3', grid: 'g1', expand: { grid: g1 } }),
		]);
		await tick();
		list.flush();
		expect(list.items[1].expand.elder).toEqual(e2);

		// c changes again: its hidden elder is not fetched again
		fake.handler({ action: 'update', record: dev('c', 'C', '2026-12-04 10:00:09.000Z', { status: 'active', count: 2, elder: 'e3', grid: 'g1' }) });
		// a record that came with its expand (staff) is taken as it is
		fake.handler({ action: 'update', record: dev('a', 'A', '2026-12-04 10:00:10.000Z', { status: 'acknowledged', elder: 'e1', grid: 'g2', expand: { grid: { id: 'g2' } } }) });
		// a resolved alarm leaves the list
		fake.handler({ action: 'update', record: dev('b', 'B', '2026-12-04 10:00:11.000Z', { status: 'resolved', elder: 'e2', grid: 'g1' }) });
		list.flush();
		await tick();
		expect(fake.fetches).toHaveLength(2);
		expect(list.items.map((r) => r.id)).toEqual(['a', 'c']);
		expect(list.items[0].expand).toEqual({ grid: { id: 'g2' } });
		expect(list.items[1].count).toBe(2);
		await list.stop();
	});

	it('reloads on a new realtime connection when asked to (resync), not on its own', async () => {
		const list = new LiveList('alarms', { topic: 'fengqiao/alarms', resync: true });
		const started = list.start();
		await tick();
		fake.resolveFetch([dev('a', 'A', '2026-12-04 10:00:00.000Z')]);
		await started;
		expect(fake.fetches).toHaveLength(1);
		fake.onConnect({ clientId: 'client-1' }); // the connection it started on
		expect(fake.fetches).toHaveLength(1);

		// reconnected: b was created and a deleted meanwhile; an event that
		// arrives during the reload is applied after it
		fake.onConnect({ clientId: 'client-2' });
		expect(fake.fetches).toHaveLength(2);
		fake.handler({ action: 'create', record: dev('c', 'C', '2026-12-04 10:00:09.000Z') });
		fake.resolveFetch([dev('b', 'B', '2026-12-04 10:00:05.000Z')]);
		await tick();
		expect(list.items.map((r) => r.id)).toEqual(['b', 'c']);
		await list.stop();
		expect(fake.onConnect).toBe(null);
	});
});
