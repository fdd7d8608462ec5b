import { beforeAll, describe, expect, it } from 'vitest';
import { overrideConfig } from '../../src/lib/server/config';
import { createEnterprise } from '../../src/lib/server/enterprises/enterprises';
import { useTestDatabase } from '../helpers/db';
import { callerFor, makeUser } from '../helpers/callers';
import { expectCode } from '../helpers/expect-code';

const t = useTestDatabase();
beforeAll(() => overrideConfig({ PAYMENT_SANDBOX_SECRET: 'enterprise-page-secret-0123456789', CREDITS_PER_UNIT: 10_000, CURRENCY: 'CNY' }));

describe('recharge page for an enterprise wallet', () => {
	it('offers the enterprises a user administers, shows no bonus tags there, and refuses others', async () => {
		const admin = await makeUser(t.db);
		const outsider = await makeUser(t.db);
		const enterprise = await createEnterprise(t.db, { name: 'Acme', description: '', adminUserIds: [admin.id] });

		const own = await callerFor(t.db, admin).recharge.page();
		expect(own.target).toBeNull();
		expect(own.fundable).toEqual([{ id: enterprise.id, name: 'Acme' }]);
		expect(own.tiers.every((tier) => tier.eligible)).toBe(true);
		expect(own.balanceCredits).toBe(1_000_000);

		const forEnterprise = await callerFor(t.db, admin).recharge.page({ enterprise_id: enterprise.id });
		expect(forEnterprise.target).toEqual({ enterpriseId: enterprise.id, name: 'Acme' });
		expect(forEnterprise.tiers.some((tier) => tier.eligible)).toBe(false);
		expect(forEnterprise.balanceCredits).toBe(0);

		expect((await callerFor(t.db, outsider).recharge.page()).fundable).toEqual([]);
		await expectCode(callerFor(t.db, outsider).recharge.page({ enterprise_id: enterprise.id }), 'FORBIDDEN');
		await expectCode(callerFor(t.db, admin).recharge.page({ enterprise_id: 999_999 }), 'NOT_FOUND');
	});
});
