import { eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import { users } from '../db/schema';
import { config } from '../config';
import { fundsOf, holdByRequestId, placeHold, type HoldView } from '../ledger/holds';
import { activePriceAt } from './models';
import { candidateWallets, choosePayer, payerOptions } from './payer-chain';
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
	payer: { wallet_id: number; group_id: number | null } | null;
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
		payer: { wallet_id: payer.walletId, group_id: payer.groupId },
		available,
		estimated_cost: estimate
	};
}

export interface ReserveRequest extends AuthorizeRequest {
	requestId: string;
	ttlSeconds: number;
	/** The account placing the hold (the gateway's); only it may release it. */
	placedBy: number;
	apiKeyId: number | null;
}

export interface ReserveAnswer {
	allowed: boolean;
	reason: 'ok' | 'insufficient_funds' | 'hold_captured' | 'hold_released' | 'hold_expired';
	hold_id: number | null;
	payer: { wallet_id: number; group_id: number | null };
	/** The payer's available credits after this hold (spendable balance less active holds). */
	available: number;
	estimated_cost: number;
	expires_at: Date | null;
}

export class ReserveError extends Error {
	constructor(readonly code: 'unknown_user' | 'model_not_priced' | 'estimate_required' | 'request_id_conflict') {
		super(code);
	}
}

/** The answer for a hold already placed: allowed while it is active and unexpired, else its final state. */
function answerFor(hold: HoldView, available: number, now: Date): ReserveAnswer {
	const expired = hold.status === 'expired' || (hold.status === 'active' && hold.expires_at.getTime() <= now.getTime());
	const active = hold.status === 'active' && !expired;
	return {
		allowed: active,
		reason: active ? 'ok' : expired ? 'hold_expired' : hold.status === 'captured' ? 'hold_captured' : 'hold_released',
		hold_id: hold.hold_id,
		payer: { wallet_id: hold.wallet_id, group_id: hold.group_id },
		available,
		estimated_cost: hold.amount,
		expires_at: hold.expires_at
	};
}

/**
 * Places a hold for a request about to start, on the wallet the payer chain would charge, only if
 * that wallet has the estimate available (the own wallet: plus CREDIT_LIMIT). The paying wallets are
 * locked first, so concurrent reserves never hold more than is available. Refused: nothing written.
 * The same request id from the same caller answers the hold it placed.
 */
export async function reserveCredit(db: Db, req: ReserveRequest, now = new Date()): Promise<ReserveAnswer> {
	const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, req.userId));
	if (!user) throw new ReserveError('unknown_user');
	const price = await activePriceAt(db, req.model, now);
	if (!price) throw new ReserveError('model_not_priced');
	const estimate = req.estimatedCost ?? tokenCost(req.estimatedInputTokens ?? 0, req.maxOutputTokens ?? 0, price);
	if (estimate <= 0) throw new ReserveError('estimate_required');
	return db.transaction(async (tx) => {
		const walletIds = await candidateWallets(tx, [req.userId]);
		await tx.execute(sql`select id from wallets where id in (select jsonb_array_elements_text(${JSON.stringify(walletIds)}::jsonb)::int) order by id for update`);
		const existing = await holdByRequestId(tx, req.requestId);
		if (existing) {
			if (existing.placedBy !== req.placedBy || existing.userId !== req.userId) throw new ReserveError('request_id_conflict');
			const funds = await fundsOf(tx, [existing.wallet_id], now);
			return answerFor(existing, funds.get(existing.wallet_id)?.available ?? 0, now);
		}
		const options = (await payerOptions(tx, [req.userId], now)).get(req.userId) ?? [];
		const funds = await fundsOf(tx, walletIds, now);
		const availableOf = (id: number) => funds.get(id)?.available ?? 0;
		const payer = choosePayer(options, estimate, availableOf);
		const available = availableOf(payer.walletId);
		const allowed = payer.groupId !== null || available + config().CREDIT_LIMIT >= estimate;
		const payerAnswer = { wallet_id: payer.walletId, group_id: payer.groupId };
		if (!allowed) return { allowed, reason: 'insufficient_funds', hold_id: null, payer: payerAnswer, available, estimated_cost: estimate, expires_at: null };
		const hold = await placeHold(
			tx,
			{
				requestId: req.requestId,
				userId: req.userId,
				placedBy: req.placedBy,
				apiKeyId: req.apiKeyId,
				walletId: payer.walletId,
				groupId: payer.groupId,
				amount: estimate,
				expiresAt: new Date(now.getTime() + req.ttlSeconds * 1000)
			},
			now
		);
		return answerFor(hold, available - estimate, now);
	});
}
