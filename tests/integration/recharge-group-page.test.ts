import { beforeAll, describe, expect, it } from 'vitest';
import { overrideConfig } from '../../src/lib/server/config';
import { createGroup } from '../../src/lib/server/groups/groups';
import { useTestDatabase } from '../helpers/db';
import { callerFor, makeUser } from '../helpers/callers';
import { expectCode } from '../helpers/expect-code';

const t = useTestDatabase();
beforeAll(() => overrideConfig({ PAYMENT_SANDBOX_SECRET: 'group-page-secret-0123456789', CREDITS_PER_UNIT: 10_000, CURRENCY: 'CNY' }));

describe('recharge page for an enterprise wallet', () => {
	it('offers the groups a user administers, shows no bonus tags there, and refuses others', async () => {
		const admin = await makeUser(t.db);
		const outsider = await makeUser(t.db);
		const group = await createGroup(t.db, { name: 'Acme', description: '', adminUserIds: [admin.id] });

		const own = await callerFor(t.db, admin).recharge.page();
		expect(own.target).toBeNull();
		expect(own.fundable).toEqual([{ id: group.id, name: 'Acme' }]);
		expect(own.tiers.every((tier) => tier.eligible)).toBe(true);
		expect(own.balanceCredits).toBe(1_000_000);

		const forGroup = await callerFor(t.db, admin).recharge.page({ group_id: group.id });
		expect(forGroup.target).toEqual({ groupId: group.id, name: 'Acme' });
		expect(forGroup.tiers.some((tier) => tier.eligible)).toBe(false);
		expect(forGroup.balanceCredits).toBe(0);

		expect((await callerFor(t.db, outsider).recharge.page()).fundable).toEqual([]);
		await expectCode(callerFor(t.db, outsider).recharge.page({ group_id: group.id }), 'FORBIDDEN');
		await expectCode(callerFor(t.db, admin).recharge.page({ group_id: 999_999 }), 'NOT_FOUND');
	});
});
