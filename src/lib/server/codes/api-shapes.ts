/** The redemption codes API's answer shapes (zod, snake_case) shared by several procedures, and their converters. */
import { z } from 'zod';
import { codeBatchKinds } from '$lib/schemas/codes';
import { GRANT_UNITS } from '$lib/schemas/plans';
import type { BatchPackage, BatchRow } from './batches';

export const packageGiven = z
	.object({
		id: z.number().int(),
		name: z.string(),
		unit: z.enum(GRANT_UNITS),
		amount: z.number().int(),
		bonus: z.number().int(),
		validity_days: z.number().int().nullable().describe('days the grants last from redemption; null: they do not expire')
	})
	.describe('the package a use activates, as if bought');

export const packageGivenView = (p: Pick<BatchPackage, 'id' | 'name' | 'unit' | 'amount' | 'bonus' | 'validityDays'>): z.infer<typeof packageGiven> => ({
	id: p.id,
	name: p.name,
	unit: p.unit,
	amount: p.amount,
	bonus: p.bonus,
	validity_days: p.validityDays
});

export const batchOutput = z.object({
	id: z.number().int(),
	name: z.string(),
	kind: z.enum(codeBatchKinds).describe('what one use gives: credits, or a package'),
	credits: z.number().int().nullable().describe('kind credits: credits one use gives'),
	package: packageGiven.nullable(),
	expires_at: z.date().nullable(),
	uses_per_code: z.number().int(),
	uses_per_user: z.number().int(),
	code_count: z.number().int(),
	uses: z.number().int().describe('uses made of all its codes'),
	disabled: z.boolean(),
	created_at: z.date()
});

export function batchView(b: BatchRow, pkg: BatchPackage | null, uses: number): z.infer<typeof batchOutput> {
	return {
		id: b.id,
		name: b.name,
		kind: b.kind,
		credits: b.credits,
		package: pkg && packageGivenView(pkg),
		expires_at: b.expiresAt,
		uses_per_code: b.usesPerCode,
		uses_per_user: b.usesPerUser,
		code_count: b.codeCount,
		uses,
		disabled: b.disabledAt !== null,
		created_at: b.createdAt
	};
}

/** What a redemption gave, as its lists show it. */
export const redemptionGives = {
	kind: z.enum(codeBatchKinds),
	credits: z.number().int().describe('credits added to the balance'),
	package_name: z.string().nullable().describe('the package activated, for a package code')
};

/** A batch or a code switched off (or on again). */
export const disabledOutput = z.object({ id: z.number().int(), disabled: z.boolean() });
