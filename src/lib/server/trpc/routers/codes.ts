import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { batchIdInput, codeBatchKinds, createBatchInput, listBatchesInput, redeemInput, setDisabledInput } from '$lib/schemas/codes';
import { GRANT_UNITS } from '$lib/schemas/plans';
import { pageLimit } from '$lib/schemas/fields';
import { batchCodes, batchCsv, batchRedemptions, createBatch, findBatch, listBatches, setBatchDisabled, setCodeDisabled, userRedemptions, type BatchGives, type BatchPackage, type BatchRow } from '../../codes/batches';
import { redeemCode, RedemptionError } from '../../codes/redeem';
import { adminProcedure, authedProcedure, router, scopedProcedure } from '../init';

const packageGiven = z
	.object({
		id: z.number().int(),
		name: z.string(),
		unit: z.enum(GRANT_UNITS),
		amount: z.number().int(),
		bonus: z.number().int(),
		validity_days: z.number().int().nullable().describe('days the grants last from redemption; null: they do not expire')
	})
	.describe('the package a use activates, as if bought');

const packageGivenView = (p: Pick<BatchPackage, 'id' | 'name' | 'unit' | 'amount' | 'bonus' | 'validityDays'>): z.infer<typeof packageGiven> => ({
	id: p.id,
	name: p.name,
	unit: p.unit,
	amount: p.amount,
	bonus: p.bonus,
	validity_days: p.validityDays
});

