import { desc, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import { codeBatches, redemptionCodes, redemptions, users } from '../db/schema';
import { csvLine } from '../usage/csv';
import { codeHash, codePrefix, newCode, normaliseCode } from './code-text';

export interface NewBatch {
	name: string;
	kind: 'credits';
	credits: number;
	count: number;
	expiresAt: Date | null;
	usesPerCode: number;
	usesPerUser: number;
	/** Demo data only: these codes instead of random ones. */
	presetCodes?: string[];
}

export type BatchRow = typeof codeBatches.$inferSelect;

const CHUNK = 1000;

/**
 * Makes a batch and its codes in one transaction. The plaintext codes are returned only here:
 * the database keeps their hashes and prefixes.
 */
export async function createBatch(db: Db, adminId: number, input: NewBatch): Promise<{ batch: BatchRow; codes: string[] }> {
	const codes = input.presetCodes ?? Array.from({ length: input.count }, newCode);
	return db.transaction(async (tx) => {
		const [batch] = await tx
			.insert(codeBatches)
			.values({
				name: input.name,
				kind: input.kind,
				credits: input.credits,
				expiresAt: input.expiresAt,
				usesPerCode: input.usesPerCode,
				usesPerUser: input.usesPerUser,
				codeCount: codes.length,
				createdBy: adminId
			})
			.returning();
		for (let i = 0; i < codes.length; i += CHUNK) {
			await tx.insert(redemptionCodes).values(
				codes.slice(i, i + CHUNK).map((code) => {
					const n = normaliseCode(code);
					return { batchId: batch.id, hash: codeHash(n), prefix: codePrefix(n), maxUses: input.usesPerCode };
				})
			);
		}
		return { batch, codes };
	});
}

/** Batches newest first, with how many codes are used up and how many uses were made. */
export async function listBatches(db: DbOrTx, limit: number) {
	return db
		.select({
			batch: codeBatches,
			uses: sql<number>`coalesce((select sum(${redemptionCodes.uses}) from ${redemptionCodes} where ${redemptionCodes.batchId} = ${codeBatches.id}), 0)::int`
		})
		.from(codeBatches)
		.orderBy(desc(codeBatches.id))
		.limit(limit);
}

export async function findBatch(db: DbOrTx, id: number): Promise<BatchRow | null> {
	const [row] = await db.select().from(codeBatches).where(eq(codeBatches.id, id));
	return row ?? null;
}

export async function batchCodes(db: DbOrTx, batchId: number) {
	return db.select().from(redemptionCodes).where(eq(redemptionCodes.batchId, batchId)).orderBy(redemptionCodes.id);
}

export async function setBatchDisabled(db: DbOrTx, id: number, disabled: boolean): Promise<BatchRow | null> {
	const [row] = await db
		.update(codeBatches)
		.set({ disabledAt: disabled ? sql`coalesce(${codeBatches.disabledAt}, now())` : null })
		.where(eq(codeBatches.id, id))
		.returning();
	return row ?? null;
}

export async function setCodeDisabled(db: DbOrTx, id: number, disabled: boolean) {
	const [row] = await db
		.update(redemptionCodes)
		.set({ disabledAt: disabled ? sql`coalesce(${redemptionCodes.disabledAt}, now())` : null })
		.where(eq(redemptionCodes.id, id))
		.returning();
	return row ?? null;
}

/** Who used a batch's codes and when, newest first. */
export async function batchRedemptions(db: DbOrTx, batchId: number, limit = 500) {
	return db
		.select({
			id: redemptions.id,
			codePrefix: redemptionCodes.prefix,
			codeId: redemptions.codeId,
			userId: redemptions.userId,
			email: users.email,
			credits: redemptions.credits,
			grantId: redemptions.grantId,
			createdAt: redemptions.createdAt
		})
		.from(redemptions)
		.innerJoin(redemptionCodes, eq(redemptionCodes.id, redemptions.codeId))
		.innerJoin(users, eq(users.id, redemptions.userId))
		.where(eq(redemptions.batchId, batchId))
		.orderBy(desc(redemptions.id))
		.limit(limit);
}

/** The caller's own redemptions, newest first. */
export async function userRedemptions(db: DbOrTx, userId: number, limit = 50) {
	return db
		.select({
			id: redemptions.id,
			codePrefix: redemptionCodes.prefix,
			batchName: codeBatches.name,
			credits: redemptions.credits,
			grantId: redemptions.grantId,
			expiresAt: codeBatches.expiresAt,
			createdAt: redemptions.createdAt
		})
		.from(redemptions)
		.innerJoin(redemptionCodes, eq(redemptionCodes.id, redemptions.codeId))
		.innerJoin(codeBatches, eq(codeBatches.id, redemptions.batchId))
		.where(eq(redemptions.userId, userId))
		.orderBy(desc(redemptions.id))
		.limit(limit);
}

/** CSV of a new batch's codes (the only time they exist in plaintext). */
export function batchCsv(batch: Pick<BatchRow, 'id' | 'name' | 'credits' | 'expiresAt' | 'usesPerCode' | 'usesPerUser'>, codes: string[]): string {
	const rest = [batch.id, batch.name, batch.credits ?? '', batch.expiresAt ? batch.expiresAt.toISOString() : '', batch.usesPerCode, batch.usesPerUser];
	return csvLine(['code', 'batch_id', 'batch_name', 'credits', 'expires_at', 'uses_per_code', 'uses_per_user']) + codes.map((c) => csvLine([c, ...rest])).join('');
}
