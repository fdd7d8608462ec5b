import { and, count, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { codeBatches, packages, redemptionCodes, redemptions, type GrantUnit } from '../db/schema';
import { forgetAttempts, reserveRedemptionAttempt } from '../auth/throttle';
import { issueGrant } from '../ledger/grants';
import { userWalletId, walletBalance } from '../ledger/wallets';
import { activatePackage, packageMeta, type ActivatedGrant } from '../plans/packages';
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
	kind: 'credits' | 'package';
	/** Credits added to the balance (a package of tokens or images adds none). */
	credits: number;
	/** What the use gave: one credit grant, or a package's amount and bonus grants. */
	grants: ActivatedGrant[];
	package: { id: number; name: string; unit: GrantUnit; amount: number; bonus: number; validityDays: number | null } | null;
	grantId: number;
	expiresAt: Date | null;
	balanceAfter: number;
}

/**
 * Redeems a code for a user: throttled per account and per address (every failure counts, a
 * success is taken back), then in one transaction the code's use is taken by a conditional update
 * (its row lock makes racing users queue; `uses <= max_uses` is also a check constraint), the
 * user's uses of the batch are counted under a lock per (batch, user) and numbered under a unique
 * key, and the credit is issued as a grant that expires with the batch — or, for a package batch,
 * the package is activated as if bought (plans/packages.ts), valid for its days from now.
 * Each use has its own idempotency key, so a use gives once.
 */
export async function redeemCode(db: Db, userId: number, text: string, ip: string, now = new Date()): Promise<Redeemed> {
	const verdict = await reserveRedemptionAttempt(db, userId, ip, now);
	if (!verdict.allowed) throw new RedemptionError('too_many_redemptions', verdict.retryAfterSeconds);
	const redeemed = await db.transaction(async (tx) => {
		const normalised = normaliseCode(text);
		const [found] = await tx
			.select({ code: redemptionCodes, batch: codeBatches, pkg: packages })
			.from(redemptionCodes)
			.innerJoin(codeBatches, eq(codeBatches.id, redemptionCodes.batchId))
			.leftJoin(packages, eq(packages.id, codeBatches.packageId))
			.where(eq(redemptionCodes.hash, codeHash(normalised)));
		if (!found) throw new RedemptionError('code_unknown');
		const { code, batch, pkg } = found;
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

		const walletId = await userWalletId(tx, userId);
		const useKey = `code:${code.id}:use:${taken.uses}`;
		let grants: ActivatedGrant[];
		if (pkg) {
			grants = await activatePackage(tx, { walletId, userId, key: useKey, memo: `${pkg.name} · ${code.prefix}…` }, packageMeta(pkg), now);
		} else {
			const grant = await issueGrant(tx, {
				walletId,
				source: 'code',
				amount: batch.credits!,
				effectiveFrom: now,
				expiresAt: batch.expiresAt,
				memo: `${code.prefix}… · ${batch.name}`,
				idempotencyKey: useKey,
				actorUserId: userId
			});
			grants = [{ grantId: grant.grantId, unit: 'credits', amount: batch.credits!, bonus: false, expiresAt: batch.expiresAt }];
		}
		const credits = grants.filter((g) => g.unit === 'credits').reduce((sum, g) => sum + g.amount, 0);
		const [row] = await tx
			.insert(redemptions)
			.values({ codeId: code.id, batchId: batch.id, userId, userUse: n + 1, walletId, credits, packageId: pkg?.id ?? null, grantId: grants[0].grantId, createdAt: now })
			.returning({ id: redemptions.id });
		return {
			redemptionId: row.id,
			batchName: batch.name,
			codePrefix: code.prefix,
			kind: batch.kind,
			credits,
			grants,
			package: pkg && { id: pkg.id, name: pkg.name, unit: pkg.unit, amount: pkg.amount, bonus: pkg.bonus, validityDays: pkg.validityDays },
			grantId: grants[0].grantId,
			expiresAt: grants[0].expiresAt,
			balanceAfter: await walletBalance(tx, walletId)
		};
	});
	await forgetAttempts(db, verdict.attemptIds);
	return redeemed;
}
