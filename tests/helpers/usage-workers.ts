import { spawn } from 'node:child_process';
import path from 'node:path';
import type { SettleResult } from '../../src/lib/server/usage/settle';

const worker = path.resolve('tests/helpers/usage-settle-worker.ts');

/** Settles `events` in a separate app process (its own pool and queue) against the database at `url`. */
export function settleInOtherProcess(url: string, events: unknown[]): Promise<SettleResult[]> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', 'tsx', worker], {
			env: { ...process.env, DATABASE_URL: url, LOG_SETTLEMENTS: '0', USAGE_SETTLE_MODE: 'batch' },
			stdio: ['pipe', 'pipe', 'pipe']
		});
		let out = '';
		let err = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (err += d));
		child.on('error', reject);
		child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`worker exited ${code}: ${err}`))));
		child.stdin.end(JSON.stringify(events));
	});
}
