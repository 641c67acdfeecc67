// The residents' mobile app end to end (guests, residents, grid workers,
// volunteers): the real appliance (demo community) on loopback, headless
// chromium with a phone viewport. Screenshots go to e2e/screenshots/.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAppliance } from '../lib/appliance.js';
import { launchBrowser, newPage, shot, PHONE } from '../lib/browser.js';
import { STAFF, RESIDENT, GRID_WORKER, VOLUNTEER, navIds, navLabel, layout, px, height, open, login, waitQuiet, noPageErrors } from '../lib/ui.js';

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

describe('guest', () => {
	it('lands on sign-in, sees notices and free parking without an account, and gets a clear error for a wrong password', async () => {
		const page = await newPage(browser, PHONE);
		await open(page, app.base, '');
		assert.match(page.url(), /#\/login$/);
		assert.equal(await layout(page), 'mobile');
		assert.deepEqual(await navIds(page), ['notices', 'parking', 'login']);
		await shot(page, 'guest-login');

		await page.fill('#login-identity', STAFF);
		await page.fill('#login-password', 'not-the-password');
		await page.click('button[type=submit]');
		await page.getByRole('alert').waitFor();
		assert.equal(await page.getByRole('alert').innerText(), '手机号/邮箱或密码不正确，请重新输入。');
		await shot(page, 'guest-login-error');
		page.errors.length = 0; // the browser logs the refused sign-in (400): expected here

		await page.click('[data-nav="notices"]');
		await page.getByText('冬季用电用气安全提醒').waitFor();
		await shot(page, 'guest-notices');

		await page.click('[data-nav="parking"]');
		await page.waitForSelector('[data-space]');
		await page.waitForSelector('[data-live="true"]');
		const spaces = await page.$$eval('[data-space]', (els) => els.length);
		assert.ok(spaces > 0, 'public parking spaces are listed');
		const free = Number(await page.locator('[data-free]').innerText());
		const freeTiles = await page.$$eval('[data-occupied="false"]', (els) => els.length);
		assert.equal(free, freeTiles);
		await shot(page, 'guest-parking', { fullPage: true });
		noPageErrors(page);
		await page.context().close();
	});
});

describe('resident', () => {
	let page;
	before(async () => {
		page = await newPage(browser, PHONE);
		await login(page, app.base, RESIDENT);
	});
	after(async () => {
		noPageErrors(page);
		await page.context().close();
	});

	it('gets the mobile app without Community and Devices', async () => {
		assert.equal(await layout(page), 'mobile');
		assert.deepEqual(await navIds(page), ['home', 'notices', 'parking', 'me']);
		assert.match(page.url(), /#\/home$/);
		await page.getByText('杨国强，您好').waitFor();
		await waitQuiet(page);
		await shot(page, 'resident-home');

		// a hand-typed staff address lands back home
		await open(page, app.base, '#/devices');
		await page.waitForURL(/#\/home$/);
		assert.equal(await page.locator('[data-screen="devices"]').count(), 0);
	});

	it('has large text by default and can turn it off and on', async () => {
		await open(page, app.base, '#/home');
		assert.equal(await page.evaluate(() => document.documentElement.classList.contains('large')), true);
		assert.ok((await px(page, 'body', 'fontSize')) >= 18);
		for (const id of ['home', 'notices', 'parking', 'me']) {
			assert.ok((await height(page, `[data-nav="${id}"]`)) >= 60, `tab ${id} is at least 60 px tall`);
		}
		assert.ok((await height(page, '[data-testid="large-text"]')) >= 60);
		await page.click('[data-testid="large-text"]');
		assert.equal(await px(page, 'body', 'fontSize'), 16);
		assert.equal(await page.evaluate(() => localStorage.getItem('fq.largeText')), '0');
		await shot(page, 'resident-home-normal-text');
		await page.click('[data-testid="large-text"]');
		assert.ok((await px(page, 'body', 'fontSize')) >= 18);
	});

	it('switches the language to English and back', async () => {
		assert.equal(await navLabel(page, 'home'), '首页');
		await page.click('[data-testid="lang-switch"]');
		assert.equal(await navLabel(page, 'home'), 'Home');
		await page.getByText('Hello, 杨国强').waitFor();
		await shot(page, 'resident-home-en');
		await page.click('[data-testid="lang-switch"]');
		assert.equal(await navLabel(page, 'home'), '首页');
	});

	it('reads notices, free parking and their profile', async () => {
		await page.click('[data-nav="notices"]');
		await page.getByText('银龄志愿者招募').waitFor();
		await shot(page, 'resident-notices');
		await page.click('[data-nav="parking"]');
		await page.waitForSelector('[data-space]');
		await page.waitForSelector('[data-live="true"]');
		await shot(page, 'resident-parking');
		await page.click('[data-nav="me"]');
		await page.getByText(RESIDENT).waitFor();
		await shot(page, 'resident-me');
	});
});

describe('grid workers and volunteers', () => {
	it('a grid worker sees their grid with its elders and devices', async () => {
		const page = await newPage(browser, PHONE);
		await login(page, app.base, GRID_WORKER);
		assert.deepEqual(await navIds(page), ['grid', 'notices', 'parking', 'me']);
		await page.waitForSelector('[data-elder]');
		await waitQuiet(page);
		assert.ok((await page.$$eval('[data-elder]', (els) => els.length)) > 0);
		await shot(page, 'grid-worker-grid');
		noPageErrors(page);
		await page.context().close();
	});

	it('a volunteer sees their paired elders', async () => {
		const page = await newPage(browser, PHONE);
		await login(page, app.base, VOLUNTEER);
		assert.deepEqual(await navIds(page), ['home', 'elders', 'notices', 'parking', 'me']);
		await open(page, app.base, '#/elders');
		await page.waitForSelector('[data-elder]');
		assert.equal(await page.$$eval('[data-elder]', (els) => els.length), 2);
		await shot(page, 'volunteer-elders');
		noPageErrors(page);
		await page.context().close();
	});
});
