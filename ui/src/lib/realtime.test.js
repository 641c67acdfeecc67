import { describe, it, expect } from 'vitest';
import { applyEvent, applyEvents, byField, carryExpand, hiddenRelations } from './realtime.js';

const rec = (id, name, updated = '2026-12-04 10:00:00.000Z', extra = {}) => ({ id, name, updated, ...extra });
const names = (list) => list.map((r) => r.name);
const compare = byField('name');

describe('applyEvent', () => {
	const list = [rec('a', 'A'), rec('c', 'C')];

	it('inserts a created record in order', () => {
		expect(names(applyEvent(list, { action: 'create', record: rec('b', 'B') }, { compare }))).toEqual(['A', 'B', 'C']);
	});

	it('replaces an updated record and keeps the order', () => {
		const next = applyEvent(list, { action: 'update', record: rec('c', '0', '2026-12-04 10:00:01.000Z') }, { compare });
		expect(names(next)).toEqual(['0', 'A']);
		expect(list).toHaveLength(2); // the old list is not mutated
		expect(names(list)).toEqual(['A', 'C']);
	});

	it('adds an updated record it did not have (it may just have become visible)', () => {
		expect(names(applyEvent(list, { action: 'update', record: rec('z', 'Z') }, { compare }))).toEqual(['A', 'C', 'Z']);
	});

	it('removes a deleted record and ignores deleting an unknown one', () => {
		expect(names(applyEvent(list, { action: 'delete', record: rec('a', 'A') }))).toEqual(['C']);
		expect(applyEvent(list, { action: 'delete', record: rec('x', 'X') })).toBe(list);
	});

	it('ignores an event older than the listed record', () => {
		const fresh = [rec('a', 'new', '2026-12-04 10:00:05.000Z')];
		expect(applyEvent(fresh, { action: 'update', record: rec('a', 'old', '2026-12-04 10:00:01.000Z') })).toBe(fresh);
		expect(names(applyEvent(fresh, { action: 'update', record: rec('a', 'newer', '2026-12-04 10:00:05.000Z') }))).toEqual(['newer']);
	});

	it('drops a record updated out of the filter', () => {
		const accept = (r) => r.online === true;
		const online = [rec('a', 'A', undefined, { online: true })];
		expect(applyEvent(online, { action: 'update', record: rec('a', 'A', '2026-12-04 11:00:00.000Z', { online: false }) }, { accept })).toEqual([]);
		expect(applyEvent(online, { action: 'create', record: rec('b', 'B', undefined, { online: false }) }, { accept })).toEqual(online);
	});

	it('ignores malformed events', () => {
		expect(applyEvent(list, null)).toBe(list);
		expect(applyEvent(list, { action: 'update' })).toBe(list);
		expect(applyEvent(list, { action: 'bogus', record: rec('q', 'Q') })).toBe(list);
	});
});

describe('applyEvents', () => {
	it('applies a queue in order', () => {
		const events = [
			{ action: 'create', record: rec('b', 'B') },
			{ action: 'update', record: rec('b', 'B2', '2026-12-04 10:00:02.000Z') },
			{ action: 'delete', record: rec('a', 'A') },
		];
		expect(names(applyEvents([rec('a', 'A')], events, { compare }))).toEqual(['B2']);
	});
});

describe('byField', () => {
	it('sorts by several fields, descending with a minus', () => {
		const rows = [
			{ kind: 'b', name: '1' },
			{ kind: 'a', name: '2' },
			{ kind: 'a', name: '1' },
		];
		expect(rows.toSorted(byField('kind', 'name')).map((r) => r.kind + r.name)).toEqual(['a1', 'a2', 'b1']);
		expect(rows.toSorted(byField('-kind', 'name')).map((r) => r.kind + r.name)).toEqual(['b1', 'a1', 'a2']);
	});
});

describe('carryExpand', () => {
	const e1 = { id: 'e1', name: '陈阿婆' };
	const g1 = { id: 'g1', name: '第一网格' };
	const u1 = { id: 'u1', name: '王丽' };
	const list = [
		{ id: 'a', elder: 'e1', grid: 'g1', assignee: '', expand: { elder: e1, grid: g1 } },
		{ id: 'b', elder: '', grid: 'g1', assignee: 'u1', expand: { grid: g1, assignee: u1 } },
	];
	const fields = ['elder', 'grid', 'assignee'];

	it('reuses what the list has expanded, on this row or another', () => {
		expect(carryExpand(list, { id: 'a', elder: 'e1', grid: 'g1', assignee: 'u1' }, fields)).toEqual({
			record: { id: 'a', elder: 'e1', grid: 'g1', assignee: 'u1', expand: { elder: e1, grid: g1, assignee: u1 } },
			missing: [],
		});
	});

	it('names the relations new to the list, unless hidden from this user', () => {
		const r = { id: 'c', elder: 'e2', grid: 'g1', assignee: 'u2' };
		expect(carryExpand(list, r, fields)).toEqual({ record: { ...r, expand: { grid: g1 } }, missing: ['elder', 'assignee'] });
		expect(carryExpand(list, r, fields, new Set(['assignee:u2'])).missing).toEqual(['elder']);
	});

	it('handles multiple relations', () => {
		const l = [{ id: 'x', tags: ['t1', 't2'], expand: { tags: [{ id: 't1' }, { id: 't2' }] } }];
		expect(carryExpand(l, { id: 'y', tags: ['t2'] }, ['tags'])).toEqual({ record: { id: 'y', tags: ['t2'], expand: { tags: [{ id: 't2' }] } }, missing: [] });
		expect(carryExpand(l, { id: 'y', tags: ['t2', 't3'] }, ['tags']).missing).toEqual(['tags']);
	});
});

describe('hiddenRelations', () => {
	it('lists the relations a fetched record has but the server did not expand', () => {
		const r = { id: 'a', elder: 'e1', grid: 'g1', assignee: '', expand: { grid: { id: 'g1' } } };
		expect(hiddenRelations(r, ['elder', 'grid', 'assignee'])).toEqual(['elder:e1']);
		expect(hiddenRelations({ id: 'b', elder: 'e1' }, ['elder'])).toEqual(['elder:e1']);
	});
});
