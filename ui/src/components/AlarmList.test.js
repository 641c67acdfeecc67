import { describe, it, expect, vi, afterEach } from 'vitest';
import { render, within, fireEvent } from '@testing-library/svelte';
import AlarmList from './AlarmList.svelte';
import { setLang } from '../lib/i18n/index.svelte.js';

const NOW = Date.parse('2026-12-04T10:00:00Z');
const at = (secAgo) => new Date(NOW - secAgo * 1000).toISOString().replace('T', ' ');
const alarms = [
	{ id: 'm1', severity: 'major', status: 'active', title: '何大爷 白天超过 12 小时无活动', kind: 'inactivity', first_seen: at(3600), count: 1, expand: { elder: { name: '何大爷' } } },
	{
		id: 'c1',
		severity: 'critical',
		status: 'active',
		title: '一键呼救：骆阿婆',
		kind: 'sos',
		first_seen: at(65),
		count: 2,
		expand: { elder: { name: '骆阿婆' }, household: { address: '枫桥花园1栋1单元102室' }, device: { name: '骆阿婆 · 一键呼救' } },
	},
	{ id: 'c2', severity: 'critical', status: 'acknowledged', title: '烟雾报警', kind: 'smoke', first_seen: at(600), count: 1, acknowledged_by: 'u2', expand: { acknowledged_by: { name: '王丽' } } },
];

describe('AlarmList', () => {
	afterEach(() => setLang('zh-CN'));

	it('groups by severity with the unacknowledged first, and ticks', async () => {
		const { container, rerender } = render(AlarmList, { alarms, now: NOW });
		const groups = [...container.querySelectorAll('[data-group]')].map((g) => g.dataset.group);
		expect(groups).toEqual(['critical', 'major']);
		const rows = [...container.querySelectorAll('[data-group="critical"] tr[data-alarm]')];
		expect(rows.map((r) => r.dataset.alarm)).toEqual(['c1', 'c2']);
		const sos = within(rows[0]);
		expect(sos.getByText('骆阿婆')).toBeTruthy();
		expect(sos.getByText('枫桥花园1栋1单元102室')).toBeTruthy();
		expect(sos.getByText('无人处理')).toBeTruthy();
		expect(sos.getByText('×2')).toBeTruthy();
		expect(rows[0].querySelector('[data-age]').textContent).toBe('1 分 05 秒');
		expect(within(rows[1]).getByText('已确认：王丽')).toBeTruthy();

		await rerender({ alarms, now: NOW + 10_000 });
		expect(rows[0].querySelector('[data-age]').textContent).toBe('1 分 15 秒');
	});

	it('offers acknowledge only on unacknowledged alarms and calls onack', async () => {
		const onack = vi.fn();
		const { container } = render(AlarmList, { alarms, now: NOW, onack });
		expect([...container.querySelectorAll('[data-ack]')].map((b) => b.dataset.ack).sort()).toEqual(['c1', 'm1']);
		await fireEvent.click(container.querySelector('[data-ack="c1"]'));
		expect(onack).toHaveBeenCalledWith('c1');
	});

	it('shows big cards on a phone, in English too', async () => {
		setLang('en');
		const { container } = render(AlarmList, { alarms, now: NOW, variant: 'cards', onack: () => {}, screen: 'grid' });
		const card = container.querySelector('li[data-alarm="c1"]');
		expect(within(card).getByText('Acknowledge')).toBeTruthy();
		expect(within(card).getByText('2 times')).toBeTruthy();
		expect(card.querySelector('a').getAttribute('href')).toBe('#/grid/c1');
		expect(container.querySelector('table')).toBeNull();
	});
});
