import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { overrideConfig } from '../../src/lib/server/config';
import { enterpriseSpendThisMonth, setMemberLimit } from '../../src/lib/server/enterprises/limits';
import { postEntry } from '../../src/lib/server/ledger/post';
import { enterpriseWalletId } from '../../src/lib/server/ledger/wallets';
import { settleUsage } from '../../src/lib/server/usage/settle';
import type { SessionUser } from '../../src/lib/server/auth/identity';
import { useTestDatabase } from '../helpers/db';
import { callerFor, makeUser } from '../helpers/callers';

const t = useTestDatabase();
let seq = 0;
const nextId = (p: string) => `${p}-${process.pid}-${seq++}`;
let platform: SessionUser;

beforeAll(async () => {
	overrideConfig({ LOG_SETTLEMENTS: false, USAGE_SETTLE_MODE: 'batch' });
	platform = await makeUser(t.db, { role: 'admin' });
});

async function enterpriseWithMembers(members: number) {
	const admin = callerFor(t.db, platform);
	const enterprise = await admin.enterprises.create({ name: nextId('month'), description: '' });
	const walletId = await enterpriseWalletId(t.db, enterprise.id);
	await postEntry(t.db, { walletId, amount: 10_000_000, kind: 'adjustment', idempotencyKey: nextId('fund') });
	const users: number[] = [];
	for (let i = 0; i < members; i++) {
		const user = await makeUser(t.db);
		await admin.enterprises.addUser({ group_id: enterprise.id, user_id: user.id });
		users.push(user.id);
	}
	return { enterpriseId: enterprise.id, users };
}

/** The month's spend as a sum over every usage record (what the roll-ups must equal). */
async function spendFromRecords(userIds: number[], at: Date): Promise<Map<string, number>> {
	const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1)).toISOString();
	const end = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1)).toISOString();
	const rows = await t.db.execute<{ user_id: number; enterprise_id: number; spent: string }>(sql`
		select u.user_id, w.enterprise_id, sum(u.cost) as spent from usage_records u join wallets w on w.id = u.wallet_id
		where u.user_id in (select jsonb_array_elements_text(${JSON.stringify(userIds)}::jsonb)::int)
			and w.enterprise_id is not null and u.occurred_at >= ${start} and u.occurred_at < ${end}
		group by u.user_id, w.enterprise_id`);
	return new Map(rows.map((r) => [`${r.user_id}:${r.enterprise_id}`, Number(r.spent)]));
}

const MONTH = Date.UTC(2026, 10, 1); // 2026-11-01T00:00:00Z
const DAY = 86_400_000;

describe("a member's month-to-date enterprise spend", () => {
	it('equals the sum over the usage records, for events on both sides of the UTC month boundaries', async () => {
		const { users } = await enterpriseWithMembers(3);
		// Offsets around the start of November and the start of December, to the millisecond.
		const offset = fc.oneof(
			fc.integer({ min: -2 * DAY, max: 2 * DAY }),
			fc.integer({ min: 30 * DAY - 2 * DAY, max: 30 * DAY + 2 * DAY }),
			fc.constantFrom(-1, 0, 30 * DAY - 1, 30 * DAY)
		);
		const event = fc.record({ user: fc.constantFrom(...users), cost: fc.integer({ min: 0, max: 5_000 }), offset });
		await fc.assert(
			fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 25 }), fc.constantFrom(-1, 0, 15 * DAY, 30 * DAY - 1, 30 * DAY), async (events, atOffset) => {
				const results = await settleUsage(
					t.db,
					events.map((e) => ({ requestId: nextId('m'), userId: e.user, model: 'workflow-step', cost: e.cost, occurredAt: new Date(MONTH + e.offset) })),
					{ now: new Date(MONTH + 40 * DAY), log: false }
				);
				expect(results.every((r) => r.status === 'settled')).toBe(true);
				const at = new Date(MONTH + atOffset);
				expect(await enterpriseSpendThisMonth(t.db, users, at)).toEqual(await spendFromRecords(users, at));
			}),
			{ numRuns: 15 }
		);
	});

	it('holds the monthly limit across the month boundary: last month does not count against this one', async () => {
		const { enterpriseId, users } = await enterpriseWithMembers(1);
		const [member] = users;
		await setMemberLimit(t.db, enterpriseId, member, 1_000);
		const lastMonth = new Date(MONTH - 1);
		const thisMonth = new Date(MONTH);
		const settle = (cost: number, occurredAt: Date) => settleUsage(t.db, [{ requestId: nextId('lim'), userId: member, model: 'workflow-step', cost, occurredAt }], { now: occurredAt, log: false });
		expect((await settle(900, lastMonth))[0].enterprise_id).toBe(enterpriseId);
		expect((await settle(900, thisMonth))[0].enterprise_id).toBe(enterpriseId);
		// 900 spent this month: 200 more is over the limit of 1,000, so the member's own wallet pays.
		expect((await settle(200, thisMonth))[0].enterprise_id).toBeNull();
		expect((await settle(100, thisMonth))[0].enterprise_id).toBe(enterpriseId);
	});
});
