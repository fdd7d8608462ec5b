import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { overrideConfig } from '../../src/lib/server/config';
import { allowancesOf } from '../../src/lib/server/ledger/allowances';
import { grantPart, planSpend, spendableBalance } from '../../src/lib/server/ledger/burn-down';
import { grantsOf, issueGrant } from '../../src/lib/server/ledger/grants';
import { verifyLedger } from '../../src/lib/server/ledger/verify';
import { coverEvent } from '../../src/lib/server/usage/allowance-cover';
import { choosePayer, payerOptions } from '../../src/lib/server/usage/payer-chain';
import { usageCost, type ModelPrice } from '../../src/lib/server/usage/price';
import { settleBatchInTransaction, type PricedEvent } from '../../src/lib/server/usage/settle-batch';
import { useTestDatabase } from '../helpers/db';
import { makeChain, membershipsArb } from '../helpers/payer-chains';
import { makeUser } from '../helpers/callers';
import { makeModel } from '../helpers/usage';

const t = useTestDatabase();
beforeAll(() => overrideConfig({ LOG_SETTLEMENTS: false, WELCOME_CREDITS: 0, CREDIT_LIMIT: 0 }));

const HOUR = 3_600_000;
const PRICE: ModelPrice = { inputPrice: 2_000_000, outputPrice: 3_000_000, imagePrice: 7, minCharge: 0 };

interface Expected {
	payerWalletId: number;
	enterpriseId: number | null;
	balanceAfter: number;
	subscriptionUsed: number;
}

/**
 * The payer chain as TypeScript states it (payer-chain.ts choosePayer, burn-down.ts planSpend,
 * allowance-cover.ts coverEvent), run over the same state settle_usage reads: what each event of a
 * batch should answer.
 */
async function expectedOutcomes(events: PricedEvent[], at: Date): Promise<Expected[]> {
	const userIds = [...new Set(events.map((e) => e.userId))];
	const options = await payerOptions(t.db, userIds, at);
	const walletIds = [...new Set([...options.values()].flat().map((o) => o.walletId))];
	const rows = await t.db.execute<{ id: number; balance: string }>(sql`
		select id, balance from wallets where id in (select jsonb_array_elements_text(${JSON.stringify(walletIds)}::jsonb)::int)`);
	const balances = new Map(rows.map((r) => [r.id, Number(r.balance)]));
	const grants = await grantsOf(t.db, walletIds);
	const allowances = await allowancesOf(t.db, walletIds);
	const limitsUsed = new Map<string, number>();
	return events.map((event) => {
		const userOptions = (options.get(event.userId) ?? []).map((o) => ({
			...o,
			limitLeft: o.limitLeft === null ? null : o.limitLeft - (limitsUsed.get(`${event.userId}:${o.walletId}`) ?? 0)
		}));
		const walletOrder = [userOptions[userOptions.length - 1].walletId, ...userOptions.slice(0, -1).map((o) => o.walletId)];
		const { toPay } = coverEvent(event, walletOrder, allowances, at);
		const spendableOf = (id: number) => spendableBalance(balances.get(id) ?? 0, grants.get(id) ?? [], at);
		const payer = toPay === 0 ? userOptions[userOptions.length - 1] : choosePayer(userOptions, toPay, spendableOf);
		const parts = planSpend(grants.get(payer.walletId) ?? [], toPay, at);
		const balanceAfter = balances.get(payer.walletId)! - toPay;
		balances.set(payer.walletId, balanceAfter);
		const key = `${event.userId}:${payer.walletId}`;
		limitsUsed.set(key, (limitsUsed.get(key) ?? 0) + toPay);
		return { payerWalletId: payer.walletId, enterpriseId: payer.enterpriseId, balanceAfter, subscriptionUsed: event.cost - toPay + grantPart(parts) };
	});
}

const grantArb = fc.record({
	wallet: fc.nat(5),
	unit: fc.constantFrom('credits', 'credits', 'tokens', 'images'),
	amount: fc.integer({ min: 1, max: 300 }),
	priority: fc.integer({ min: 0, max: 2 }),
	/** Hours from now: negative = already expired, null = never. */
	expiresIn: fc.option(fc.constantFrom(-2, 3, 6), { nil: null }),
	notYetEffective: fc.boolean()
});
const eventArb = fc.record({
	user: fc.nat(2),
	explicit: fc.boolean(),
	cost: fc.integer({ min: 0, max: 200 }),
	inputTokens: fc.nat(40),
	outputTokens: fc.nat(40),
	images: fc.constantFrom(0, 0, 1, 3)
});
const scenarioArb = fc.record({
	enterpriseBalances: fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 3, maxLength: 3 }),
	ownBalances: fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 3, maxLength: 3 }),
	memberships: membershipsArb(3),
	grants: fc.array(grantArb, { maxLength: 6 }),
	batches: fc.array(fc.array(eventArb, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 3 })
});

let run = 0;

describe('settle_usage chooses as the TypeScript payer chain does (property)', () => {
	it('random chains (priorities, limits, suspended members, grants, allowances): same payer, enterprise, balance and subscription use per event', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const model = await makeModel(t.db);
		await fc.assert(
			fc.asyncProperty(scenarioArb, async (s) => {
				const tag = `${process.pid}-${run++}`;
				const at = new Date();
				const { users, wallets } = await makeChain(t.db, admin.id, tag, s);
				for (const [i, g] of s.grants.entries()) {
					const expiresAt = g.expiresIn === null ? null : new Date(at.getTime() + g.expiresIn * HOUR);
					const effectiveFrom = g.notYetEffective && (expiresAt === null || expiresAt.getTime() > at.getTime() + HOUR) ? new Date(at.getTime() + HOUR / 2) : new Date(at.getTime() - 4 * HOUR);
					await t.db.transaction((tx) =>
						issueGrant(tx, { walletId: wallets[g.wallet], source: 'package', unit: g.unit, amount: g.amount, priority: g.priority, expiresAt, effectiveFrom, idempotencyKey: `chain-${tag}-g${i}` })
					);
				}
				for (const [b, batch] of s.batches.entries()) {
					const events: PricedEvent[] = batch.map((e, i) => ({
						requestId: `chain-${tag}-${b}-${i}`,
						userId: users[e.user].id,
						apiKeyId: null,
						model: model.code,
						inputTokens: e.explicit ? 0 : e.inputTokens,
						outputTokens: e.explicit ? 0 : e.outputTokens,
						images: e.explicit ? 0 : e.images,
						price: e.explicit ? null : PRICE,
						cost: e.explicit ? e.cost : usageCost({ inputTokens: e.inputTokens, outputTokens: e.outputTokens, images: e.images }, PRICE),
						occurredAt: at,
						metadata: null,
						payloadHash: `h-${tag}-${b}-${i}`
					}));
					const expected = await expectedOutcomes(events, at);
					const actual = await settleBatchInTransaction(t.db, events, at);
					expect(actual.map((o) => (o.status === 'settled' ? { payerWalletId: o.payerWalletId, enterpriseId: o.enterpriseId, balanceAfter: o.balanceAfter, subscriptionUsed: o.subscriptionUsed } : o))).toEqual(expected);
				}
			}),
			{ numRuns: 15 }
		);
		const report = await verifyLedger(t.db);
		expect(report.drifts).toEqual([]);
		expect(report.violations).toEqual([]);
	});
});
