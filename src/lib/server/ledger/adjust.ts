import type { Db } from '../db/client';
import { postEntry, type PostedEntry } from './post';
import { enterpriseWalletId, userWalletId } from './wallets';
import { DomainError } from '../errors';

export interface Adjustment {
	userId?: number;
	enterpriseId?: number;
	/** Signed credits: positive grants, negative deducts (never below zero). */
	amount: number;
	reason: string;
	idempotencyKey: string;
	actorUserId: number;
}

export class AdjustmentTargetNotFoundError extends DomainError {
	constructor(code: 'user_not_found' | 'enterprise_not_found') {
		super('not_found', code);
	}
}

/** The same idempotency key was used before for a different wallet or amount. */
export class IdempotencyKeyReusedError extends DomainError {
	constructor() {
		super('conflict', 'idempotency_key_reused');
	}
}

/**
 * A platform admin's grant or deduction on a user or enterprise wallet. A retry with the same key
 * returns the original entry; a deduction that would take the balance below zero throws
 * InsufficientFundsError (arrears only ever come from usage).
 */
export async function adjustWallet(db: Db, adj: Adjustment): Promise<PostedEntry> {
	return db.transaction(async (tx) => {
		let walletId: number;
		try {
			walletId = adj.enterpriseId !== undefined ? await enterpriseWalletId(tx, adj.enterpriseId) : await userWalletId(tx, adj.userId!);
		} catch {
			throw new AdjustmentTargetNotFoundError(adj.enterpriseId !== undefined ? 'enterprise_not_found' : 'user_not_found');
		}
		const posted = await postEntry(tx, {
			walletId,
			amount: adj.amount,
			kind: 'adjustment',
			idempotencyKey: `adjust:${adj.idempotencyKey}`,
			reference: 'adjustment',
			memo: adj.reason,
			actorUserId: adj.actorUserId
		});
		if (posted.duplicate && (posted.walletId !== walletId || posted.amount !== adj.amount)) {
			throw new IdempotencyKeyReusedError();
		}
		return posted;
	});
}
