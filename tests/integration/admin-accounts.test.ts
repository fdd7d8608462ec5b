import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { ledgerEntries, orders, sessions } from '../../src/lib/server/db/schema';
import { overrideConfig } from '../../src/lib/server/config';
import { createSession, generateSessionToken, validateSessionToken } from '../../src/lib/server/auth/session';
import { createApiKey, validateApiKey } from '../../src/lib/server/auth/api-keys';
import type { SessionUser } from '../../src/lib/server/auth/identity';
import { useTestDatabase } from '../helpers/db';
import { callerFor, keyCallerFor, makeUser } from '../helpers/callers';
import { paySandbox, SANDBOX_SECRET } from '../helpers/recharge';
import { expectCode } from '../helpers/expect-code';

const t = useTestDatabase();
beforeAll(() => overrideConfig({ PAYMENT_SANDBOX_SECRET: SANDBOX_SECRET, CREDITS_PER_UNIT: 10_000, CURRENCY: 'CNY', SEED_DEMO: false }));

async function paidOrder(user: SessionUser, amount: string) {
	const view = await callerFor(t.db, user).recharge.createOrder({ amount, method: 'sandbox' });
	const [row] = await t.db.select().from(orders).where(eq(orders.publicId, view.id));
	await paySandbox(t.db, row);
	return row;
}

describe('role changes', () => {
	it('an admin cannot change their own role, by session or by key', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		await expectCode(callerFor(t.db, admin).admin.setRole({ userId: admin.id, role: 'user' }), 'BAD_REQUEST', 'cannot_demote_self');
		const { caller } = await keyCallerFor(t.db, admin, ['admin']);
		await expectCode(caller.admin.setRole({ userId: admin.id, role: 'user' }), 'BAD_REQUEST', 'cannot_demote_self');
		expect((await callerFor(t.db, admin).admin.user({ userId: admin.id })).role).toBe('admin');

		const other = await makeUser(t.db);
		expect((await callerFor(t.db, admin).admin.setRole({ userId: other.id, role: 'admin' })).role).toBe('admin');
	});
});

describe('disabling an account', () => {
	it('refuses sign-in, ends its sessions and stops its API keys; enabling restores sign-in and keys', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const user = await makeUser(t.db);
		const token = generateSessionToken();
		await createSession(t.db, token, user.id);
		const key = await createApiKey(t.db, user.id, { name: 'k', scopes: ['usage:read'] });
		expect(await validateApiKey(t.db, key.key)).not.toBeNull();

		const disabled = await callerFor(t.db, admin).admin.setDisabled({ userId: user.id, disabled: true });
		expect(disabled.disabledAt).toBeInstanceOf(Date);
		expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
		expect(await validateSessionToken(t.db, token)).toBeNull();
		expect(await validateApiKey(t.db, key.key)).toBeNull();
		await expectCode(callerFor(t.db, null, { ip: '10.9.0.1' }).auth.login({ email: user.email, password: 'test-pass-123' }), 'FORBIDDEN', 'account_disabled');
		// A wrong password still says only that the credentials are wrong.
		await expectCode(callerFor(t.db, null, { ip: '10.9.0.2' }).auth.login({ email: user.email, password: 'wrong-pass-1' }), 'UNAUTHORIZED', 'invalid_credentials');
		expect((await callerFor(t.db, admin).admin.users({ search: user.email }))[0].disabledAt).not.toBeNull();

		await callerFor(t.db, admin).admin.setDisabled({ userId: user.id, disabled: false });
		expect(await validateApiKey(t.db, key.key)).not.toBeNull();
		const signedIn = await callerFor(t.db, null, { ip: '10.9.0.3' }).auth.login({ email: user.email, password: 'test-pass-123' });
		expect(signedIn.user.id).toBe(user.id);
	});

	it('never on oneself, and only by an admin', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const user = await makeUser(t.db);
		await expectCode(callerFor(t.db, admin).admin.setDisabled({ userId: admin.id, disabled: true }), 'BAD_REQUEST', 'cannot_disable_self');
		await expectCode(callerFor(t.db, user).admin.setDisabled({ userId: admin.id, disabled: true }), 'FORBIDDEN');
		await expectCode(callerFor(t.db, admin).admin.setDisabled({ userId: 2_000_000_000, disabled: true }), 'NOT_FOUND', 'user_not_found');
		expect((await callerFor(t.db, admin).admin.user({ userId: admin.id })).disabledAt).toBeNull();
	});
});

describe('refunds and order filters', () => {
	it('keeps the refund reason on the order and in the entries', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const user = await makeUser(t.db);
		const order = await paidOrder(user, '10');
		const refunded = await callerFor(t.db, admin).recharge.admin.refund({ id: order.publicId, reason: 'charged twice' });
		expect(refunded.refund_reason).toBe('charged twice');
		const entries = await t.db.select().from(ledgerEntries).where(and(eq(ledgerEntries.reference, `order:${order.id}`), eq(ledgerEntries.kind, 'refund')));
		expect(entries.length).toBeGreaterThan(0);
		for (const e of entries) expect(e.memo).toContain('charged twice');
		await expect(callerFor(t.db, admin).recharge.admin.refund({ id: order.publicId, reason: '  ' })).rejects.toThrow();
	});

	it('filters every order by user, status and creation time for an admin', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const [a, b] = [await makeUser(t.db), await makeUser(t.db)];
		const paid = await paidOrder(a, '10');
		const pending = await callerFor(t.db, a).recharge.createOrder({ amount: '50', method: 'sandbox' });
		await paidOrder(b, '10');
		const caller = callerFor(t.db, admin);
		const ofA = await caller.recharge.orders({ all: true, user_id: a.id });
		expect(ofA.map((o) => o.id).sort()).toEqual([paid.publicId, pending.id].sort());
		expect((await caller.recharge.orders({ all: true, user_id: a.id, status: 'paid' })).map((o) => o.id)).toEqual([paid.publicId]);
		const future = new Date(Date.now() + 3_600_000).toISOString();
		expect(await caller.recharge.orders({ all: true, user_id: a.id, from: future })).toEqual([]);
		expect(await caller.recharge.orders({ all: true, user_id: a.id, to: paid.createdAt.toISOString() })).toEqual([]);
		// A user's user_id filter cannot reach someone else's orders.
		expect((await callerFor(t.db, b).recharge.orders({ all: true, user_id: a.id })).every((o) => o.id !== paid.publicId)).toBe(true);
	});
});
