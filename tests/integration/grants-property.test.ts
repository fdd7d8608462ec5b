import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { overrideConfig } from '../../src/lib/server/config';
import { burnDownOrder, type GrantState } from '../../src/lib/server/ledger/burn-down';
import { issueGrant } from '../../src/lib/server/ledger/grants';
import { verifyLedger } from '../../src/lib/server/ledger/verify';
import { userWalletId } from '../../src/lib/server/ledger/wallets';
import { settleBatchInTransaction } from '../../src/lib/server/usage/settle-batch';
import { useTestDatabase } from '../helpers/db';
import { makeUser } from '../helpers/callers';
import { makeModel } from '../helpers/usage';

const t = useTestDatabase();
beforeAll(() => overrideConfig({ LOG_SETTLEMENTS: false, WELCOME_CREDITS: 200, CREDIT_LIMIT: 0 }));

const HOUR = 3_600_000;
const grantArb = fc.record({
	amount: fc.integer({ min: 1, max: 300 }),
	priority: fc.integer({ min: 0, max: 2 }),
	/** Hours from now: negative = already expired, null = never. */
	expiresIn: fc.option(fc.integer({ min: -2, max: 6 }).filter((h) => h !== 0), { nil: null }),
	notYetEffective: fc.boolean(),
	unit: fc.constantFrom('credits', 'credits', 'credits', 'tokens')
});
const scenarioArb = fc.record({
	grants: fc.array(grantArb, { maxLength: 6 }),
	batches: fc.array(fc.array(fc.integer({ min: 0, max: 120 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 })
});

type Row = { id: string; unit: string; remaining: string; priority: number; effective_from: Date; expires_at: Date | null };

let run = 0;

describe('burn-down (property)', () => {
	it('random grants and events: consumption follows the order, no grant below zero, balance = sum of entries, ledger verify clean', async () => {
		const model = await makeModel(t.db);
		await fc.assert(
			fc.asyncProperty(scenarioArb, async ({ grants, batches }) => {
				const user = await makeUser(t.db);
				const walletId = await userWalletId(t.db, user.id);
				const now = Date.now();
				for (const [i, g] of grants.entries()) {
					const expiresAt = g.expiresIn === null ? null : new Date(now + g.expiresIn * HOUR);
					const effectiveFrom = g.notYetEffective && (expiresAt === null || expiresAt.getTime() > now + HOUR) ? new Date(now + HOUR / 2) : new Date(now - 4 * HOUR);
					if (g.unit === 'credits') {
						await t.db.transaction((tx) =>
							issueGrant(tx, { walletId, source: 'package', amount: g.amount, priority: g.priority, expiresAt, effectiveFrom, idempotencyKey: `p-${process.pid}-${run}-${i}` })
						);
					} else {
						// A token allowance (the plans issue spends them): a credit charge never touches it.
						await t.db.execute(sql`insert into credit_grants (wallet_id, source, unit, original, remaining, priority, effective_from, expires_at)
							values (${walletId}, 'plan_allowance', 'tokens', ${g.amount}, ${g.amount}, ${g.priority}, ${effectiveFrom.toISOString()}, ${expiresAt?.toISOString() ?? null})`);
					}
				}
				run++;
				const read = async () =>
					(await t.db.execute<Row>(sql`select id, unit, remaining, priority, effective_from, expires_at from credit_grants where wallet_id = ${walletId} order by id`)).map(
						(r): GrantState => ({
							id: Number(r.id),
							walletId,
							unit: r.unit as GrantState['unit'],
							remaining: Number(r.remaining),
							priority: r.priority,
							effectiveFrom: new Date(r.effective_from),
							expiresAt: r.expires_at === null ? null : new Date(r.expires_at)
						})
					);
				let expectedBalance = 200 + grants.filter((g) => g.unit === 'credits').reduce((s, g) => s + g.amount, 0);
				for (const [b, costs] of batches.entries()) {
					const before = await read();
					const at = new Date();
					const events = costs.map((cost, i) => ({
						requestId: `p-${process.pid}-${run}-${b}-${i}`,
						userId: user.id,
						apiKeyId: null,
						model: model.code,
						inputTokens: 0,
						outputTokens: 0,
						cost,
						occurredAt: at,
						metadata: null,
						payloadHash: 'h'
					}));
					const outcomes = await settleBatchInTransaction(t.db, events, at);
					const after = await read();
					const spent = costs.reduce((s, c) => s + c, 0);
					expectedBalance -= spent;
					const fromGrants = outcomes.reduce((s, o) => s + ('subscriptionUsed' in o ? o.subscriptionUsed : 0), 0);
					const usable = (g: GrantState) => g.unit === 'credits' && g.remaining > 0 && g.effectiveFrom <= at && (g.expiresAt === null || g.expiresAt > at);
					const order = before.filter(usable).sort(burnDownOrder);
					const taken = order.map((g) => g.remaining - after.find((a) => a.id === g.id)!.remaining);
					// Never below zero, and unusable grants (expired, not yet effective, other units) are untouched.
					for (const g of after) expect(g.remaining).toBeGreaterThanOrEqual(0);
					for (const g of before.filter((g) => !usable(g))) expect(after.find((a) => a.id === g.id)!.remaining).toBe(g.remaining);
					// In order: a grant is touched only when every grant before it is used up.
					const lastTouched = taken.findLastIndex((x) => x > 0);
					for (let i = 0; i < lastTouched; i++) expect(after.find((a) => a.id === order[i].id)!.remaining).toBe(0);
					expect(taken.reduce((s, x) => s + x, 0)).toBe(fromGrants);
					expect(fromGrants).toBe(Math.min(spent, order.reduce((s, g) => s + g.remaining, 0)));
				}
				const [w] = await t.db.execute<{ balance: string; total: string }>(sql`
					select balance, (select coalesce(sum(amount), 0) from ledger_entries where wallet_id = ${walletId}) as total from wallets where id = ${walletId}`);
				expect(Number(w.balance)).toBe(expectedBalance);
				expect(Number(w.total)).toBe(expectedBalance);
			}),
			{ numRuns: 40, endOnFailure: true }
		);
		const report = await verifyLedger(t.db);
		expect(report.drifts).toEqual([]);
		expect(report.violations).toEqual([]);
		expect(report.orphanUsage).toBe(0);
	}, 120_000);
});
