/**
 * Debian's Chromium driven by playwright-core (no browser download). Browser
 * tests skip visibly when it is missing, except in CI where that is a failure.
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = process.env.DP_CHROMIUM ?? '/usr/bin/chromium';

/** Whether the browser tests can run here; throws in CI when they cannot. */
export function browserAvailable(): boolean {
	if (fs.existsSync(chromiumPath)) return true;
	if (process.env.CI === 'true') throw new Error(`CI=true but ${chromiumPath} is missing`);
	console.warn(
		`[skip] ${chromiumPath} is missing: browser tests are skipped (npm test installs it as root)`
	);
	return false;
}

/** Launches headless Chromium with the flags this offline machine needs. */
export function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: chromiumPath,
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync'
		]
	});
}
