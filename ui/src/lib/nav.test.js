import { describe, it, expect } from 'vitest';
import { NAV, ROLES, GUEST, MEMBER, navFor, rolesOf, layoutFor, homeFor, canOpen } from './nav.js';
import { screens } from '../screens/index.js';

const ids = (roles) => navFor(roles).map((i) => i.id);
const user = (...roles) => ({ id: 'u1', roles });

// The expected navigation of each single role: the nav table must produce
// exactly this (order included). Staff and the secretary get the console
// with the alarm board first, Community, Devices and Rules; residents, volunteers and grid workers the
// mobile app without them.
const expected = {
	[GUEST]: { nav: ['notices', 'parking', 'login'], layout: 'mobile', home: 'login' },
	resident: { nav: ['home', 'notices', 'parking', 'me'], layout: 'mobile', home: 'home' },
	volunteer: { nav: ['elders', 'notices', 'parking', 'me'], layout: 'mobile', home: 'elders' },
	grid_worker: { nav: ['grid', 'notices', 'parking', 'me'], layout: 'mobile', home: 'grid' },
	mediator: { nav: ['departments', 'notices', 'parking', 'me'], layout: 'console', home: 'departments' },
	dept_staff: { nav: ['departments', 'notices', 'parking', 'me'], layout: 'console', home: 'departments' },
	staff: { nav: ['alarms', 'community', 'devices', 'rules', 'notices', 'parking', 'me'], layout: 'console', home: 'alarms' },
	secretary: { nav: ['alarms', 'community', 'devices', 'rules', 'notices', 'parking', 'me'], layout: 'console', home: 'alarms' },
};

describe('nav table', () => {
	it('covers every role', () => {
		expect(Object.keys(expected).sort()).toEqual([GUEST, ...ROLES].sort());
	});

	for (const [role, want] of Object.entries(expected)) {
		it(`gives ${role} its own navigation and layout`, () => {
			const roles = role === GUEST ? rolesOf(null) : rolesOf(user(role));
			expect(ids(roles)).toEqual(want.nav);
			expect(layoutFor(roles)).toBe(want.layout);
			expect(homeFor(roles)).toBe(want.home);
		});
	}

	it('keeps the alarm board, Community, Devices and Rules for staff and the secretary only', () => {
		for (const role of ROLES) {
			const roles = rolesOf(user(role));
			const staffLike = role === 'staff' || role === 'secretary';
			for (const id of ['alarms', 'community', 'devices', 'rules']) expect(canOpen(id, roles), `${role} ${id}`).toBe(staffLike);
		}
		expect(canOpen('devices', rolesOf(null))).toBe(false);
	});

	it('unites the items of several roles, in table order', () => {
		expect(ids(rolesOf(user('volunteer', 'resident')))).toEqual(['home', 'elders', 'notices', 'parking', 'me']);
		expect(layoutFor(rolesOf(user('volunteer', 'resident')))).toBe('mobile');
		expect(layoutFor(rolesOf(user('resident', 'staff')))).toBe('console');
	});

	it('gives a member without roles the public pages and sign-out only', () => {
		expect(ids(rolesOf(user()))).toEqual(['notices', 'parking', 'me']);
		expect(ids(rolesOf({ id: 'u', roles: ['admin', 'root'] }))).toEqual(['notices', 'parking', 'me']);
		expect(homeFor(rolesOf(user()))).toBe('notices');
	});

	it('never offers sign-in to a member nor the member pages to a guest', () => {
		expect(canOpen('login', rolesOf(user('staff')))).toBe(false);
		expect(canOpen('me', rolesOf(null))).toBe(false);
		expect(canOpen('nonsense', rolesOf(user('staff')))).toBe(false);
	});

	it('has a screen, an icon and labels for every item, and unique ids', () => {
		const seen = new Set();
		for (const item of NAV) {
			expect(screens[item.id], item.id).toBeTruthy();
			expect(item.icon).toBeTruthy();
			expect(item.roles.length).toBeGreaterThan(0);
			for (const r of item.roles) expect([GUEST, MEMBER, ...ROLES]).toContain(r);
			expect(seen.has(item.id)).toBe(false);
			seen.add(item.id);
		}
		expect(Object.keys(screens).sort()).toEqual([...seen].sort());
	});

	it('keeps the mobile tab bar at five items or fewer for the mobile roles', () => {
		const mobile = ['resident', 'volunteer', 'grid_worker'];
		for (let mask = 1; mask < 1 << mobile.length; mask++) {
			const roles = rolesOf(user(...mobile.filter((_, i) => mask & (1 << i))));
			expect(navFor(roles).length, roles.join()).toBeLessThanOrEqual(6);
		}
		expect(navFor(rolesOf(user('volunteer', 'resident'))).length).toBeLessThanOrEqual(5);
	});
});
