import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIENT_SCHEMA_FILE, clientSchemaText } from '../../scripts/client-schema';

/**
 * The typed client in clients/typescript: its generated types match the current router, it and
 * its README example compile, and a call the API does not accept does not. (It runs against the
 * built app in tests/e2e/external-users.spec.ts.)
 */
const root = resolve(__dirname, '../..');
const clientDir = join(root, 'clients/typescript');

function tsc(project: string) {
	const run = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], { encoding: 'utf8' });
	return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('the generated TypeScript client', () => {
	it('has types generated from the current OpenAPI document (run npm run client:generate)', async () => {
		expect(readFileSync(join(root, CLIENT_SCHEMA_FILE), 'utf8')).toBe(await clientSchemaText());
	});

	it('its README shows exactly the example that is compiled and run', () => {
		const readme = readFileSync(join(clientDir, 'README.md'), 'utf8');
		const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
		expect(block).toBe(readFileSync(join(clientDir, 'examples/readme.ts'), 'utf8'));
	});

	it('compiles with the example, and refuses a call the API would refuse', { timeout: 240_000 }, () => {
		const ok = tsc(join(clientDir, 'tsconfig.json'));
		expect(ok.output).toBe('');
		expect(ok.status).toBe(0);

		const dir = mkdtempSync(join(tmpdir(), 'tally-client-'));
		writeFileSync(
			join(dir, 'broken.ts'),
			`import { createTallyClient } from '@tally/client';
const tally = createTallyClient({ baseUrl: 'http://x', apiKey: 'k' });
await tally.POST('/user/external/topup', { body: { external_user_id: 'a', amount: 5, payment_id: 'p' } });
await tally.POST('/user/external/sync', { body: { external_user_id: 'a', login_type: 'github' } });
`
		);
		writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
				extends: join(clientDir, 'tsconfig.json'),
				compilerOptions: { typeRoots: [join(root, 'node_modules/@types')] },
				include: [join(dir, 'broken.ts')]
			}));
		const broken = tsc(join(dir, 'tsconfig.json'));
		expect(broken.status).not.toBe(0);
		expect(broken.output).toMatch(/amount/);
		expect(broken.output).toMatch(/github/);
	});
});
