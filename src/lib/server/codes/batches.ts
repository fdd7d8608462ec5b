import { desc, eq, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Db, DbOrTx } from '../db/client';
import { codeBatches, packages, redemptionCodes, redemptions, users } from '../db/schema';
import { invalid, notFound } from '../errors';
import { csvLine } from '../usage/csv';
import { codeHash, codePrefix, newCode, normaliseCode } from './code-text';

/** What one use of a batch's codes gives: credits, or a package (activated as if bought). */
export type BatchGives = { kind: 'credits'; credits: number } | { kind: 'package'; packageId: number };

export type NewBatch = BatchGives & {
	name: string;
	count: number;
	expiresAt: Date | null;
	usesPerCode: number;
	usesPerUser: number;
	/** Demo data only: these codes instead of random ones. */
	presetCodes?: string[];
};

export type BatchRow = typeof codeBatches.$inferSelect;
export type BatchPackage = typeof packages.$inferSelect;

const CHUNK = 1000;

/** The package a new batch is to give: it must exist and be on sale. */
async function packageToGive(tx: DbOrTx, id: number): Promise<BatchPackage> {
	const [pkg] = await tx.select().from(packages).where(eq(packages.id, id));
	if (!pkg) throw notFound('package_not_found');
	if (!pkg.active) throw invalid('package_inactive');
	return pkg;
}

/**
 * Makes a batch and its codes in one transaction. The plaintext codes are returned only here:
 * the database keeps their hashes and prefixes.
 */
export async function createBatch(db: Db, adminId: number, input: NewBatch): Promise<{ batch: BatchRow; package: BatchPackage | null; codes: string[] }> {
	const codes = input.presetCodes ?? Array.from({ length: input.count }, newCode);
	return db.transaction(async (tx) => {
		const pkg = input.kind === 'package' ? await packageToGive(tx, input.packageId) : null;
		const [batch] = await tx
			.insert(codeBatches)
			.values({
				name: input.name,
				kind: input.kind,
				credits: input.kind === 'credits' ? input.credits : null,
				packageId: pkg?.id ?? null,
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
		return { batch, package: pkg, codes };
	});
}

/** Batches newest first, with the package they give and how many uses were made of their codes. */
export async function listBatches(db: DbOrTx, limit: number) {
	return db
		.select({
			batch: codeBatches,
			package: packages,
			uses: sql<number>`coalesce((select sum(${redemptionCodes.uses}) from ${redemptionCodes} where ${redemptionCodes.batchId} = ${codeBatches.id}), 0)::int`
		})
		.from(codeBatches)
		.leftJoin(packages, eq(packages.id, codeBatches.packageId))
		.orderBy(desc(codeBatches.id))
		.limit(limit);
}

export async function findBatch(db: DbOrTx, id: number): Promise<{ batch: BatchRow; package: BatchPackage | null } | null> {
	const [row] = await db.select({ batch: codeBatches, package: packages }).from(codeBatches).leftJoin(packages, eq(packages.id, codeBatches.packageId)).where(eq(codeBatches.id, id));
	return row ?? null;
}

export async function batchCodes(db: DbOrTx, batchId: number) {
	return db.select().from(redemptionCodes).where(eq(redemptionCodes.batchId, batchId)).orderBy(redemptionCodes.id);
}

/** The value that disables a row (keeping the first instant it was disabled) or enables it again. */
const disabledAtFor = (column: PgColumn, disabled: boolean) => (disabled ? sql`coalesce(${column}, now())` : null);

export async function setBatchDisabled(db: DbOrTx, id: number, disabled: boolean): Promise<BatchRow | null> {
	const [row] = await db.update(codeBatches).set({ disabledAt: disabledAtFor(codeBatches.disabledAt, disabled) }).where(eq(codeBatches.id, id)).returning();
	return row ?? null;
}

export async function setCodeDisabled(db: DbOrTx, id: number, disabled: boolean) {
	const [row] = await db.update(redemptionCodes).set({ disabledAt: disabledAtFor(redemptionCodes.disabledAt, disabled) }).where(eq(redemptionCodes.id, id)).returning();
	return row ?? null;
}

/** Redemptions with their code, batch, user and the package they gave, newest first. */
function redemptionRows(db: DbOrTx, where: SQL, limit: number) {
	return db
		.select({
			id: redemptions.id,
			codePrefix: redemptionCodes.prefix,
			codeId: redemptions.codeId,
			batchName: codeBatches.name,
			kind: codeBatches.kind,
			userId: redemptions.userId,
			email: users.email,
			credits: redemptions.credits,
			packageId: redemptions.packageId,
			packageName: packages.name,
			grantId: redemptions.grantId,
			expiresAt: codeBatches.expiresAt,
			createdAt: redemptions.createdAt
		})
		.from(redemptions)
		.innerJoin(redemptionCodes, eq(redemptionCodes.id, redemptions.codeId))
		.innerJoin(codeBatches, eq(codeBatches.id, redemptions.batchId))
		.innerJoin(users, eq(users.id, redemptions.userId))
		.leftJoin(packages, eq(packages.id, redemptions.packageId))
		.where(where)
		.orderBy(desc(redemptions.id))
		.limit(limit);
}

/** Who used a batch's codes and when, newest first. */
export async function batchRedemptions(db: DbOrTx, batchId: number, limit = 500) {
	return redemptionRows(db, eq(redemptions.batchId, batchId), limit);
}

/** The caller's own redemptions, newest first. */
export async function userRedemptions(db: DbOrTx, userId: number, limit = 50) {
	return redemptionRows(db, eq(redemptions.userId, userId), limit);
}

/** CSV of a new batch's codes (the only time they exist in plaintext), with what each use gives. */
export function batchCsv(
	batch: Pick<BatchRow, 'id' | 'name' | 'kind' | 'credits' | 'expiresAt' | 'usesPerCode' | 'usesPerUser'>,
	pkg: Pick<BatchPackage, 'id' | 'name'> | null,
	codes: string[]
): string {
	const rest = [batch.id, batch.name, batch.credits ?? '', batch.expiresAt ? batch.expiresAt.toISOString() : '', batch.usesPerCode, batch.usesPerUser, batch.kind, pkg?.id ?? '', pkg?.name ?? ''];
	const header = ['code', 'batch_id', 'batch_name', 'credits', 'expires_at', 'uses_per_code', 'uses_per_user', 'kind', 'package_id', 'package_name'];
	return csvLine(header) + codes.map((c) => csvLine([c, ...rest])).join('');
}
