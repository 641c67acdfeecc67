import { describe, it, expect, vi, afterEach } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import LoginForm from './LoginForm.svelte';
import { setLang } from '../lib/i18n/index.svelte.js';

const fill = async (identity, password) => {
	await fireEvent.input(screen.getByLabelText('手机号或邮箱'), { target: { value: identity } });
	await fireEvent.input(screen.getByLabelText('密码'), { target: { value: password } });
	await fireEvent.click(screen.getByRole('button', { name: '登录' }));
};

describe('LoginForm', () => {
	afterEach(() => {
		setLang('zh-CN');
		localStorage.clear();
	});

	it('asks for both fields and sends nothing when they are empty', async () => {
		const onsubmit = vi.fn();
		render(LoginForm, { onsubmit });
		await fill('', '');
		expect(screen.getByText('请输入手机号或邮箱。')).toBeTruthy();
		expect(screen.getByText('请输入密码。')).toBeTruthy();
		expect(screen.getByLabelText('手机号或邮箱').getAttribute('aria-invalid')).toBe('true');
		expect(onsubmit).not.toHaveBeenCalled();
	});

	it('refuses something that is neither a phone nor an e-mail', async () => {
		const onsubmit = vi.fn();
		render(LoginForm, { onsubmit });
		await fill('1380000', 'fengqiao');
		expect(screen.getByText('请输入 11 位手机号或有效的邮箱地址。')).toBeTruthy();
		expect(onsubmit).not.toHaveBeenCalled();
	});

	it('sends the normalized phone number and the password', async () => {
		const onsubmit = vi.fn().mockResolvedValue({});
		render(LoginForm, { onsubmit });
		await fill('138 0000 0002', 'fengqiao');
		expect(onsubmit).toHaveBeenCalledWith('13800000002', 'fengqiao');
		expect(screen.queryByRole('alert')).toBeNull();
	});

	it('says plainly when the server refuses the credentials', async () => {
		const onsubmit = vi.fn().mockRejectedValue(Object.assign(new Error('Failed to authenticate.'), { status: 400 }));
		render(LoginForm, { onsubmit });
		await fill('13800000002', 'wrong');
		await vi.waitFor(() => expect(screen.getByRole('alert').textContent).toBe('手机号/邮箱或密码不正确，请重新输入。'));
		expect(screen.getByRole('button', { name: '登录' }).disabled).toBe(false);
	});

	it('follows a language switch', async () => {
		render(LoginForm, { onsubmit: vi.fn() });
		expect(screen.getByRole('button', { name: '登录' })).toBeTruthy();
		setLang('en');
		flushSync();
		expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
		expect(screen.getByLabelText('Mobile number or e-mail')).toBeTruthy();
		expect(localStorage.getItem('fq.lang')).toBe('en');
	});
});
