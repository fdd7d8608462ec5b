import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../db/client';
import { config } from '../config';
import { allowanceBalances } from '../ledger/allowances';
import { userWalletId } from '../ledger/wallets';
import { periodAt } from './calendar';

export const allowanceSummaryOutput = z.object({
	allowances: z
		.array(z.object({ unit: z.enum(['credits', 'tokens', 'images']), remaining: z.number().int(), original: z.number().int() }))
		.describe('grants usable now by unit (plan periods, packages, admin grants); tokens and images are used before the balance, credits are part of token_balance'),
	allowance_resets_at: z.date().nullable().describe("the next plan reset (the 1st, 00:00 in BILLING_TIMEZONE); null without an active plan")
});

/** What the caller's own wallet has left in grants per unit, and when the plan next resets (for /token-usage/balance and /summary). */
export async function allowanceSummary(db: DbOrTx, userId: number, now = new Date()): Promise<z.infer<typeof allowanceSummaryOutput>> {
	const walletId = await userWalletId(db, userId);
	const allowances = await allowanceBalances(db, walletId, now);
	const subs = await db.execute<{ started_at: Date | string; paid_through: Date | string }>(sql`
		select started_at, paid_through from subscriptions where user_id = ${userId} and status = 'active' and paid_through > ${now.toISOString()}`);
	let resetsAt: Date | null = null;
	for (const s of subs) {
		const paidThrough = new Date(s.paid_through);
		const period = periodAt({ startedAt: new Date(s.started_at), paidThrough }, now, config().BILLING_TIMEZONE);
		if (period && period.end.getTime() < paidThrough.getTime() && (resetsAt === null || period.end < resetsAt)) resetsAt = period.end;
	}
	return { allowances: allowances.map((a) => ({ unit: a.unit, remaining: a.remaining, original: a.original })), allowance_resets_at: resetsAt };
}
