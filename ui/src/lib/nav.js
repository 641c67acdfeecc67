// Who sees what: ONE table of navigation items × roles. The layouts, the
// route guard and nav.test.js all read it. An item appears only when the
// screen behind it works; the API rules still decide what data comes back.

/** ROLES are the values of users.roles, in the order the UI lists them. */
export const ROLES = ['resident', 'volunteer', 'grid_worker', 'mediator', 'dept_staff', 'staff', 'secretary'];

/** GUEST is the pseudo-role of a visitor who has not signed in. */
export const GUEST = 'guest';

/** MEMBER is the pseudo-role every signed-in user has, whatever their roles. */
export const MEMBER = 'member';

/**
 * CONSOLE_ROLES work at a desk in the workstation and get the wide console
 * layout; everyone else (residents, volunteers, grid workers on patrol) gets
 * the mobile layout with a bottom tab bar.
 */
export const CONSOLE_ROLES = ['staff', 'secretary', 'mediator', 'dept_staff'];

const STAFF = ['staff', 'secretary'];

/**
 * NAV is the navigation table, in display order. id is also the route
 * (#/id); label and short are i18n keys (short: the bottom tab bar).
 */
export const NAV = [
	{ id: 'alarms', icon: 'alarms', label: 'nav.alarms', short: 'nav.alarms', roles: STAFF },
	{ id: 'home', icon: 'home', label: 'nav.home', short: 'nav.home', roles: ['resident'] },
	{ id: 'elders', icon: 'elders', label: 'nav.elders', short: 'nav.eldersShort', roles: ['volunteer'] },
	{ id: 'grid', icon: 'grid', label: 'nav.grid', short: 'nav.gridShort', roles: ['grid_worker'] },
	{ id: 'community', icon: 'community', label: 'nav.community', short: 'nav.community', roles: STAFF },
	{ id: 'devices', icon: 'devices', label: 'nav.devices', short: 'nav.devices', roles: STAFF },
	{ id: 'rules', icon: 'rules', label: 'nav.rules', short: 'nav.rules', roles: STAFF },
	{ id: 'departments', icon: 'departments', label: 'nav.departments', short: 'nav.departmentsShort', roles: ['mediator', 'dept_staff'] },
	{ id: 'notices', icon: 'notices', label: 'nav.notices', short: 'nav.notices', roles: [GUEST, MEMBER] },
	{ id: 'parking', icon: 'parking', label: 'nav.parking', short: 'nav.parking', roles: [GUEST, MEMBER] },
	{ id: 'me', icon: 'me', label: 'nav.me', short: 'nav.me', roles: [MEMBER] },
	{ id: 'login', icon: 'login', label: 'nav.login', short: 'nav.login', roles: [GUEST] },
];

/**
 * rolesOf turns a users record (or null for a guest) into the roles the nav
 * table is keyed by: [guest], or [member, ...user.roles].
 */
export function rolesOf(user) {
	if (!user) return [GUEST];
	const own = Array.isArray(user.roles) ? user.roles.filter((r) => ROLES.includes(r)) : [];
	return [MEMBER, ...own];
}

/** navFor lists the nav items any of roles may use, in table order. */
export function navFor(roles) {
	return NAV.filter((item) => item.roles.some((r) => roles.includes(r)));
}

/** canOpen says whether roles may open the screen with this id. */
export function canOpen(id, roles) {
	return navFor(roles).some((item) => item.id === id);
}

/**
 * homeFor is the screen a user lands on: the login screen for a guest, else
 * the first item of their nav.
 */
export function homeFor(roles) {
	if (roles.includes(GUEST)) return 'login';
	return navFor(roles)[0]?.id ?? 'me';
}

/** layoutFor picks 'console' for desk roles, else 'mobile'. */
export function layoutFor(roles) {
	return roles.some((r) => CONSOLE_ROLES.includes(r)) ? 'console' : 'mobile';
}
