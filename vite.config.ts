import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [tailwindcss(), sveltekit()],
	server: { port: 5173 },
	test: {
		expect: { requireAssertions: true },
		projects: [
			{
				extends: './vite.config.ts',
				test: {
					name: 'unit',
					environment: 'node',
					include: ['src/**/*.test.ts']
				}
			},
			{
				extends: './vite.config.ts',
				test: {
					name: 'integration',
					environment: 'node',
					include: ['tests/integration/**/*.test.ts'],
					globalSetup: ['tests/helpers/global-setup.ts'],
					// Alert webhooks go to a receiver on 127.0.0.1; alerts.test.ts turns the address rule back on to test it.
					env: { ALERT_WEBHOOK_ALLOW_PRIVATE: '1' },
					testTimeout: 60_000,
					hookTimeout: 120_000
				}
			},
			{
				// Not part of `npm test` (which names its projects): `npm run test:faults`, and a step of .ci/run.
				extends: './vite.config.ts',
				test: {
					name: 'faults',
					environment: 'node',
					include: ['tests/faults/**/*.test.ts'],
					testTimeout: 240_000,
					hookTimeout: 180_000
				}
			}
		]
	}
});
