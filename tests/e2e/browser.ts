import { existsSync } from 'node:fs';

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * A real Chromium without a browser download: the machine's (Debian's `chromium`) when present,
 * otherwise the one the npm package @sparticuz/chromium ships.
 */
export async function chromiumPath(): Promise<string> {
	if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
	const system = SYSTEM_CHROMIUM.find((p) => existsSync(p));
	if (system) return system;
	const { default: chromium } = await import('@sparticuz/chromium');
	return chromium.executablePath();
}

export const chromiumArgs = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-quic',
	'--no-first-run'
];
