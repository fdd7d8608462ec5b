import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { config } from '../config';
import { executePrepared } from '../db/prepared';
import { groupCommitPerDb } from '../db/group-commit';
import { isTransactionConflict, sqlStateOf } from '../db/retry';
import { holdView, type HoldView } from '../ledger/holds';
import type { AuthorizeRequest } from './authorize';
import { knownUsersCached, modelCatalogCached } from './metering-cache';
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
		knownUsersCached(db, [...new Set(batch.map((w) => w.req.userId))]),
		modelCatalogCached(db, [...new Set(batch.map((w) => w.req.model))])
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

type ReserveRow = {
	o: number;
	outcome: 'hold' | 'refused' | 'conflict';
	hold_id: string | null;
	status: HoldView['status'] | null;
	amount: string;
	wallet_id: number;
	enterprise_id: number | null;
	expires_at: string | null;
	resolved_at: string | null;
	captured_cost: string | null;
	available: string;
};

/**
 * One statement for the whole batch (reserve_holds, drizzle/0022_reserve_holds.sql), its own
 * transaction: lock every paying wallet in id order, read the holds already placed for these request
 * ids, the payer chains and what each wallet has available, decide in arrival order (each hold placed
 * lowers what its wallet has for the next) and write the new holds and their events. Funds are read
 * as of the batch's latest request time.
 */
async function reserveInTransaction(db: Db, batch: Priced[]): Promise<Array<ReserveAnswer | ReserveError>> {
	const at = new Date(Math.max(...batch.map((w) => w.now.getTime())));
	const requests = batch.map(({ req, now, estimate }) => ({
		request_id: req.requestId,
		user_id: req.userId,
		placed_by: req.placedBy,
		api_key_id: req.apiKeyId,
		estimate,
		expires_at: new Date(now.getTime() + req.ttlSeconds * 1000).toISOString(),
		placed_at: now.toISOString()
	}));
	const rows = await executePrepared<ReserveRow>(
		db,
		sql`select * from reserve_holds(${JSON.stringify(requests)}::jsonb, ${at.toISOString()}::timestamptz, ${config().CREDIT_LIMIT}::bigint)`
	);
	return rows.map((row) => {
		const { now } = batch[row.o - 1];
		if (row.outcome === 'conflict') return new ReserveError('request_id_conflict');
		const payer = { wallet_id: row.wallet_id, enterprise_id: row.enterprise_id };
		if (row.outcome === 'refused') {
			return { allowed: false, reason: 'insufficient_funds', hold_id: null, payer, available: Number(row.available), estimated_cost: Number(row.amount), expires_at: null };
		}
		const hold = holdView({ ...row, id: row.hold_id!, request_id: batch[row.o - 1].req.requestId, status: row.status!, expires_at: row.expires_at! });
		return answerFor(hold, Number(row.available), now);
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
