import { and, count, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { codeBatches, redemptionCodes, redemptions } from '../db/schema';
import { forgetAttempts, reserveRedemptionAttempt } from '../auth/throttle';
import { issueGrant } from '../ledger/grants';
import { userWalletId } from '../ledger/wallets';
import { codeHash, normaliseCode } from './code-text';

export type RedemptionFailure = 'code_unknown' | 'code_disabled' | 'code_expired' | 'code_used_up' | 'code_user_limit' | 'too_many_redemptions';

export class RedemptionError extends Error {
	constructor(
		readonly reason: RedemptionFailure,
		readonly retryAfterSeconds?: number
	) {
		super(reason);
		this.name = 'RedemptionError';
	}
}

export interface Redeemed {
	redemptionId: number;
	batchName: string;
	codePrefix: string;
	credits: number;
	grantId: number;
	expiresAt: Date | null;
	balanceAfter: number;
}

/**
 * Redeems a code for a user: throttled per account and per address (every failure counts, a
 * success is taken back), then in one transaction the code's use is taken by a conditional update
 * (its row lock makes racing users queue; `uses <= max_uses` is also a check constraint), the
 * user's uses of the batch are counted under a lock per (batch, user) and numbered under a unique
 * key, and the credit is issued as a grant that expires with the batch.
 */
export async function redeemCode(db: Db, userId: number, text: string, ip: string, now = new Date()): Promise<Redeemed> {
	const verdict = await reserveRedemptionAttempt(db, userId, ip, now);
	if (!verdict.allowed) throw new RedemptionError('too_many_redemptions', verdict.retryAfterSeconds);
	const redeemed = await db.transaction(async (tx) => {
		const normalised = normaliseCode(text);
		const [found] = await tx
			.select({ code: redemptionCodes, batch: codeBatches })
			.from(redemptionCodes)
			.innerJoin(codeBatches, eq(codeBatches.id, redemptionCodes.batchId))
			.where(eq(redemptionCodes.hash, codeHash(normalised)));
		if (!found) throw new RedemptionError('code_unknown');
		const { code, batch } = found;
		if (code.disabledAt || batch.disabledAt) throw new RedemptionError('code_disabled');
		if (batch.expiresAt && now.getTime() >= batch.expiresAt.getTime()) throw new RedemptionError('code_expired');
		if (code.uses >= code.maxUses) throw new RedemptionError('code_used_up');

		await tx.execute(sql`select pg_advisory_xact_lock(${batch.id}::int, ${userId}::int)`);
		const [{ n }] = await tx
			.select({ n: count() })
			.from(redemptions)
			.where(and(eq(redemptions.batchId, batch.id), eq(redemptions.userId, userId)));
		if (n >= batch.usesPerUser) throw new RedemptionError('code_user_limit');

		const [taken] = await tx
			.update(redemptionCodes)
			.set({ uses: sql`${redemptionCodes.uses} + 1` })
			.where(and(eq(redemptionCodes.id, code.id), lt(redemptionCodes.uses, redemptionCodes.maxUses), sql`${redemptionCodes.disabledAt} is null`))
			.returning({ uses: redemptionCodes.uses });
		if (!taken) throw new RedemptionError('code_used_up');

		const credits = batch.credits!;
		const walletId = await userWalletId(tx, userId);
		const grant = await issueGrant(tx, {
			walletId,
			source: 'code',
			amount: credits,
			effectiveFrom: now,
			expiresAt: batch.expiresAt,
			memo: `${code.prefix}… · ${batch.name}`,
			idempotencyKey: `code:${code.id}:use:${taken.uses}`,
			actorUserId: userId
		});
		const [row] = await tx
			.insert(redemptions)
			.values({ codeId: code.id, batchId: batch.id, userId, userUse: n + 1, walletId, credits, grantId: grant.grantId, createdAt: now })
			.returning({ id: redemptions.id });
		return {
			redemptionId: row.id,
			batchName: batch.name,
			codePrefix: code.prefix,
			credits,
			grantId: grant.grantId,
			expiresAt: batch.expiresAt,
			balanceAfter: grant.balanceAfter
		};
	});
	await forgetAttempts(db, verdict.attemptIds);
	return redeemed;
}
