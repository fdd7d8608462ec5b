import { beforeAll, describe, expect, it } from 'vitest';
import { overrideConfig } from '../../src/lib/server/config';
import { createEnterprise } from '../../src/lib/server/enterprises/enterprises';
import { addMember } from '../../src/lib/server/enterprises/membership';
import { postEntries } from '../../src/lib/server/ledger/post';
import { enterpriseWalletId, userWalletId } from '../../src/lib/server/ledger/wallets';
import { useTestDatabase } from '../helpers/db';
import { callerFor, makeUser } from '../helpers/callers';
import { paySandbox, SANDBOX_SECRET } from '../helpers/recharge';
import { expectCode } from '../helpers/expect-code';
import { orders } from '../../src/lib/server/db/schema';
import { eq } from 'drizzle-orm';

const t = useTestDatabase();
beforeAll(() => overrideConfig({ PAYMENT_SANDBOX_SECRET: SANDBOX_SECRET, CREDITS_PER_UNIT: 10_000, CURRENCY: 'CNY', SEED_DEMO: false }));

const rowOf = async (publicId: string) => (await t.db.select().from(orders).where(eq(orders.publicId, publicId)))[0];

describe('pay clicked again', () => {
	it('answers the same pending order for the same wallet, amount and method; another amount is another order', async () => {
		const user = await makeUser(t.db);
		const caller = callerFor(t.db, user);
		const clicks = await Promise.all([1, 2, 3].map(() => caller.recharge.createOrder({ amount: '50', method: 'sandbox' })));
		expect(new Set(clicks.map((o) => o.id)).size).toBe(1);
		expect(clicks[0].checkout_url).not.toBeNull();
		const other = await caller.recharge.createOrder({ amount: '100', method: 'sandbox' });
		expect(other.id).not.toBe(clicks[0].id);
		expect(await caller.recharge.orders({ limit: 50 })).toHaveLength(2);
	});

	it('makes a new order once the earlier one is paid, cancelled or for another wallet', async () => {
		const user = await makeUser(t.db);
		const enterprise = await createEnterprise(t.db, { name: 'Reuse Co', description: '', adminUserIds: [user.id] });
		const caller = callerFor(t.db, user);
		const first = await caller.recharge.createOrder({ amount: '10', method: 'sandbox' });
		const forEnterprise = await caller.recharge.createOrder({ amount: '10', method: 'sandbox', enterprise_id: enterprise.id });
		expect(forEnterprise.id).not.toBe(first.id);
		await paySandbox(t.db, await rowOf(first.id));
		const second = await caller.recharge.createOrder({ amount: '10', method: 'sandbox' });
		expect(second.id).not.toBe(first.id);
		expect((await caller.recharge.cancelOrder({ id: second.id })).status).toBe('expired');
		const third = await caller.recharge.createOrder({ amount: '10', method: 'sandbox' });
		expect(third.id).not.toBe(second.id);
	});
});

describe('cancel', () => {
	it('only the owner cancels, only a pending order; a late payment is still credited', async () => {
		const user = await makeUser(t.db);
		const other = await makeUser(t.db);
		const order = await callerFor(t.db, user).recharge.createOrder({ amount: '10', method: 'sandbox' });
		await expectCode(callerFor(t.db, other).recharge.cancelOrder({ id: order.id }), 'NOT_FOUND', 'order_not_found');
		await callerFor(t.db, user).recharge.cancelOrder({ id: order.id });
		await expectCode(callerFor(t.db, user).recharge.cancelOrder({ id: order.id }), 'CONFLICT', 'order_not_pending');
		const paid = await paySandbox(t.db, await rowOf(order.id));
		expect(paid).toMatchObject({ result: 'credited' });
		expect((await rowOf(order.id)).lateFlag).toBe(true);
	});
});

describe('order lists per wallet', () => {
	it('personal lists the own wallet only; enterprise_id lists that enterprise’s orders for each of its admins, refusing others', async () => {
		const admin = await makeUser(t.db);
		const coAdmin = await makeUser(t.db);
		const outsider = await makeUser(t.db);
		const enterprise = await createEnterprise(t.db, { name: 'Lists Co', description: '', adminUserIds: [admin.id, coAdmin.id] });
		const mine = await callerFor(t.db, admin).recharge.createOrder({ amount: '10', method: 'sandbox' });
		const theirs = await callerFor(t.db, admin).recharge.createOrder({ amount: '50', method: 'sandbox', enterprise_id: enterprise.id });
		const coAdmins = await callerFor(t.db, coAdmin).recharge.createOrder({ amount: '100', method: 'sandbox', enterprise_id: enterprise.id });

		expect((await callerFor(t.db, admin).recharge.orders({ personal: true, limit: 50 })).map((o) => o.id)).toEqual([mine.id]);
		expect((await callerFor(t.db, admin).recharge.orders({ enterprise_id: enterprise.id, limit: 50 })).map((o) => o.id).sort()).toEqual([theirs.id, coAdmins.id].sort());
		await expectCode(callerFor(t.db, outsider).recharge.orders({ enterprise_id: enterprise.id, limit: 50 }), 'FORBIDDEN', 'not_enterprise_admin');
		await expectCode(callerFor(t.db, admin).recharge.orders({ enterprise_id: 999_999, limit: 50 }), 'NOT_FOUND', 'enterprise_not_found');

		const receipt = await callerFor(t.db, admin).recharge.order({ id: theirs.id });
		expect(receipt.enterprise_name).toBe('Lists Co');
		expect((await callerFor(t.db, admin).recharge.order({ id: mine.id })).enterprise_name).toBeNull();
	});
});

describe('recharge page in arrears', () => {
	it('names the enterprise that pays now, or none when the user pays', async () => {
		const user = await makeUser(t.db);
		const wallet = await userWalletId(t.db, user.id);
		const balance = (await callerFor(t.db, user).recharge.page()).balanceCredits;
		await postEntries(t.db, [{ walletId: wallet, kind: 'usage', amount: -(balance + 5_000), idempotencyKey: `test-arrears-${user.id}` }]);
		const alone = await callerFor(t.db, user).recharge.page();
		expect(alone.balanceCredits).toBe(-5_000);
		expect(alone.payerNow).toBeNull();

		const owner = await makeUser(t.db);
		const enterprise = await createEnterprise(t.db, { name: 'Pays Co', description: '', adminUserIds: [owner.id] });
		await addMember(t.db, enterprise.id, user.id, null);
		await postEntries(t.db, [{ walletId: await enterpriseWalletId(t.db, enterprise.id), kind: 'adjustment', amount: 1_000_000, idempotencyKey: `test-fund-${enterprise.id}` }]);
		expect((await callerFor(t.db, user).recharge.page()).payerNow).toEqual({ enterpriseId: enterprise.id, name: 'Pays Co' });
	});
});
