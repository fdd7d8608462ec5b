import type { Db } from '../db/client';
import { config } from '../config';
import { groupCommitPerDb } from '../db/group-commit';
import { isTransactionConflict, sqlStateOf } from '../db/retry';
import { fundsOf, holdsByRequestIds, placeHolds, type HoldView, type NewHold } from '../ledger/holds';
import type { AuthorizeRequest } from './authorize';
import { knownUserIds, modelCatalog } from './metering-lookups';
import { choosePayer, lockCandidateWallets, payerOptions } from './payer-chain';
import { priceInForce, tokenCost } from './price';

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
	payer: { wallet_id: number; enterprise_id: number | null };
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
		payer: { wallet_id: hold.wallet_id, enterprise_id: hold.enterprise_id },
		available,
		estimated_cost: hold.amount,
		expires_at: hold.expires_at
	};
}

interface Waiting {
	req: ReserveRequest;
	now: Date;
}

type Priced = Waiting & { estimate: number };

/** The checks made before any lock (user, price, estimate): each request with its estimate, or why it fails. */
async function priceReserves(db: Db, batch: Waiting[]): Promise<Array<Priced | Error>> {
	const [knownUsers, catalog] = await Promise.all([
		knownUserIds(db, [...new Set(batch.map((w) => w.req.userId))]),
		modelCatalog(db, [...new Set(batch.map((w) => w.req.model))])
	]);
	return batch.map((w) => {
		if (!knownUsers.has(w.req.userId)) return new ReserveError('unknown_user');
		const model = catalog.get(w.req.model);
		const price = model?.active ? priceInForce(model.prices, w.now) : null;
		if (!price) return new ReserveError('model_not_priced');
		const estimate = w.req.estimatedCost ?? tokenCost(w.req.estimatedInputTokens ?? 0, w.req.maxOutputTokens ?? 0, price);
		if (estimate <= 0) return new ReserveError('estimate_required');
		return { ...w, estimate };
	});
}

/** A request's outcome before the batch's holds are written: an answer, a refusal, or the hold (new, or placed earlier in this batch) to answer with. */
type Decision = { answer: ReserveAnswer } | { error: ReserveError } | { hold: string; available: number; now: Date };

/**
 * One transaction for the whole batch: lock every paying wallet in id order, read the holds already
 * placed for these request ids, the payer chains and what each wallet has available, then decide
 * in arrival order (each hold placed lowers what its wallet has for the next), and write the new
 * holds and their events in one statement. Funds are read as of the batch's latest request time.
 */
async function reserveInTransaction(db: Db, batch: Priced[]): Promise<Array<ReserveAnswer | ReserveError>> {
	const at = new Date(Math.max(...batch.map((w) => w.now.getTime())));
	const userIds = [...new Set(batch.map((w) => w.req.userId))];
	return db.transaction(async (tx) => {
		const walletIds = await lockCandidateWallets(tx, userIds);
		// After the lock these reads are independent: they go out pipelined on the transaction's connection.
		const [existing, options, funds] = await Promise.all([
			holdsByRequestIds(tx, batch.map((w) => w.req.requestId)),
			payerOptions(tx, userIds, at),
			fundsOf(tx, walletIds, at)
		]);
		const elsewhere = [...new Set([...existing.values()].map((h) => h.wallet_id).filter((id) => !funds.has(id)))];
		for (const [id, f] of await fundsOf(tx, elsewhere, at)) funds.set(id, f);
		const available = new Map([...funds].map(([id, f]) => [id, f.available]));
		const availableOf = (id: number) => available.get(id) ?? 0;
		const newHolds = new Map<string, NewHold>();
		const decisions = batch.map(({ req, now, estimate }): Decision => {
			const held = existing.get(req.requestId);
			const earlier = held ?? newHolds.get(req.requestId);
			if (earlier) {
				if (earlier.placedBy !== req.placedBy || earlier.userId !== req.userId) return { error: new ReserveError('request_id_conflict') };
				if (held) return { answer: answerFor(held, availableOf(held.wallet_id), now) };
				return { hold: req.requestId, available: availableOf(newHolds.get(req.requestId)!.walletId), now };
			}
			const payer = choosePayer(options.get(req.userId) ?? [], estimate, availableOf);
			const before = availableOf(payer.walletId);
			if (payer.enterpriseId === null && before + config().CREDIT_LIMIT < estimate) {
				const refused: ReserveAnswer = { allowed: false, reason: 'insufficient_funds', hold_id: null, payer: { wallet_id: payer.walletId, enterprise_id: payer.enterpriseId }, available: before, estimated_cost: estimate, expires_at: null };
				return { answer: refused };
			}
			available.set(payer.walletId, before - estimate);
			newHolds.set(req.requestId, {
				requestId: req.requestId,
				userId: req.userId,
				placedBy: req.placedBy,
				apiKeyId: req.apiKeyId,
				walletId: payer.walletId,
				enterpriseId: payer.enterpriseId,
				amount: estimate,
				expiresAt: new Date(now.getTime() + req.ttlSeconds * 1000),
				placedAt: now
			});
			return { hold: req.requestId, available: before - estimate, now };
		});
		const placed = await placeHolds(tx, [...newHolds.values()]);
		return decisions.map((d) => ('answer' in d ? d.answer : 'error' in d ? d.error : answerFor(placed.get(d.hold)!, d.available, d.now)));
	});
}

/** Serialization failures and deadlocks, and a request id another process placed meanwhile (the retry finds its hold). */
function isRetryable(err: unknown): boolean {
	return isTransactionConflict(err) || sqlStateOf(err) === '23505';
}

/** A batch: priced first, then the priced requests reserved in one transaction. */
async function reserveBatch(db: Db, batch: Waiting[]): Promise<Array<ReserveAnswer | Error>> {
	const outcomes = await priceReserves(db, batch);
	const priced = outcomes.filter((o): o is Priced => !(o instanceof Error));
	if (priced.length === 0) return outcomes as Error[];
	const reserved = await reserveInTransaction(db, priced);
	let next = 0;
	return outcomes.map((o) => (o instanceof Error ? o : reserved[next++]));
}

const reserveQueue = groupCommitPerDb<Waiting, ReserveAnswer>((db) => ({ commit: (batch) => reserveBatch(db, batch), retryable: isRetryable }));

/**
 * Places a hold for a request about to start, on the wallet the payer chain would charge, only if
 * that wallet has the estimate available (the own wallet: plus CREDIT_LIMIT). The paying wallets are
 * locked first, so concurrent reserves never hold more than is available. Refused: nothing written.
 * The same request id from the same caller answers the hold it placed. Concurrent calls share a
 * transaction (db/group-commit.ts), up to 500 in one.
 */
export function reserveCredit(db: Db, req: ReserveRequest, now = new Date()): Promise<ReserveAnswer> {
	return reserveQueue(db).submit({ req, now });
}
