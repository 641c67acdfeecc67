import { describe, it, expect } from 'vitest';
import { normalizeIdentity, identityKind, validateLogin, loginErrorKey } from './login.js';

describe('normalizeIdentity', () => {
	it.each([
		['13800000002', '13800000002'],
		['  13800000002 ', '13800000002'],
		['138 0000 0002', '13800000002'],
		['138-0000-0002', '13800000002'],
		['+86 138 0000 0002', '13800000002'],
		['8613800000002', '13800000002'],
		['Wang.Li@Example.COM ', 'wang.li@example.com'],
		['wangli', 'wangli'],
		['', ''],
		[undefined, ''],
	])('%s → %s', (raw, want) => {
		expect(normalizeIdentity(raw)).toBe(want);
	});
});

describe('identityKind', () => {
	it.each([
		['13800000002', 'phone'],
		['12800000002', null],
		['1380000000', null],
		['a@b.cn', 'email'],
		['a@b', null],
		['wangli', null],
	])('%s is %s', (id, kind) => expect(identityKind(id)).toBe(kind));
});

describe('validateLogin', () => {
	it.each([
		[{ identity: '', password: '' }, { identity: 'login.error.identityRequired', password: 'login.error.passwordRequired' }],
		[{ identity: '1380000', password: 'x' }, { identity: 'login.error.identityInvalid' }],
		[{ identity: '13800000002', password: '' }, { password: 'login.error.passwordRequired' }],
		[{ identity: '138 0000 0002', password: 'fengqiao' }, {}],
		[{ identity: 'staff@example.com', password: 'fengqiao' }, {}],
	])('%j', (form, errors) => {
		expect(validateLogin(form).errors).toEqual(errors);
	});

	it('returns the normalized identity and keeps the password as typed', () => {
		expect(validateLogin({ identity: ' 138-0000-0002', password: ' pw ' })).toEqual({ identity: '13800000002', password: ' pw ', errors: {} });
	});
});

describe('loginErrorKey', () => {
	it.each([
		[400, 'login.error.invalid'],
		[403, 'login.error.forbidden'],
		[429, 'login.error.rateLimited'],
		[0, 'error.network'],
		[500, 'error.server'],
	])('status %i → %s', (status, key) => expect(loginErrorKey({ status })).toBe(key));
});
