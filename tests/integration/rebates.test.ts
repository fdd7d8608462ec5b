import { beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { creditGrants, ledgerEntries, orders, rebates, referrals } from '../../src/lib/server/db/schema';
import { overrideConfig } from '../../src/lib/server/config';
import { createEnterprise } from '../../src/lib/server/enterprises/enterprises';
import { verifyLedger } from '../../src/lib/server/ledger/verify';
import { refundOrder } from '../../src/lib/server/recharge/refund';
import { inviterOf, recordReferral } from '../../src/lib/server/rebates/invites';
import { saveRebateSettings } from '../../src/lib/server/rebates/settings';
import { settleUsage } from '../../src/lib/server/usage/settle';
import { seedAccounts } from '../../src/lib/server/seed/accounts';
import { DEMO_CODE, seedGrowth } from '../../src/lib/server/seed/growth';
import { redeemCode } from '../../src/lib/server/codes/redeem';
import type { SessionUser } from '../../src/lib/server/auth/identity';
import { useTestDatabase } from '../helpers/db';
import { callerFor, CookieJar, makeUser, uniqueEmail } from '../helpers/callers';
import { paySandbox, SANDBOX_SECRET } from '../helpers/recharge';
import { balanceOfUser, makeModel } from '../helpers/usage';
import { expectCode } from '../helpers/expect-code';

const t = useTestDatabase(24);
const CPU = 10_000;
const yuan = (n: number) => n * CPU;
let admin: SessionUser;
let ipSeq = 0;

beforeAll(async () => {
	overrideConfig({ PAYMENT_SANDBOX_SECRET: SANDBOX_SECRET, CREDITS_PER_UNIT: CPU, CURRENCY: 'CNY', SEED_DEMO: false });
	admin = await makeUser(t.db, { role: 'admin' });
});

/** Registers through the REST-equivalent procedure, as the sign-up form does, from its own address. */
async function register(invite?: string, email = uniqueEmail('invitee')) {
	const caller = callerFor(t.db, null, { jar: new CookieJar(), ip: `10.7.0.${++ipSeq}` });
	const { user } = await caller.auth.register({ email, password: 'test-pass-123', name: 'Invitee', ...(invite ? { invite } : {}) });
	return user as SessionUser;
}

async function inviterWithInvitee() {
	const inviter = await makeUser(t.db);
	const { code } = await inviterOf(t.db, inviter.id);
	const invitee = await register(code);
	return { inviter, invitee, code };
}

async function order(user: SessionUser, amount: string, enterpriseId?: number) {
	const view = await callerFor(t.db, user).recharge.createOrder({ amount, method: 'sandbox', ...(enterpriseId ? { enterprise_id: enterpriseId } : {}) });
	const [row] = await t.db.select().from(orders).where(eq(orders.publicId, view.id));
	return row;
}

async function clean() {
	const report = await verifyLedger(t.db);
	expect(report.drifts).toEqual([]);
	expect(report.violations).toEqual([]);
}

describe('invite links', () => {
	it('an account made through a link records its inviter once; the inviter sees it with the email masked', async () => {
		const { inviter, invitee } = await inviterWithInvitee();
		const [row] = await t.db.select().from(referrals).where(eq(referrals.inviteeId, invitee.id));
		expect(row.inviterId).toBe(inviter.id);
		const page = await callerFor(t.db, inviter).rebates.mine();
		expect(page.invitees).toHaveLength(1);
		expect(page.invitees[0].email).toBe(`${invitee.email.slice(0, 2)}***${invitee.email.slice(invitee.email.indexOf('@'))}`);
		expect(page.invitees[0].email).not.toBe(invitee.email);
		expect(page.rate_bp).toBe(500);
	});

	it('never oneself: not through the service, not in the table', async () => {
		const user = await makeUser(t.db);
		const { code } = await inviterOf(t.db, user.id);
		expect(await recordReferral(t.db, user.id, code)).toBeNull();
		expect(await t.db.select().from(referrals).where(eq(referrals.inviteeId, user.id))).toHaveLength(0);
		await expect(t.db.insert(referrals).values({ inviteeId: user.id, inviterId: user.id })).rejects.toThrow();
	});

	it('an invitee registering twice keeps the first inviter; the inviter cannot be changed later', async () => {
		const { inviter, invitee } = await inviterWithInvitee();
		const other = await makeUser(t.db);
		const { code: otherCode } = await inviterOf(t.db, other.id);
		await expectCode(register(otherCode, invitee.email), 'CONFLICT', 'email_taken');
		expect(await recordReferral(t.db, invitee.id, otherCode)).toBeNull();
		await expect(t.db.update(referrals).set({ inviterId: other.id }).where(eq(referrals.inviteeId, invitee.id))).rejects.toThrow();
		const rows = await t.db.select().from(referrals).where(eq(referrals.inviteeId, invitee.id));
		expect(rows.map((r) => r.inviterId)).toEqual([inviter.id]);
		expect((await callerFor(t.db, other).rebates.mine()).invitees).toHaveLength(0);
	});

	it('an unknown or malformed invite code does not stop the sign-up', async () => {
		const user = await register('nosuchcode1');
		expect(await t.db.select().from(referrals).where(eq(referrals.inviteeId, user.id))).toHaveLength(0);
		await expectCode(callerFor(t.db, null, { ip: '10.7.9.9' }).auth.register({ email: uniqueEmail(), password: 'test-pass-123', name: 'x', invite: 'BAD CODE!' }), 'BAD_REQUEST');
	});
});

describe('rebates', () => {
	it('5% of the amount paid (not the bonus), credited with the payment, exactly once under 10 parallel identical callbacks', async () => {
		const { inviter, invitee } = await inviterWithInvitee();
		const before = await balanceOfUser(t.db, inviter.id);
		const o = await order(invitee, '100');
		const outcomes = await Promise.all(Array.from({ length: 10 }, () => paySandbox(t.db, o)));
		expect(outcomes.filter((x) => x.result === 'credited')).toHaveLength(1);
		expect(outcomes.filter((x) => x.result === 'replay')).toHaveLength(9);
		expect((await balanceOfUser(t.db, inviter.id)) - before).toBe(yuan(5));
		const rows = await t.db.select().from(rebates).where(eq(rebates.orderId, o.id));
		expect(rows).toMatchObject([{ inviterId: inviter.id, inviteeId: invitee.id, paidAmount: yuan(100), rateBp: 500, amount: yuan(5), status: 'earned' }]);
		const [grant] = await t.db.select().from(creditGrants).where(eq(creditGrants.id, rows[0].grantId));
		expect(grant).toMatchObject({ source: 'rebate', original: yuan(5), expiresAt: null });
		const page = await callerFor(t.db, inviter).rebates.mine();
		expect(page).toMatchObject({ earned_credits: yuan(5), invitees: [{ paid_credits: yuan(100), rebate_credits: yuan(5) }] });
		await clean();
	});

	it('no rebate when the rate is 0, when the inviter is switched off, or for an enterprise wallet order', async () => {
		const { inviter, invitee } = await inviterWithInvitee();
		const before = await balanceOfUser(t.db, inviter.id);
		await callerFor(t.db, admin).rebates.updateSettings({ rate_bp: 0, per_invitee_cap_credits: null, monthly_cap_credits: null });
		await paySandbox(t.db, await order(invitee, '10'));
		await callerFor(t.db, admin).rebates.updateSettings({ rate_bp: 500, per_invitee_cap_credits: null, monthly_cap_credits: null });

		await callerFor(t.db, admin).rebates.setDisabled({ user_id: inviter.id, disabled: true });
		await paySandbox(t.db, await order(invitee, '20'));
		expect((await callerFor(t.db, admin).rebates.topInviters({})).find((r) => r.user_id === inviter.id)).toMatchObject({ invitees: 1, rebates_disabled: true });
		await callerFor(t.db, admin).rebates.setDisabled({ user_id: inviter.id, disabled: false });

		const enterprise = await createEnterprise(t.db, { name: 'Invitee Co', description: '', adminUserIds: [invitee.id] });
		await paySandbox(t.db, await order(invitee, '30', enterprise.id));
		expect(await balanceOfUser(t.db, inviter.id)).toBe(before);

		await paySandbox(t.db, await order(invitee, '40'));
		expect((await balanceOfUser(t.db, inviter.id)) - before).toBe(yuan(2));
		expect((await callerFor(t.db, admin).rebates.topInviters({})).find((r) => r.user_id === inviter.id)).toMatchObject({ rebate_credits: yuan(2), paid_credits: yuan(40) });
	});

	it('caps per invitee and per month', async () => {
		const { inviter, invitee } = await inviterWithInvitee();
		const second = await register((await inviterOf(t.db, inviter.id)).code);
		const before = await balanceOfUser(t.db, inviter.id);
		await saveRebateSettings(t.db, { rateBp: 1000, perInviteeCapCredits: yuan(15), monthlyCapCredits: yuan(25) }, admin.id);
		try {
			await paySandbox(t.db, await order(invitee, '100')); // 10
			await paySandbox(t.db, await order(invitee, '100')); // 5 more: invitee cap 15
			await paySandbox(t.db, await order(invitee, '100')); // nothing
			await paySandbox(t.db, await order(second, '200')); // 20, cut to the month's 10 left
			await paySandbox(t.db, await order(second, '10')); // nothing
			expect((await balanceOfUser(t.db, inviter.id)) - before).toBe(yuan(25));
			const amounts = (await t.db.select().from(rebates).where(eq(rebates.inviterId, inviter.id))).map((r) => r.amount);
			expect(amounts.sort((a, b) => a - b)).toEqual([yuan(5), yuan(10), yuan(10)]);
		} finally {
			await saveRebateSettings(t.db, { rateBp: 500, perInviteeCapCredits: null, monthlyCapCredits: null }, admin.id);
		}
	});

	it('a refund takes the rebate back from its grant; what the inviter already spent is written off, never arrears', async () => {
		const { inviter, invitee } = await inviterWithInvitee();
		const model = await makeModel(t.db);
		const o = await order(invitee, '200'); // rebate ¥10 = 100,000 credits
		await paySandbox(t.db, o);
		const [rebate] = await t.db.select().from(rebates).where(eq(rebates.orderId, o.id));
		expect(rebate.amount).toBe(yuan(10));
		// The inviter spends ¥3 of it: grants are spent before the regular balance.
		await settleUsage(t.db, [{ requestId: `rebate-spend-${process.pid}-${Date.now()}`, userId: inviter.id, model: model.code, inputTokens: 0, outputTokens: 0, cost: yuan(3) }]);
		const beforeRefund = await balanceOfUser(t.db, inviter.id);

		await refundOrder(t.db, admin.id, o.publicId, false);
		const [reversed] = await t.db.select().from(rebates).where(eq(rebates.id, rebate.id));
		expect(reversed).toMatchObject({ status: 'reversed', reclaimedAmount: yuan(7), writtenOffAmount: yuan(3) });
		expect(beforeRefund - (await balanceOfUser(t.db, inviter.id))).toBe(yuan(7));
		const [grant] = await t.db.select().from(creditGrants).where(eq(creditGrants.id, rebate.grantId));
		expect(grant.remaining).toBe(0);
		const entries = await t.db.select().from(ledgerEntries).where(eq(ledgerEntries.idempotencyKey, `rebate:order:${o.id}:reversal`));
		expect(entries).toMatchObject([{ kind: 'refund', amount: -yuan(7), grantId: rebate.grantId }]);
		expect(entries[0].memo).toContain('written off');
		const page = await callerFor(t.db, inviter).rebates.mine();
		expect(page).toMatchObject({ earned_credits: 0, reversed_credits: yuan(7), written_off_credits: yuan(3) });
		await expectCode(refundOrder(t.db, admin.id, o.publicId, false), 'BAD_REQUEST', 'order_not_refundable');
		await clean();
	});

	it('a rebate entirely spent is entirely written off; the inviter keeps their own money', async () => {
		const { inviter, invitee } = await inviterWithInvitee();
		const model = await makeModel(t.db);
		const o = await order(invitee, '20'); // ¥1
		await paySandbox(t.db, o);
		await settleUsage(t.db, [{ requestId: `rebate-all-${process.pid}-${Date.now()}`, userId: inviter.id, model: model.code, inputTokens: 0, outputTokens: 0, cost: yuan(1) }]);
		const before = await balanceOfUser(t.db, inviter.id);
		await refundOrder(t.db, admin.id, o.publicId, false);
		expect(await balanceOfUser(t.db, inviter.id)).toBe(before);
		const [row] = await t.db.select().from(rebates).where(eq(rebates.orderId, o.id));
		expect(row).toMatchObject({ status: 'reversed', reclaimedAmount: 0, writtenOffAmount: yuan(1) });
		const [{ n }] = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from ledger_entries where idempotency_key = ${`rebate:order:${o.id}:reversal`}`);
		expect(n).toBe(0);
		await clean();
	});
});

describe('demo data', () => {
	it('seeds a code batch with a code anyone may redeem once, and Alice with an invitee whose ¥50 earned her a rebate', async () => {
		const demoUsers = await seedAccounts(t.db);
		await seedGrowth(t.db, demoUsers);
		const alice = demoUsers['alice@tally.local'];
		const page = await callerFor(t.db, { id: alice, email: 'alice@tally.local', name: 'Alice', role: 'user', locale: 'zh-CN' }).rebates.mine();
		expect(page).toMatchObject({ earned_credits: yuan(2.5), invitees: [{ email: 'da***@tally.local', paid_credits: yuan(50), rebate_credits: yuan(2.5) }] });
		const bob = demoUsers['bob@tally.local'];
		expect(await redeemCode(t.db, bob, DEMO_CODE.toLowerCase(), '10.7.8.1')).toMatchObject({ credits: yuan(5) });
		await clean();
	});
});
