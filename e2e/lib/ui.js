// Helpers shared by the browser tests: signing in, reading the navigation,
// measuring what large-text mode does.
import assert from 'node:assert/strict';

export const PASSWORD = 'fengqiao';

// Demo logins (demo/people.go).
export const STAFF = '13800000002';
export const RESIDENT = '13900000001';
export const GRID_WORKER = '13800000011';
export const VOLUNTEER = '13800000041';
export const MEDIATOR = '13800000021';

export const navIds = (page) => page.$$eval('[data-nav]', (els) => els.map((e) => e.dataset.nav));
export const navLabel = (page, id) => page.locator(`[data-nav="${id}"]`).innerText();
export const layout = (page) => page.getAttribute('[data-layout]', 'data-layout');
export const px = (page, selector, prop) => page.$eval(selector, (el, p) => parseFloat(getComputedStyle(el)[p]), prop);
export const height = (page, selector) => page.$eval(selector, (el) => el.getBoundingClientRect().height);

/** open loads the app at a route (#/screen) and waits for a layout. */
export async function open(page, base, hash) {
	await page.goto(`${base}/${hash}`);
	await page.waitForSelector('[data-layout]');
}

/** login signs in through the form and waits for the member navigation. */
export async function login(page, base, phone) {
	await open(page, base, '#/login');
	await page.fill('#login-identity', phone);
	await page.fill('#login-password', PASSWORD);
	await page.click('button[type=submit]');
	await page.waitForSelector('[data-nav="me"]');
}

/** waitQuiet waits until nothing on the screen says it is loading. */
export async function waitQuiet(page) {
	await page.waitForFunction(() => !document.body.innerText.includes('正在加载') && !document.body.innerText.includes('Loading…'));
}

/** noPageErrors fails on uncaught errors and console errors/warnings. */
export function noPageErrors(page) {
	assert.deepEqual(page.errors.map(String), [], 'uncaught errors in the page');
}
