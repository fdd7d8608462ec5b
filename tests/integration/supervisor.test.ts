import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const alive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};

describe('npm start supervisor (scripts/start.mjs)', () => {
	it('starts the embedded PostgreSQL, restarts an app that dies, and on SIGTERM stops the app and then the database', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'tally-supervisor-'));
		chmodSync(dir, 0o755); // as root, the embedded server's 'postgres' user must reach DATA_DIR
		const dataDir = path.join(dir, 'data');
		try {
			const supervisor = spawn(process.execPath, ['scripts/start.mjs'], {
				env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', SUPERVISOR_APP: 'tests/helpers/crashing-app.mjs', CRASHING_APP_MARKER: path.join(dir, 'crashed'), LOG_LEVEL: 'info', VITEST: '' },
				stdio: ['ignore', 'pipe', 'pipe']
			});
			let output = '';
			const pids: number[] = [];
			const collect = (chunk: Buffer) => {
				output += chunk.toString();
				for (const m of chunk.toString().matchAll(/"pid":(\d+),"msg":"supervisor: app started"/g)) pids.push(Number(m[1]));
			};
			supervisor.stdout.on('data', collect);
			supervisor.stderr.on('data', collect);
			const exited = new Promise<number | null>((resolve) => supervisor.on('exit', (code) => resolve(code)));

			for (let i = 0; i < 300 && pids.length < 2 && supervisor.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
			expect(pids, output).toHaveLength(2);
			expect(output).toMatch(/"code":3.*supervisor: app stopped; restarting/);
			await new Promise((r) => setTimeout(r, 300));
			expect(alive(pids[1])).toBe(true);
			expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(true);

			supervisor.kill('SIGTERM');
			expect(await exited).toBe(0);
			expect(alive(pids[1])).toBe(false);
			expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}, 90_000);
});
