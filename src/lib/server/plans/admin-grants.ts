import { desc, eq, sql } from 'drizzle-orm';
import type { AdminGrantInput } from '$lib/schemas/plans';
import type { Db, DbOrTx } from '../db/client';
import { creditGrants, wallets } from '../db/schema';
import { issueGrant } from '../ledger/grants';
import { PlanError } from './errors';

/**
 * Requirement doc llm-billing-quota's grantQuota(userId, type, amount, source, sourceId, description): a grant of any unit
 * to a user or an enterprise. A retry with the same idempotency key returns the first grant; the
 * same key with different figures is refused.
 */
export async function adminGrant(db: Db, input: AdminGrantInput, actorUserId: number | null) {
	return db.transaction(async (tx) => {
		const [wallet] = await tx
			.select({ id: wallets.id })
			.from(wallets)
			.where(input.user_id !== undefined ? eq(wallets.userId, input.user_id) : eq(wallets.enterpriseId, input.enterprise_id!));
		if (!wallet) throw new PlanError('grant_target_not_found');
		const key = `admin:${input.idempotency_key}`;
		const [earlier] = await tx.select().from(creditGrants).where(eq(creditGrants.idempotencyKey, `grant:${key}`));
		if (earlier) {
			if (earlier.walletId !== wallet.id || earlier.unit !== input.unit || earlier.original !== input.amount) throw new PlanError('idempotency_key_reused');
			return { grant: earlier, duplicate: true };
		}
		const issued = await issueGrant(tx, {
			walletId: wallet.id,
			source: 'admin_grant',
			unit: input.unit,
			amount: input.amount,
			expiresAt: input.expires_at ?? null,
			memo: input.reason,
			idempotencyKey: key,
			actorUserId
		});
		const [grant] = await tx.select().from(creditGrants).where(eq(creditGrants.id, issued.grantId));
		return { grant, duplicate: false };
	});
}

/** Grants on a user's or an enterprise's wallet, newest first. */
export async function listGrants(db: DbOrTx, target: { userId?: number; enterpriseId?: number }, limit = 200) {
	return db
		.select({ grant: creditGrants })
		.from(creditGrants)
		.innerJoin(wallets, eq(wallets.id, creditGrants.walletId))
		.where(
			target.userId !== undefined
				? eq(wallets.userId, target.userId)
				: target.enterpriseId !== undefined
					? eq(wallets.enterpriseId, target.enterpriseId)
					: sql`true`
		)
		.orderBy(desc(creditGrants.createdAt), desc(creditGrants.id))
		.limit(limit);
}
