import { chromium, type FullConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './browser';

/** Resolves the browser once and hands it to every test through the environment. */
export default async function globalSetup(_config: FullConfig) {
	process.env.CHROMIUM_PATH = await chromiumPath();
	const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH, args: chromiumArgs });
	await browser.close();
}
