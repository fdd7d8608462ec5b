import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { config, overrideConfig } from '../../src/lib/server/config';
import { settleUsage } from '../../src/lib/server/usage/settle';
import { reserveCredit } from '../../src/lib/server/usage/reserve-batch';
import { setModelActive, setModelPrice } from '../../src/lib/server/usage/models';
import { useTestDatabase } from '../helpers/db';
import { makeUser } from '../helpers/callers';
import { makeModel } from '../helpers/usage';

const t = useTestDatabase();
let seq = 0;
const rid = (label: string) => `cache-${label}-${process.pid}-${seq++}`;

/** One million input tokens cost exactly the model's input price per million. */
async function costOf(userId: number, model: string) {
	const [result] = await settleUsage(t.db, [{ requestId: rid('e'), userId, model, inputTokens: 1_000_000, outputTokens: 0 }], { log: false });
	return result.status === 'settled' ? result.cost : result.reason;
}

const reserve = (userId: number, model: string) =>
	reserveCredit(t.db, { userId, model, estimatedCost: 10, requestId: rid('r'), ttlSeconds: 600, placedBy: userId, apiKeyId: null });

const bound = config().MODEL_CACHE_SECONDS;
beforeAll(() => overrideConfig({ MODEL_CACHE_SECONDS: 1 }));
afterAll(() => overrideConfig({ MODEL_CACHE_SECONDS: bound }));
const afterTheBound = () => new Promise((r) => setTimeout(r, 1_050));

describe('the metering path keeps models for MODEL_CACHE_SECONDS (usage/metering-cache.ts)', () => {
	it('a price set by this process applies to the next event at once', async () => {
		const user = await makeUser(t.db);
		const model = await makeModel(t.db, 3_000, 0);
		expect(await costOf(user.id, model.code)).toBe(3_000);
		await setModelPrice(t.db, { code: model.code, provider: 'test', inputPrice: 5_000, outputPrice: 0, effectiveFrom: new Date(Date.now() - 1) });
		expect(await costOf(user.id, model.code)).toBe(5_000);
	});

	it('a price set by another process applies to new events within MODEL_CACHE_SECONDS', async () => {
		const user = await makeUser(t.db);
		const model = await makeModel(t.db, 3_000, 0);
		expect(await costOf(user.id, model.code)).toBe(3_000);
		// Another instance's change: straight to the table, nothing in this process hears of it.
		await t.db.execute(sql`insert into model_prices (model_id, input_price, output_price, effective_from) values (${model.id}, 7000, 0, now() - interval '1 millisecond')`);
		await afterTheBound();
		expect(await costOf(user.id, model.code)).toBe(7_000);
	});

	it('a price scheduled ahead applies at its instant, from a catalog read before it', async () => {
		const user = await makeUser(t.db);
		const model = await makeModel(t.db, 3_000, 0);
		const at = new Date(Date.now() + 600);
		await t.db.execute(sql`insert into model_prices (model_id, input_price, output_price, effective_from) values (${model.id}, 9000, 0, ${at.toISOString()}::timestamptz)`);
		expect(await costOf(user.id, model.code)).toBe(3_000);
		await new Promise((r) => setTimeout(r, Math.max(0, at.getTime() - Date.now() + 20)));
		expect(await costOf(user.id, model.code)).toBe(9_000);
	});

	it('a model switched off by this process is refused at once; by another process within the bound', async () => {
		const user = await makeUser(t.db);
		const model = await makeModel(t.db, 3_000, 0);
		expect((await reserve(user.id, model.code)).allowed).toBe(true);
		await setModelActive(t.db, model.id, false);
		expect(await costOf(user.id, model.code)).toBe('model_inactive');
		await expect(reserve(user.id, model.code)).rejects.toThrow('model_not_priced');

		const other = await makeModel(t.db, 3_000, 0);
		expect(await costOf(user.id, other.code)).toBe(3_000);
		await t.db.execute(sql`update models set active = false where id = ${other.id}`);
		await afterTheBound();
		expect(await costOf(user.id, other.code)).toBe('model_inactive');
		await expect(reserve(user.id, other.code)).rejects.toThrow('model_not_priced');
	});

	it('a user or model it has not seen is read, not refused', async () => {
		const model = await makeModel(t.db, 3_000, 0);
		const first = await makeUser(t.db);
		expect(await costOf(first.id, model.code)).toBe(3_000);
		const second = await makeUser(t.db);
		const newModel = await makeModel(t.db, 4_000, 0);
		expect(await costOf(second.id, model.code)).toBe(3_000);
		expect(await costOf(first.id, newModel.code)).toBe(4_000);
		expect(await costOf(2_000_000_000, model.code)).toBe('unknown_user');
		expect(await costOf(first.id, 'no-such-model')).toBe('unknown_model');
	});
});
