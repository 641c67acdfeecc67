// Debian's chromium, driven by playwright-core: never a downloaded browser.
// The flags keep it from reaching for the network (this machine has none but
// loopback) and Playwright gives every launch a fresh, empty profile.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve, join } from 'node:path';

export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

export const SCREENSHOTS = resolve(import.meta.dirname, '..', 'screenshots');

const ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** launchBrowser starts headless chromium. */
export async function launchBrowser() {
	if (!existsSync(CHROMIUM)) {
		throw new Error(`${CHROMIUM} not found: run ./e2e/install-deps.sh (Debian's chromium and a CJK font)`);
	}
	return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/** DESKTOP and PHONE are the two viewports the layouts are made for. */
export const DESKTOP = { viewport: { width: 1366, height: 860 } };
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/**
 * newPage opens a page in a fresh context (its own storage: one user) and
 * fails the test on any uncaught page error.
 */
export async function newPage(browser, options) {
	const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...options });
	const page = await context.newPage();
	page.setDefaultTimeout(15_000);
	page.errors = [];
	page.on('pageerror', (err) => page.errors.push(err));
	// The app logs a warning when a request or a realtime subscription is
	// refused; none of the screens a role is offered should cause one.
	page.on('console', (msg) => {
		if (msg.type() === 'error' || msg.type() === 'warning') page.errors.push(`console ${msg.type()}: ${msg.text()}`);
	});
	return page;
}

/** shot saves a screenshot of the page into e2e/screenshots/NAME.png. */
export async function shot(page, name, { fullPage = false } = {}) {
	mkdirSync(SCREENSHOTS, { recursive: true });
	const path = join(SCREENSHOTS, name + '.png');
	await page.screenshot({ path, fullPage });
	return path;
}
