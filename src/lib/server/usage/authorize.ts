import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { users } from '../db/schema';
import { config } from '../config';
import { fundsOf } from '../ledger/holds';
import { activePriceAt } from './models';
import { choosePayer, payerOptions } from './payer-chain';
import { tokenCost } from './price';

export interface AuthorizeRequest {
	userId: number;
	model: string;
	estimatedInputTokens?: number;
	maxOutputTokens?: number;
	/** Credits, instead of pricing the token estimates. */
	estimatedCost?: number;
}

export type AuthorizeReason = 'ok' | 'in_arrears' | 'unknown_user' | 'model_not_priced';

export interface AuthorizeAnswer {
	allowed: boolean;
	reason: AuthorizeReason;
	/** The wallet that would pay for the estimate now; null when the request cannot be priced. */
	payer: { wallet_id: number; enterprise_id: number | null } | null;
	/** The payer's balance in credits (may be negative for a personal wallet in arrears). */
	available: number;
	estimated_cost: number;
}

/**
 * Whether a user may start a request, by the same payer chain settlement uses, on what each wallet
 * has available (spendable balance less active holds). Refused only when the paying wallet cannot
 * cover the estimate AND the user's own available credit is already at or below -CREDIT_LIMIT.
 * Reserves nothing.
 */
export async function authorizeUsage(db: DbOrTx, req: AuthorizeRequest, now = new Date()): Promise<AuthorizeAnswer> {
	const refused = (reason: AuthorizeReason): AuthorizeAnswer => ({ allowed: false, reason, payer: null, available: 0, estimated_cost: 0 });
	const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, req.userId));
	if (!user) return refused('unknown_user');
	const price = await activePriceAt(db, req.model, now);
	if (!price) return refused('model_not_priced');
	const estimate = req.estimatedCost ?? tokenCost(req.estimatedInputTokens ?? 0, req.maxOutputTokens ?? 0, price);

	const options = (await payerOptions(db, [req.userId], now)).get(req.userId) ?? [];
	const funds = await fundsOf(db, options.map((o) => o.walletId), now);
	const balanceOf = (id: number) => funds.get(id)?.available ?? 0;
	const payer = choosePayer(options, estimate, balanceOf);
	const own = options[options.length - 1];
	const available = balanceOf(payer.walletId);
	const covered = available >= estimate;
	const ownExhausted = balanceOf(own.walletId) <= -config().CREDIT_LIMIT;
	const allowed = covered || !ownExhausted;
	return {
		allowed,
		reason: allowed ? 'ok' : 'in_arrears',
		payer: { wallet_id: payer.walletId, enterprise_id: payer.enterpriseId },
		available,
		estimated_cost: estimate
	};
}

export { reserveCredit, ReserveError, type ReserveAnswer, type ReserveRequest } from './reserve-batch';
