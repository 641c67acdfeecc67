import { describe, it, expect, vi, beforeEach } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';

const sent = vi.hoisted(() => ({ calls: [], reply: null }));
vi.mock('../lib/pb.js', async (orig) => {
	const real = await orig();
	return {
		...real,
		pb: {
			send: async (path, opts) => {
				sent.calls.push({ path, body: opts.body });
				if (sent.reply instanceof Error) throw sent.reply;
				return sent.reply;
			},
			collection: () => ({ getFullList: async () => [{ id: 'u5', name: '张伟', roles: ['grid_worker'] }] }),
		},
	};
});

const { default: AlarmActions } = await import('./AlarmActions.svelte');

const alarm = { id: 'a1', status: 'active', severity: 'critical', case: '' };

describe('AlarmActions', () => {
	beforeEach(() => {
		sent.calls = [];
		sent.reply = { id: 'a1', status: 'acknowledged' };
	});

	it('acknowledges through the endpoint', async () => {
		const ondone = vi.fn();
		render(AlarmActions, { alarm, ondone });
		await fireEvent.click(screen.getByText('确认'));
		await vi.waitFor(() => expect(ondone).toHaveBeenCalled());
		expect(sent.calls).toEqual([{ path: '/api/fengqiao/alarms/a1/ack', body: { note: '' } }]);
		expect(ondone.mock.calls[0][1]).toBe('ack');
	});

	it('checks a resolution before sending, then shows the server error next to its field', async () => {
		const { container } = render(AlarmActions, { alarm });
		await fireEvent.click(container.querySelector('[data-action="resolve"]'));
		await fireEvent.click(container.querySelector('[data-submit="resolve"]'));
		expect(container.querySelector('[data-field-error="note"]').textContent).toBe('请填写内容。');
		expect(container.querySelector('#af-note').getAttribute('aria-invalid')).toBe('true');
		expect(sent.calls).toEqual([]);

		sent.reply = Object.assign(new Error('bad'), {
			status: 400,
			response: { message: 'see the fields', data: { status: { code: 'validation_alarm_resolved', message: 'The alarm is resolved already.' } } },
		});
		await fireEvent.input(container.querySelector('#af-note'), { target: { value: '老人误按' } });
		await fireEvent.click(container.querySelector('input[name="false_alarm"]'));
		await fireEvent.click(container.querySelector('[data-submit="resolve"]'));
		await vi.waitFor(() => expect(container.querySelector('[data-field-error="status"]')).toBeTruthy());
		expect(container.querySelector('[data-field-error="status"]').textContent).toBe('该告警已解除。');
		expect(sent.calls).toEqual([{ path: '/api/fengqiao/alarms/a1/resolve', body: { note: '老人误按', false_alarm: true } }]);
	});

	it('offers a grid worker only acknowledge and comment', () => {
		const { container } = render(AlarmActions, { alarm, allowed: ['ack', 'comment'] });
		expect([...container.querySelectorAll('[data-action]')].map((b) => b.dataset.action)).toEqual(['ack', 'comment']);
	});

	it('offers only a comment on a resolved alarm, and no case twice', () => {
		const { container } = render(AlarmActions, { alarm: { ...alarm, status: 'resolved' } });
		expect([...container.querySelectorAll('[data-action]')].map((b) => b.dataset.action)).toEqual(['comment']);
		const again = render(AlarmActions, { alarm: { ...alarm, case: 'c1' } });
		expect([...again.container.querySelectorAll('[data-action]')].map((b) => b.dataset.action)).toEqual(['ack', 'comment', 'assign', 'snooze', 'resolve']);
	});
});
