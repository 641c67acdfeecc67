// The staff console end to end: the real appliance (demo community) on
// loopback, headless chromium. Screenshots of each main screen go to
// e2e/screenshots/ for the test report.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAppliance } from '../lib/appliance.js';
import { launchBrowser, newPage, shot, DESKTOP } from '../lib/browser.js';
import { STAFF, MEDIATOR, navIds, navLabel, layout, px, height, open, login, waitQuiet, noPageErrors } from '../lib/ui.js';

let app;
let browser;

before(async () => {
	app = await startAppliance();
	browser = await launchBrowser();
});

after(async () => {
	await browser?.close();
	await app?.stop();
});

describe('station staff', () => {
	let page;
	before(async () => {
		page = await newPage(browser, DESKTOP);
		await login(page, app.base, STAFF);
	});
	after(async () => {
		noPageErrors(page);
		await page.context().close();
	});

	it('gets the console with the alarm board first, Community, Devices and Rules', async () => {
		assert.equal(await layout(page), 'console');
		assert.deepEqual(await navIds(page), ['alarms', 'community', 'devices', 'rules', 'notices', 'parking', 'me']);
		assert.match(page.url(), /#\/alarms$/);
		assert.equal(await page.evaluate(() => document.documentElement.classList.contains('large')), false, 'the console starts in normal text');
	});

	it('sees the community: grids with grid workers, buildings, households, people, departments', async () => {
		await open(page, app.base, '#/community/grids');
		await page.waitForSelector('[data-grid="G01"]');
		assert.equal(await page.$$eval('[data-grid]', (els) => els.length), 3);
		assert.match(await page.locator('[data-grid="G01"]').innerText(), /张伟/);
		await waitQuiet(page);
		await shot(page, 'staff-community-grids');

		await page.click('[data-tab="buildings"]');
		await page.getByRole('cell', { name: '12栋', exact: true }).waitFor();
		await shot(page, 'staff-community-buildings');

		await page.click('[data-tab="households"]');
		await page.getByText('共 288 条').waitFor();
		await shot(page, 'staff-community-households');
		await page.fill('[data-testid="household-search"]', '3栋2单元5');
		await page.getByText('共 2 条').waitFor();
		assert.equal(await page.$$eval('table.households tbody tr', (rows) => rows.length), 2);

		await page.click('[data-tab="people"]');
		await page.getByRole('cell', { name: '王丽' }).waitFor();
		await page.click('[data-role="grid_worker"]');
		await page.getByRole('cell', { name: '张伟' }).waitFor();
		await shot(page, 'staff-community-people');

		await page.click('[data-tab="departments"]');
		await page.waitForSelector('[data-presence="resident"]');
		assert.equal(await page.$$eval('[data-presence="resident"] article', (els) => els.length), 4, 'the "4": resident departments');
		assert.ok((await page.$$eval('[data-presence="on_demand"] article', (els) => els.length)) >= 1, 'the "X": on-demand departments');
		await shot(page, 'staff-community-departments', { fullPage: true });
	});

	it('sees every device with its owner, state and battery', async () => {
		await open(page, app.base, '#/devices');
		await page.waitForSelector('[data-device="sos-1-1-102"]');
		const total = (await app.api('GET', '/api/collections/devices/records?perPage=1')).totalItems;
		assert.equal(await page.$$eval('tr[data-device]', (rows) => rows.length), total);
		assert.match(await page.locator('[data-device="sos-1-1-102"]').innerText(), /老人：骆阿婆/);
		assert.match(await page.locator('[data-device="park-a01"]').innerText(), /车位 A01/);
		await shot(page, 'staff-devices');
	});

	it('sees a device change live, without a reload, and unsubscribes on leaving', async () => {
		const posts = [];
		page.on('request', (r) => {
			if (r.method() === 'POST' && r.url().endsWith('/api/realtime')) posts.push(r.postDataJSON());
		});
		await open(page, app.base, '#/notices');
		await page.click('[data-nav="devices"]');
		await page.waitForSelector('[data-live="true"]');
		const row = page.locator('[data-device="sos-1-1-102"]');
		assert.notEqual(await row.locator('[data-status]').getAttribute('data-status'), 'online');
		const onlineBefore = Number(await page.locator('[data-count="online"]').innerText());
		await page.evaluate(() => (window.__sameDocument = true));

		const device = (await app.api('GET', `/api/collections/devices/records?filter=${encodeURIComponent('client_id="sos-1-1-102"')}`)).items[0];
		await app.api('PATCH', `/api/collections/devices/records/${device.id}`, {
			online: true,
			battery: 42,
			last_seen: new Date().toISOString(),
			last_state: { sos: false },
		});

		await page.waitForFunction(() => {
			const r = document.querySelector('[data-device="sos-1-1-102"]');
			return r?.querySelector('[data-status]')?.dataset.status === 'online' && r.querySelector('[data-battery]')?.dataset.battery === '42%';
		});
		assert.equal(await row.locator('[data-last-seen]').innerText(), '刚刚');
		assert.equal(await row.locator('[data-state]').innerText(), '呼救: 否');
		assert.equal(Number(await page.locator('[data-count="online"]').innerText()), onlineBefore + 1);
		assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was not reloaded');
		await row.scrollIntoViewIfNeeded();
		await shot(page, 'staff-devices-live');

		assert.ok(posts.some((p) => p.subscriptions.some((s) => s.startsWith('devices/'))), 'subscribed to devices');
		await page.click('[data-nav="parking"]');
		await page.waitForSelector('[data-space]');
		await page.waitForFunction(() => document.querySelector('[data-screen="parking"]'));
		const last = posts.at(-1).subscriptions;
		assert.ok(last.some((s) => s.startsWith('parking_spaces/')), `parking subscribed: ${last}`);
		assert.ok(!last.some((s) => s.startsWith('devices/')), `devices unsubscribed on leaving: ${last}`);
	});

	it('switches the language to English and back', async () => {
		await open(page, app.base, '#/community/grids');
		assert.equal(await navLabel(page, 'community'), '社区');
		await page.click('[data-testid="lang-switch"]');
		assert.equal(await navLabel(page, 'community'), 'Community');
		assert.equal(await navLabel(page, 'devices'), 'Devices');
		assert.equal(await page.getAttribute('html', 'lang'), 'en');
		await page.waitForSelector('[data-grid="G01"]');
		await waitQuiet(page);
		await shot(page, 'staff-community-en');
		await open(page, app.base, '#/devices');
		await page.waitForSelector('[data-device="sos-1-1-102"]');
		await shot(page, 'staff-devices-en');

		// remembered in the browser and on the user's record
		await page.reload();
		await page.waitForSelector('[data-layout]');
		assert.equal(await navLabel(page, 'community'), 'Community');
		const staff = (await app.api('GET', `/api/collections/users/records?filter=${encodeURIComponent(`phone="${STAFF}"`)}`)).items[0];
		assert.equal(staff.lang, 'en');

		await page.click('[data-testid="lang-switch"]');
		assert.equal(await navLabel(page, 'community'), '社区');
		assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
	});

	it('toggles large text', async () => {
		await open(page, app.base, '#/devices');
		await page.waitForSelector('[data-device]');
		assert.equal(await px(page, 'body', 'fontSize'), 16);
		await page.click('[data-testid="large-text"]');
		assert.equal(await page.getAttribute('[data-testid="large-text"]', 'aria-pressed'), 'true');
		assert.ok((await px(page, 'body', 'fontSize')) >= 18);
		assert.ok((await height(page, '[data-nav="devices"]')) >= 60);
		assert.ok((await height(page, '[data-testid="logout"]')) >= 60);
		await shot(page, 'staff-devices-large-text');
		await page.click('[data-testid="large-text"]');
		assert.equal(await px(page, 'body', 'fontSize'), 16);
	});

	it('signs out', async () => {
		await page.click('[data-testid="logout"]');
		await page.waitForSelector('#login-identity');
		assert.deepEqual(await navIds(page), ['notices', 'parking', 'login']);
	});
});

describe('department roles', () => {
	it('a mediator gets the console with the departments directory', async () => {
		const page = await newPage(browser, DESKTOP);
		await login(page, app.base, MEDIATOR);
		assert.equal(await layout(page), 'console');
		assert.deepEqual(await navIds(page), ['departments', 'notices', 'parking', 'me']);
		await page.waitForSelector('[data-presence="resident"]');
		await shot(page, 'mediator-departments');
		noPageErrors(page);
		await page.context().close();
	});
});
