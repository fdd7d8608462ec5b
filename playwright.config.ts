import { defineConfig, devices } from '@playwright/test';

// E2E_DEV=1 runs against `vite dev` (no build) on E2E_PORT, for quick local runs beside other work.
const port = Number(process.env.E2E_PORT ?? 4173);
const dev = process.env.E2E_DEV === '1';
/** The port of a second instance started with no data at all, for first-account tests. */
export const emptyInstancePort = port + 1;

function server(p: number, seedDemo: boolean) {
	const dataDir = `.data-e2e-${p}`;
	return {
		command: dev ? `rm -rf ${dataDir} && vite dev --port ${p} --strictPort` : `rm -rf ${dataDir} && node scripts/server.mjs`,
		url: `http://127.0.0.1:${p}/login`,
		timeout: 240_000,
		reuseExistingServer: false,
		stdout: 'pipe' as const,
		env: {
			PORT: String(p),
			// The empty instance runs without ORIGIN, as `npm start` on a laptop does.
			...(seedDemo ? { ORIGIN: `http://127.0.0.1:${p}` } : {}),
			DATA_DIR: dataDir,
			SEED_DEMO: seedDemo ? '1' : '0',
			PAYMENT_SANDBOX_SECRET: 'e2e-sandbox-secret-0123456789',
			// Every test registers from 127.0.0.1; the per-address limit has its own integration test.
			REGISTRATIONS_PER_IP_PER_HOUR: '1000',
			// Alert webhooks may go to a receiver on this machine.
			ALERT_WEBHOOK_ALLOW_PRIVATE: '1'
		}
	};
}

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results',
	fullyParallel: false,
	workers: 1,
	retries: process.env.CI ? 1 : 0,
	timeout: 60_000,
	expect: { timeout: 10_000 },
	reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
	globalSetup: './tests/e2e/global-setup.ts',
	use: {
		baseURL: `http://127.0.0.1:${port}`,
		screenshot: 'only-on-failure',
		trace: 'retain-on-failure',
		locale: 'zh-CN'
	},
	projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
	webServer: [server(port, true), server(port + 1, false)]
});
