import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { connect } from '../src/lib/server/db/client';
import { ensureDatabase, startEmbeddedPostgres } from '../src/lib/server/db/embedded';
import { applyMigrations } from '../src/lib/server/db/migrate';
import { overrideConfig } from '../src/lib/server/config';
import { createUser } from '../src/lib/server/auth/accounts';
import { setModelPrice } from '../src/lib/server/usage/models';
import { priceEvents } from '../src/lib/server/usage/price-events';
import { settleBatchInTransaction } from '../src/lib/server/usage/settle-batch';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tally-t-'));
const pg = await startEmbeddedPostgres(dir);
await ensureDatabase(pg.url('postgres'), 'tally');
const handle = connect(pg.url('tally'), { max: 8 });
try {
	const db = handle.db;
	await applyMigrations(db);
	overrideConfig({ WELCOME_CREDITS: 1_000_000_000, LOG_SETTLEMENTS: false });
	const admin = await createUser(db, { email: 'a@tally.local', name: 'A', password: null, role: 'admin' });
	await setModelPrice(db, { code: 'm', provider: 'bench', inputPrice: 20_000, outputPrice: 80_000, effectiveFrom: new Date(Date.now() - 86_400_000), actorUserId: admin.id });
	const u = await createUser(db, { email: 'u@tally.local', name: 'U', password: null });
	await db.execute(sql`create extension if not exists pg_stat_statements`).catch(() => {});
	for (let round = 0; round < 4; round++) {
		const events = Array.from({ length: 1000 }, (_, i) => ({ requestId: `r${round}-${i}`, userId: u.id, model: 'm', inputTokens: 200 + i, outputTokens: 50 }));
		let t = performance.now();
		const priced = await priceEvents(db, events, () => new Date());
		const tp = performance.now() - t;
		t = performance.now();
		await settleBatchInTransaction(db, priced as never);
		const ts = performance.now() - t;
		console.log(`round ${round}: price ${tp.toFixed(1)} ms settle ${ts.toFixed(1)} ms`);
	}
	const events = Array.from({ length: 1000 }, (_, i) => ({ requestId: `x-${i}`, userId: u.id, model: 'm', inputTokens: 200 + i, outputTokens: 50 }));
	const priced = await priceEvents(db, events, () => new Date());
	await db.execute(sql`load 'auto_explain'`).catch((e) => console.log('no auto_explain', e.message));
	const rows = await db.execute(sql`select 1`);
	void rows;
	// Time the function server-side
	const input = (priced as any[]).map((e) => ({ request_id: e.requestId, user_id: e.userId, api_key_id: null, model: e.model, input_tokens: e.inputTokens, output_tokens: e.outputTokens, images: 0, cost: e.cost, occurred_at: e.occurredAt.toISOString(), metadata: null, payload_hash: e.payloadHash, priced: true, input_price: 20000, output_price: 80000, image_price: null }));
	await db.transaction(async (tx) => {
		await tx.execute(sql`set local track_functions = 'all'`);
		let t = performance.now();
		await tx.execute(sql`select * from settle_usage(${JSON.stringify(input)}::jsonb, now(), true)`);
		console.log('fn', performance.now() - t);
		const st = await tx.execute(sql`select funcname, calls, total_time, self_time from pg_stat_xact_user_functions`);
		console.log(st);
		throw new Error('rollback');
	}).catch((e) => console.log(e.message));
} finally {
	await handle.close();
	await pg.stop();
	rmSync(dir, { recursive: true, force: true });
}
