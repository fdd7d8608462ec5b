import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { config, overrideConfig } from '../../src/lib/server/config';
import { issueGrant } from '../../src/lib/server/ledger/grants';
import { fundsOf } from '../../src/lib/server/ledger/holds';
import { verifyLedger } from '../../src/lib/server/ledger/verify';
import { reserveCredit } from '../../src/lib/server/usage/authorize';
import { choosePayer, payerOptions } from '../../src/lib/server/usage/payer-chain';
import { settleUsage } from '../../src/lib/server/usage/settle';
import { useTestDatabase } from '../helpers/db';
import { makeChain, membershipsArb } from '../helpers/payer-chains';
import { makeUser } from '../helpers/callers';
import { makeModel } from '../helpers/usage';

const t = useTestDatabase();
beforeAll(() => overrideConfig({ LOG_SETTLEMENTS: false, WELCOME_CREDITS: 0, CREDIT_LIMIT: 50 }));

const HOUR = 3_600_000;

/** What a reserve should answer, as TypeScript states the chain (payer-chain.ts choosePayer over holds.ts fundsOf). */
async function expectedAnswer(userId: number, estimate: number, at: Date) {
	const options = (await payerOptions(t.db, [userId], at)).get(userId) ?? [];
	const funds = await fundsOf(t.db, [...new Set(options.map((o) => o.walletId))], at);
	const availableOf = (id: number) => funds.get(id)?.available ?? 0;
	const payer = choosePayer(options, estimate, availableOf);
	const before = availableOf(payer.walletId);
	const allowed = payer.enterpriseId !== null || before + config().CREDIT_LIMIT >= estimate;
	return { allowed, payer: { wallet_id: payer.walletId, enterprise_id: payer.enterpriseId }, available: allowed ? before - estimate : before };
}

const scenarioArb = fc.record({
	enterpriseBalances: fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 3, maxLength: 3 }),
	ownBalances: fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 2, maxLength: 2 }),
	memberships: membershipsArb(2),
	/** Credit grants not usable now (not yet effective, or expired): they do not count as available. */
	unusableGrants: fc.array(fc.record({ wallet: fc.nat(4), amount: fc.integer({ min: 1, max: 200 }), expired: fc.boolean() }), { maxLength: 3 }),
	/** Spent this month by a member through an enterprise (settled usage, counted against the limit). */
	spends: fc.array(fc.record({ user: fc.nat(1), cost: fc.integer({ min: 1, max: 150 }) }), { maxLength: 2 }),
	reserves: fc.array(fc.record({ user: fc.nat(1), estimate: fc.integer({ min: 1, max: 400 }) }), { minLength: 1, maxLength: 8 })
});

let run = 0;

describe('reserve_holds chooses as the TypeScript payer chain does (property)', () => {
	it('random chains (priorities, limits and spend, suspended members, unusable grants, earlier holds): same answer, payer and available per reserve', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const gateway = await makeUser(t.db);
		const model = await makeModel(t.db);
		await fc.assert(
			fc.asyncProperty(scenarioArb, async (s) => {
				const tag = `${process.pid}-${run++}`;
				const now = new Date();
				const { users, wallets } = await makeChain(t.db, admin.id, tag, s);
				for (const [i, g] of s.unusableGrants.entries()) {
					const expiresAt = g.expired ? new Date(now.getTime() - HOUR) : null;
					const effectiveFrom = g.expired ? new Date(now.getTime() - 2 * HOUR) : new Date(now.getTime() + HOUR);
					await t.db.transaction((tx) =>
						issueGrant(tx, { walletId: wallets[g.wallet], source: 'package', amount: g.amount, expiresAt, effectiveFrom, idempotencyKey: `reserve-${tag}-g${i}` })
					);
				}
				for (const [i, spend] of s.spends.entries()) {
					await settleUsage(t.db, [{ requestId: `reserve-${tag}-spend-${i}`, userId: users[spend.user].id, model: model.code, inputTokens: 0, outputTokens: 0, cost: spend.cost }], { now });
				}
				for (const [i, r] of s.reserves.entries()) {
					const userId = users[r.user].id;
					const expected = await expectedAnswer(userId, r.estimate, now);
					const answer = await reserveCredit(t.db, { userId, model: model.code, estimatedCost: r.estimate, requestId: `reserve-${tag}-r${i}`, ttlSeconds: 600, placedBy: gateway.id, apiKeyId: null }, now);
					expect({ allowed: answer.allowed, payer: answer.payer, available: answer.available }).toEqual(expected);
				}
			}),
			{ numRuns: 15 }
		);
		const report = await verifyLedger(t.db);
		expect(report.drifts).toEqual([]);
		expect(report.violations).toEqual([]);
	}, 120_000);
});
