import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { ensureConfiguredAdmin } from '../../src/lib/server/auth/accounts';
import { overrideConfig } from '../../src/lib/server/config';
import { users } from '../../src/lib/server/db/schema';
import { useTestDatabase } from '../helpers/db';
import { makeUser, uniqueEmail } from '../helpers/callers';

const t = useTestDatabase();

function cli(args: string[], env: Record<string, string>) {
	return spawnSync('npx', ['tsx', 'src/lib/server/cli/index.ts', ...args], {
		encoding: 'utf8',
		env: { ...process.env, ...env },
		timeout: 60_000
	});
}

describe('start-up', () => {
	it('ADMIN_EMAIL and ADMIN_PASSWORD pre-create a platform admin, or promote the account', async () => {
		const email = uniqueEmail('ops');
		overrideConfig({ ADMIN_EMAIL: email, ADMIN_PASSWORD: 'ops-pass-123' });
		await ensureConfiguredAdmin(t.db);
		await ensureConfiguredAdmin(t.db);
		const rows = await t.db.select().from(users).where(eq(users.email, email));
		expect(rows.map((r) => r.role)).toEqual(['admin']);

		const existing = await makeUser(t.db);
		overrideConfig({ ADMIN_EMAIL: existing.email.toUpperCase(), ADMIN_PASSWORD: 'ops-pass-123' });
		await ensureConfiguredAdmin(t.db);
		const [promoted] = await t.db.select().from(users).where(eq(users.id, existing.id));
		expect(promoted.role).toBe('admin');
		overrideConfig({ ADMIN_EMAIL: undefined, ADMIN_PASSWORD: undefined });
	});

	it('an unreachable database is one line naming DATABASE_URL and a non-zero exit', () => {
		const run = cli(['db', 'migrate'], { DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/tally' });
		expect(run.status).toBe(1);
		const lines = run.stderr.trim().split('\n').filter((l) => !l.startsWith('npm warn'));
		expect(lines).toHaveLength(1);
		expect(lines[0]).toContain('DATABASE_URL');
		expect(lines[0]).not.toContain('secret');
		expect(run.stderr).not.toMatch(/\n\s+at /);
	});

	it('a bad configuration value stops with one line naming the variable', () => {
		const run = cli(['db', 'migrate'], { PORT: 'eighty' });
		expect(run.status).toBe(1);
		expect(run.stderr).toMatch(/PORT/);
		expect(run.stderr).not.toMatch(/\n\s+at /);
	});

	it('as root, a DATA_DIR inside a folder other users cannot enter stops with one line saying what to do', () => {
		const closed = mkdtempSync(path.join(os.tmpdir(), 'tally-0700-'));
		chmodSync(closed, 0o700);
		const dataDir = path.join(closed, 'data');
		mkdirSync(dataDir);
		try {
			// The CLI, and the supervisor `npm start` runs (it starts the embedded server before the app).
			const runs = [cli(['db', 'migrate'], { DATA_DIR: dataDir, DATABASE_URL: '' })];
			if (process.getuid?.() !== 0) {
				expect(runs[0].status).toBe(0);
				return;
			}
			runs.push(spawnSync(process.execPath, ['scripts/start.mjs'], { encoding: 'utf8', env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' }, timeout: 60_000 }));
			for (const run of runs) {
				expect(run.status).toBe(1);
				const lines = run.stderr.trim().split('\n').filter((l) => !l.startsWith('npm warn'));
				expect(lines).toHaveLength(1);
				expect(lines[0]).toContain(closed);
				expect(lines[0]).toMatch(/postgres/);
				expect(lines[0]).toMatch(/DATABASE_URL/);
				expect(run.stderr).not.toMatch(/\n\s+at /);
			}
		} finally {
			rmSync(closed, { recursive: true, force: true });
		}
	});
});