const batchOutput = z.object({
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

function batchView(b: BatchRow, pkg: BatchPackage | null, uses: number): z.infer<typeof batchOutput> {
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

const codeOutput = z.object({ id: z.number().int(), prefix: z.string(), uses: z.number().int(), max_uses: z.number().int(), disabled: z.boolean() });

const redeemedOutput = z.object({
	redemption_id: z.number().int(),
	batch_name: z.string(),
	code_prefix: z.string(),
	kind: z.enum(codeBatchKinds).describe('what the code gave: credits, or a package'),
	credits: z.number().int().describe('credits added to the balance (0 for a package of tokens or images)'),
	package: packageGiven.nullable(),
	grants: z
		.array(
			z.object({
				grant_id: z.number().int(),
				unit: z.enum(GRANT_UNITS),
				amount: z.number().int(),
				bonus: z.boolean().describe('the package’s bonus grant'),
				expires_at: z.date().nullable()
			})
		)
		.describe('the grants this redemption gave: one credit grant, or a package’s amount and bonus'),
	grant_id: z.number().int().describe('the first of grants'),
	expires_at: z.date().nullable().describe('when what was given expires: the code batch’s expiry for credits, the package’s validity from now for a package'),
	balance_credits: z.number().int().describe('wallet balance after the redemption')
});

const redemptionGives = {
	kind: z.enum(codeBatchKinds),
	credits: z.number().int().describe('credits added to the balance'),
	package_name: z.string().nullable().describe('the package activated, for a package code')
};

/** The one place a redemption failure becomes an answer: 404 unknown, 409 the rest, 429 too many failures. */
function redemptionAnswer(err: unknown): never {
	if (!(err instanceof RedemptionError)) throw err;
	if (err.reason === 'code_unknown') throw new TRPCError({ code: 'NOT_FOUND', message: err.reason, cause: err });
	if (err.reason === 'too_many_redemptions') throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: `${err.reason}:${err.retryAfterSeconds ?? 60}`, cause: err });
	throw new TRPCError({ code: 'CONFLICT', message: err.reason, cause: err });
}

const notFound = () => new TRPCError({ code: 'NOT_FOUND', message: 'not_found' });

export const codesRouter = router({
	redeem: authedProcedure
		.meta({ openapi: { method: 'POST', path: '/redemptions', tags: ['redemption codes'], summary: 'Redeem a code: its credit, or the package it gives, lands in your wallet as grants' } })
		.input(redeemInput)
		.output(redeemedOutput)
		.mutation(async ({ ctx, input }) => {
			const r = await redeemCode(ctx.db, ctx.user.id, input.code, ctx.ip).catch(redemptionAnswer);
			return {
				redemption_id: r.redemptionId,
				batch_name: r.batchName,
				code_prefix: r.codePrefix,
				kind: r.kind,
				credits: r.credits,
				package: r.package && packageGivenView(r.package),
				grants: r.grants.map((g) => ({ grant_id: g.grantId, unit: g.unit, amount: g.amount, bonus: g.bonus, expires_at: g.expiresAt })),
				grant_id: r.grantId,
				expires_at: r.expiresAt,
				balance_credits: r.balanceAfter
			};
		}),

	mine: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/redemptions', tags: ['redemption codes'], summary: 'Codes you redeemed, newest first' } })
		.input(z.object({ limit: pageLimit(200, 50) }))
		.output(z.array(z.object({ id: z.number().int(), code_prefix: z.string(), batch_name: z.string(), ...redemptionGives, expires_at: z.date().nullable(), created_at: z.date() })))
		.query(async ({ ctx, input }) =>
			(await userRedemptions(ctx.db, ctx.user.id, input.limit)).map((r) => ({
				id: r.id,
				code_prefix: r.codePrefix,
				batch_name: r.batchName,
				kind: r.kind,
				credits: r.credits,
				package_name: r.packageName,
				expires_at: r.expiresAt,
				created_at: r.createdAt
			}))
		),

	createBatch: adminProcedure
		.meta({ openapi: { method: 'POST', path: '/admin/code-batches', tags: ['redemption codes'], summary: 'Make a batch of codes; the codes (and their CSV) are in this answer only' } })
		.input(createBatchInput)
		.output(z.object({ batch: batchOutput, codes: z.array(z.string()), csv: z.string() }))
		.mutation(async ({ ctx, input }) => {
			const gives: BatchGives = input.kind === 'package' ? { kind: 'package', packageId: input.package_id! } : { kind: 'credits', credits: input.credits! };
			const { batch, package: pkg, codes } = await createBatch(ctx.db, ctx.user.id, {
				...gives,
				name: input.name,
				count: input.count,
				expiresAt: input.expires_at ?? null,
				usesPerCode: input.uses_per_code,
				usesPerUser: input.uses_per_user
			});
			return { batch: batchView(batch, pkg, 0), codes, csv: batchCsv(batch, pkg, codes) };
		}),

	batches: adminProcedure
		.meta({ openapi: { method: 'GET', path: '/admin/code-batches', tags: ['redemption codes'], summary: 'Code batches, newest first' } })
		.input(listBatchesInput)
		.output(z.array(batchOutput))
		.query(async ({ ctx, input }) => (await listBatches(ctx.db, input.limit)).map((r) => batchView(r.batch, r.package, r.uses))),

	batch: adminProcedure
		.meta({ openapi: { method: 'GET', path: '/admin/code-batches/{id}', tags: ['redemption codes'], summary: 'A batch, its codes (prefixes only) and who redeemed them' } })
		.input(batchIdInput)
		.output(
			z.object({
				batch: batchOutput,
				codes: z.array(codeOutput),
				redemptions: z.array(z.object({ id: z.number().int(), code_id: z.number().int(), code_prefix: z.string(), user_id: z.number().int(), email: z.string(), ...redemptionGives, created_at: z.date() }))
			})
		)
		.query(async ({ ctx, input }) => {
			const found = await findBatch(ctx.db, input.id);
			if (!found) throw notFound();
			const codes = await batchCodes(ctx.db, found.batch.id);
			const used = await batchRedemptions(ctx.db, found.batch.id);
			return {
				batch: batchView(found.batch, found.package, codes.reduce((s, c) => s + c.uses, 0)),
				codes: codes.map((c) => ({ id: c.id, prefix: c.prefix, uses: c.uses, max_uses: c.maxUses, disabled: c.disabledAt !== null })),
				redemptions: used.map((r) => ({
					id: r.id,
					code_id: r.codeId,
					code_prefix: r.codePrefix,
					user_id: r.userId,
					email: r.email,
					kind: r.kind,
					credits: r.credits,
					package_name: r.packageName,
					created_at: r.createdAt
				}))
			};
		}),

	setBatchDisabled: adminProcedure
		.meta({ openapi: { method: 'POST', path: '/admin/code-batches/{id}/disabled', tags: ['redemption codes'], summary: 'Disable (or enable again) every code of a batch' } })
		.input(setDisabledInput)
		.output(z.object({ id: z.number().int(), disabled: z.boolean() }))
		.mutation(async ({ ctx, input }) => {
			const row = await setBatchDisabled(ctx.db, input.id, input.disabled);
			if (!row) throw notFound();
			return { id: row.id, disabled: row.disabledAt !== null };
		}),

	setCodeDisabled: adminProcedure
		.meta({ openapi: { method: 'POST', path: '/admin/codes/{id}/disabled', tags: ['redemption codes'], summary: 'Disable (or enable again) one code' } })
		.input(setDisabledInput)
		.output(z.object({ id: z.number().int(), disabled: z.boolean() }))
		.mutation(async ({ ctx, input }) => {
			const row = await setCodeDisabled(ctx.db, input.id, input.disabled);
			if (!row) throw notFound();
			return { id: row.id, disabled: row.disabledAt !== null };
		})
});
