import { describe, it, expect, afterEach } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import DeviceList from './DeviceList.svelte';
import { setLang } from '../lib/i18n/index.svelte.js';

const minutesAgo = (n) => new Date(Date.now() - n * 60_000).toISOString().replace('T', ' ');

const devices = [
	{
		id: 'd1',
		client_id: 'sos-1-1-102',
		name: '骆阿婆 · 一键呼救',
		kind: 'sos_button',
		online: true,
		last_seen: minutesAgo(5),
		battery: 9,
		last_state: { sos: false },
		elder: 'e1',
		household: 'h1',
		expand: { elder: { name: '骆阿婆' }, household: { address: '枫桥花园1栋1单元102室' } },
	},
	{
		id: 'd2',
		client_id: 'park-a01',
		name: '车位传感器 A01',
		kind: 'parking',
		online: false,
		last_seen: '',
		battery: 0,
		last_state: null,
		last_error: 'payload is not JSON',
		last_error_at: minutesAgo(90),
		parking_space: 'p1',
		expand: { parking_space: { code: 'A01', zone: '东门地面停车场' } },
	},
];

describe('DeviceList', () => {
	afterEach(() => setLang('zh-CN'));

	it('shows one formatted row per device', () => {
		render(DeviceList, { devices });
		const rows = screen.getAllByRole('row').slice(1);
		expect(rows).toHaveLength(2);

		const sos = within(rows[0]);
		expect(sos.getByText('一键呼救')).toBeTruthy();
		expect(sos.getByText('老人：骆阿婆')).toBeTruthy();
		expect(sos.getByText('在线')).toBeTruthy();
		expect(rows[0].querySelector('[data-battery]').textContent.trim()).toMatch(/^9%\s*电量低$/);
		expect(sos.getByText('5 分钟前')).toBeTruthy();
		expect(sos.getByText('呼救: 否')).toBeTruthy();

		const park = within(rows[1]);
		expect(park.getByText('车位 A01')).toBeTruthy();
		expect(park.getByText('未接入')).toBeTruthy();
		expect(park.getByText('从未上线')).toBeTruthy();
		expect(rows[1].querySelector('[data-battery]').textContent.trim()).toBe('—');
		expect(park.getByText('payload is not JSON')).toBeTruthy();
		expect(park.getByText('1 小时前')).toBeTruthy();
	});

	it('re-renders when a device changes and when the language does', () => {
		const { rerender } = render(DeviceList, { devices });
		rerender({ devices: [{ ...devices[0], online: false, battery: 55 }, devices[1]] });
		const row = screen.getAllByRole('row')[1];
		expect(within(row).getByText('离线')).toBeTruthy();
		expect(row.querySelector('[data-battery]').textContent.trim()).toBe('55%');

		setLang('en');
		flushSync();
		expect(within(row).getByText('Offline')).toBeTruthy();
		expect(within(row).getByText('Elder: 骆阿婆')).toBeTruthy();
		expect(within(row).getByText('5 min ago')).toBeTruthy();
	});

	it('renders cards for the phone layout', () => {
		const { container } = render(DeviceList, { devices, variant: 'cards' });
		expect(container.querySelectorAll('li[data-device]')).toHaveLength(2);
		expect(within(container.querySelector('[data-device="sos-1-1-102"]')).getByText('最近上线：5 分钟前')).toBeTruthy();
		expect(screen.queryByRole('table')).toBeNull();
		expect(within(container.querySelector('[data-device="park-a01"]')).getByText('payload is not JSON')).toBeTruthy();
	});
});
