/**
 * A quick in-process settlement run for profiling (`node --cpu-prof --import tsx bench/settle-profile.ts`):
 * BENCH_CONNECTIONS (64) callers each settle one event at a time on one hot wallet for BENCH_SECONDS (8).
 */
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from '../src/lib/server/db/client';
import { ensureDatabase, startEmbeddedPostgres } from '../src/lib/server/db/embedded';
import { applyMigrations } from '../src/lib/server/db/migrate';
import { overrideConfig } from '../src/lib/server/config';
import { createUser } from '../src/lib/server/auth/accounts';
import { setModelPrice } from '../src/lib/server/usage/models';
import { settleInProcess } from './settle-in-process';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);

const dir = mkdtempSync(path.join(os.tmpdir(), 'tally-prof-'));
const pg = await startEmbeddedPostgres(dir);
await ensureDatabase(pg.url('postgres'), 'tally');
const handle = connect(pg.url('tally'), { max: 8 });
try {
	await applyMigrations(handle.db);
	overrideConfig({ WELCOME_CREDITS: 1_000_000, LOG_SETTLEMENTS: false });
	const admin = await createUser(handle.db, { email: 'a@tally.local', name: 'A', password: null, role: 'admin' });
	const user = await createUser(handle.db, { email: 'u@tally.local', name: 'U', password: null });
	await setModelPrice(handle.db, { code: 'bench-model', provider: 'bench', inputPrice: 20_000, outputPrice: 80_000, effectiveFrom: new Date(Date.now() - 86_400_000), actorUserId: admin.id });
	await settleInProcess(handle.db, [user.id, user.id], 'warm', CONNECTIONS, 2);
	const r = await settleInProcess(handle.db, [user.id, user.id], 'prof', CONNECTIONS, SECONDS);
	console.log(`in-process hot: ${r.eps} events/s p50 ${r.p50.toFixed(2)} ms p99 ${r.p99.toFixed(2)} ms failed ${r.failed}`);
} finally {
	await handle.close();
	await pg.stop();
	rmSync(dir, { recursive: true, force: true });
}
