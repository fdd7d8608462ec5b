import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import postgres from 'postgres';
import { connect } from '../src/lib/server/db/client';
import { ensureDatabase, startEmbeddedPostgres } from '../src/lib/server/db/embedded';
import { applyMigrations } from '../src/lib/server/db/migrate';
import { overrideConfig } from '../src/lib/server/config';
import { createUser } from '../src/lib/server/auth/accounts';
import { setModelPrice } from '../src/lib/server/usage/models';
import { priceEvents } from '../src/lib/server/usage/price-events';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tally-t-'));
const pg = await startEmbeddedPostgres(dir);
await ensureDatabase(pg.url('postgres'), 'tally');
const handle = connect(pg.url('tally'), { max: 8 });
const raw = postgres(pg.url('tally'), { onnotice: (n) => console.log(n.message) });
try {
	const db = handle.db;
	await applyMigrations(db);
	overrideConfig({ WELCOME_CREDITS: 1_000_000_000, LOG_SETTLEMENTS: false });
	const admin = await createUser(db, { email: 'a@tally.local', name: 'A', password: null, role: 'admin' });
	await setModelPrice(db, { code: 'm', provider: 'bench', inputPrice: 20_000, outputPrice: 80_000, effectiveFrom: new Date(Date.now() - 86_400_000), actorUserId: admin.id });
	const u = await createUser(db, { email: 'u@tally.local', name: 'U', password: null });
	const text = readFileSync(process.env.MIG ?? 'drizzle/0016_settle_batch.sql', 'utf8');
	let fn = text.slice(text.indexOf('CREATE OR REPLACE FUNCTION settle_usage'));
	fn = fn.split('--> statement-breakpoint')[0];
	let step = 0;
	fn = fn.replace('BEGIN\n', 'BEGIN\n\tt0 := clock_timestamp();\n');
	fn = fn.replace('DECLARE\n', 'DECLARE\n\tt0 timestamptz;\n');
	const [declPart, bodyPart] = [fn.slice(0, fn.indexOf('\nBEGIN\n')), fn.slice(fn.indexOf('\nBEGIN\n'))];
	fn = declPart + bodyPart.replace(/\n\t(-- [^\n]*|IF fresh_count = 0|INSERT INTO usage_records|IF cardinality\(e_key\)|IF cardinality\(u_req\)|WITH settled AS|PERFORM roll_up_usage|FOR ev IN\n)/g, (m) => `\n\tRAISE NOTICE 'step ${step++} % %', ${JSON.stringify(m.trim().slice(0, 30)).replace(/'/g, '').replace(/"/g, "'").replace(/%/g, '')}, clock_timestamp() - t0;${m}`);
	fn = fn.replace(/\nEND;\n\$\$;\s*$/, () => "\n\tRAISE NOTICE 'end %', clock_timestamp() - t0;\nEND;\n$$;");
	fn = fn.replace('FUNCTION settle_usage(', 'FUNCTION settle_usage_t(');
	await raw.unsafe(fn);
	for (let round = 0; round < 3; round++) {
		const events = Array.from({ length: 1000 }, (_, i) => ({ requestId: `r${round}-${i}`, userId: u.id, model: 'm', inputTokens: 200 + i, outputTokens: 50 }));
		const priced = await priceEvents(db, events, () => new Date());
		const input = (priced as any[]).map((e) => ({ request_id: e.requestId, user_id: e.userId, api_key_id: null, model: e.model, input_tokens: e.inputTokens, output_tokens: e.outputTokens, images: 0, cost: e.cost, occurred_at: e.occurredAt.toISOString(), metadata: null, payload_hash: e.payloadHash, priced: true, input_price: 20000, output_price: 80000, image_price: null }));
		console.log('--- round', round);
		await raw.begin(async (tx) => {
			await tx`set local track_functions = 'all'`;
			await tx`select * from settle_usage_t(${raw.json(input as never)}, now(), true)`;
			console.log(await tx`select funcname, total_time, self_time from pg_stat_xact_user_functions`);
		});
	}
} finally {
	await raw.end();
	await handle.close();
	await pg.stop();
	rmSync(dir, { recursive: true, force: true });
}
